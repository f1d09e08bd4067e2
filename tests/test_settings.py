"""Settings refuse an unsafe production start and read the environment."""

import os
import subprocess
import sys

from django.conf import settings


def import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_development_secret_key():
    result = import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret_key():
    result = import_settings(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_database_url_selects_postgresql():
    result = import_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/batteries")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_sqlite_is_the_default():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; d = s.DATABASES['default'];"
            "print(d['ENGINE'], 'WAL' in d['OPTIONS']['init_command'])",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]
