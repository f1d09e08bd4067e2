"""Settings: read from the environment, safe in production, and degrading, never failing, when
Redis or the database fail."""

import json
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from config.logging import OncePerInterval
from quizzes.services import attempts

pytestmark = pytest.mark.django_db

# What the README's production section sets.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "batteries.example.org",
    "EMAIL_URL": "smtp://batteries:secret@mail.example.org:587/?tls=True",
    "DEFAULT_FROM_EMAIL": "Batteries <noreply@batteries.example.org>",
}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter with the project's settings and this environment."""
    # Not the test run's own: DJANGO_ALLOW_ASYNC_UNSAFE is for the browser tests alone.
    ours = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    keep = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def setting(name: str, **env: str) -> object:
    result = run_python(f"import json, config.settings as s; print(json.dumps(s.{name}))", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- Production refuses to start unsafely ----------------------------------------------------


def test_production_refuses_the_development_secret_key():
    result = run_python("import config.settings", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_the_documented_settings():
    assert run_python("import config.settings", **PRODUCTION).returncode == 0


def test_production_refuses_console_email_unless_allowed():
    without_mail = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    refused = run_python("import config.settings", **without_mail)
    assert refused.returncode != 0
    assert "password-reset links would land in the server log" in refused.stderr
    allowed = run_python("import config.settings", **without_mail, ALLOW_CONSOLE_EMAIL="true")
    assert allowed.returncode == 0, allowed.stderr


def test_email_comes_from_the_environment():
    assert setting("EMAIL_BACKEND", **PRODUCTION) == "django.core.mail.backends.smtp.EmailBackend"
    assert setting("EMAIL_HOST", **PRODUCTION) == "mail.example.org"
    assert setting("EMAIL_PORT", **PRODUCTION) == 587
    assert setting("EMAIL_USE_TLS", **PRODUCTION) is True
    assert setting("EMAIL_HOST_USER", **PRODUCTION) == "batteries"
    assert setting("DEFAULT_FROM_EMAIL", **PRODUCTION) == PRODUCTION["DEFAULT_FROM_EMAIL"]
    by_host = {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "465"}
    assert setting("EMAIL_USE_SSL", **by_host) is True
    assert setting("EMAIL_HOST", **by_host) == "smtp.example.org"


def test_the_deploy_check_reports_nothing_with_the_documented_settings():
    result = run_python(
        "import django, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_https_redirect_and_hsts_are_on_in_production_and_switchable():
    assert setting("SECURE_SSL_REDIRECT", **PRODUCTION) is True
    assert setting("SECURE_HSTS_SECONDS", **PRODUCTION) == 31_536_000
    # Behind a proxy that does both itself, they can be switched off, and the deploy check
    # is told so rather than warning about what the proxy does.
    proxied = {**PRODUCTION, "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0"}
    assert setting("SECURE_SSL_REDIRECT", **proxied) is False
    silenced = setting("SILENCED_SYSTEM_CHECKS", **proxied)
    assert silenced == ["axes.W006", "security.W008", "security.W004"]


def test_the_proxy_header_is_believed_only_behind_a_proxy():
    code = "import config.settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    assert run_python(code, **PRODUCTION).stdout.strip() == "None"
    behind = run_python(code, **PRODUCTION, BEHIND_PROXY="true").stdout.strip()
    assert behind == "('HTTP_X_FORWARDED_PROTO', 'https')"


# --- Databases -------------------------------------------------------------------------------


def test_sqlite_is_the_default_with_wal_and_a_lock_timeout():
    env = {"DATABASE_URL": ""}
    database = setting("DATABASES['default']", **env)
    assert isinstance(database, dict)
    assert database["ENGINE"] == "config.sqlite3"  # Django's, placeholders rewritten once
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["timeout"] == 5


def test_database_url_selects_postgresql_with_a_connect_timeout():
    url = "postgres://postgres@127.0.0.1:5432/batteries"
    database = setting("DATABASES['default']", DATABASE_URL=url)
    assert isinstance(database, dict)
    assert database["ENGINE"] == "config.postgresql"  # Django's, health-checked without a query
    assert database["OPTIONS"]["connect_timeout"] == 5
    # Statements run again and again are prepared on the server, planned once per connection.
    assert database["OPTIONS"]["server_side_binding"] is True
    assert database["OPTIONS"]["prepare_threshold"] == 5
    # The catalogue's version is kept per connection until PostgreSQL notifies a change.
    assert setting("DATABASE_NOTIFICATIONS", DATABASE_URL=url) is True


def test_prepared_statements_can_be_switched_off_for_a_pooler_that_cannot_keep_them():
    url = "postgres://postgres@127.0.0.1:5432/batteries"
    options = setting(
        "DATABASES['default']['OPTIONS']", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false"
    )
    assert isinstance(options, dict)
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_notifications_can_be_switched_off_for_a_pooler_that_does_not_deliver_them():
    url = "postgres://postgres@127.0.0.1:5432/batteries"
    assert (
        setting("DATABASE_NOTIFICATIONS", DATABASE_URL=url, DATABASE_NOTIFICATIONS="false") is False
    )


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never says a word: a hung database or Redis."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_database_that_never_answers_gives_the_error_page_within_seconds(silent_server):
    started = time.monotonic()
    env = {
        **PRODUCTION,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_server}/batteries",
        "DATABASE_CONNECT_TIMEOUT": "2",
    }
    result = run_python(
        "import django; django.setup();"
        "from django.test import Client;"
        "response = Client(raise_request_exception=False).get('/');"
        "print(response.status_code); print(response.content.decode())",
        **env,
    )
    elapsed = time.monotonic() - started
    assert result.stdout.splitlines()[0] == "500", result.stderr[-2000:]
    assert "Something went wrong on our side" in result.stdout
    assert elapsed < 15  # the interpreter's start-up included; without a timeout: for ever


# --- Redis -----------------------------------------------------------------------------------


def test_redis_url_selects_the_redis_cache_with_short_timeouts():
    cache = setting("CACHES['default']", REDIS_URL="redis://127.0.0.1:6379/0")
    assert isinstance(cache, dict)
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert cache["OPTIONS"]["SOCKET_TIMEOUT"] == 0.2
    assert cache["OPTIONS"]["IGNORE_EXCEPTIONS"] is True


def redis_cache(location: str):
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": location,
                "OPTIONS": {
                    "SOCKET_CONNECT_TIMEOUT": 0.2,
                    "SOCKET_TIMEOUT": 0.2,
                    "IGNORE_EXCEPTIONS": True,
                },
            }
        },
        DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS=True,
        DJANGO_REDIS_LOGGER="batteries.cache",
    )


