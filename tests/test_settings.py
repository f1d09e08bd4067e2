"""Settings refuse an unsafe production start and read the environment."""

import os
import subprocess
import sys

import pytest
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


def test_redis_url_selects_the_redis_cache():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.CACHES['default']['BACKEND'])",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_the_redis_cache_works_against_the_local_server():
    """What several app servers share when REDIS_URL is set; CI has Redis running."""
    import redis
    from django.core.cache.backends.redis import RedisCache

    probe = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        probe.ping()
    except redis.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip("no Redis server on 127.0.0.1:6379")
    finally:
        probe.close()
    cache = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "batteries-test"})
    try:
        cache.set("confusions", {"os": ["shutil"]}, 30)
        assert cache.get("confusions") == {"os": ["shutil"]}
        cache.delete("confusions")
    finally:
        # Close the pool's sockets now: a socket left to the garbage collector is a
        # ResourceWarning, an error in this suite.
        for pool in cache._cache._pools.values():  # type: ignore[attr-defined]
            pool.disconnect()