def close_redis() -> None:
    """Close the pool's sockets now: a socket left to the garbage collector is a
    ResourceWarning, an error in this suite."""
    client = caches["default"].client  # type: ignore[attr-defined]
    for connection in client._clients:
        if connection is not None:
            connection.connection_pool.disconnect()


def test_the_redis_cache_works_against_the_local_server():
    """What several app servers share when REDIS_URL is set; CI has Redis running."""
    import redis

    probe = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        probe.ping()
    except redis.ConnectionError:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip("no Redis server on 127.0.0.1:6379")
    finally:
        probe.close()
    with redis_cache("redis://127.0.0.1:6379/15"):
        try:
            cache = caches["default"]
            cache.set("confusions", {"os": ["shutil"]}, 30)
            assert cache.get("confusions") == {"os": ["shutil"]}
            cache.delete("confusions")
        finally:
            close_redis()


@pytest.mark.parametrize("server", ["dead", "silent"])
def test_pages_work_when_redis_is_dead_or_silent(client, silent_server, caplog, server):
    """The cache only speeds things up: without it a hard quiz starts (it reads learners'
    confusions from the cache), each cache call gives up within the timeout, and the
    failure is logged once, not on every call."""
    port = silent_server if server == "silent" else 1  # nothing listens on port 1
    for once in logging.getLogger("batteries.cache").filters:
        assert isinstance(once, OncePerInterval)
        once._last.clear()  # a new outage
    with redis_cache(f"redis://127.0.0.1:{port}/0"), caplog.at_level(logging.ERROR):
        try:
            started = time.monotonic()
            for _ in range(3):
                response = client.post(
                    reverse("quizzes:practice"),
                    {"count": 5, "kinds": ["which_module"], "difficulty": "hard"},
                )
                assert response.status_code == 302
            elapsed = time.monotonic() - started
        finally:
            close_redis()
    # Each start makes a few cache calls (rate limits, confusions), each given up in 0.2 s.
    assert elapsed < 6
    assert caches["default"] is not None
    records = [r for r in caplog.records if r.name == "batteries.cache"]
    assert len(records) == 1, [r.getMessage() for r in records]


def test_the_cache_failure_filter_passes_one_record_a_minute():
    once = OncePerInterval(seconds=60)
    record = logging.LogRecord("batteries.cache", logging.ERROR, "", 0, "down", None, None)
    assert once.filter(record)
    assert not once.filter(record)
    assert attempts.CONFUSIONS_CACHE_KEY  # the cache's one reader besides the rate limits


# --- .env.example ----------------------------------------------------------------------------


def example_environment() -> dict[str, str]:
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {name: value.strip('"') for name, value in pairs}


def test_env_example_names_every_variable_the_settings_read():
    source = (settings.BASE_DIR / "config" / "settings.py").read_text()
    read = set(re.findall(r'(?:env_\w+|os\.environ\.get)\(\s*"([A-Z_]+)"', source))
    assert read - set(example_environment()) == set()


def test_env_example_exported_as_it_is_gives_a_working_development_setup():
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command;"
        "call_command('check')",
        **example_environment(),
    )
    assert result.returncode == 0, result.stderr
