"""Batteries settings: one module, read from the environment, safe development defaults."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
import django_stubs_ext
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

# Lets the admin and managers be written with their generic types, as django-stubs types them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_str(name: str, default: str) -> str:
    """The variable, or the default when it is unset or empty (as `.env.example` leaves many)."""
    return os.environ.get(name, "").strip() or default


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEVELOPMENT_SECRET_KEY = "django-insecure-batteries-development-key-do-not-use-in-production"

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development key: set SECRET_KEY to a long random value."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "catalogue",
    "quizzes",
    "accounts",
    "classrooms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Our 404 page, also with DEBUG on; outside CommonMiddleware (see its docstring).
    "config.middleware.NotFoundPages",
    "config.middleware.reject_nul",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, taking the signed-in user from the session's read (see accounts.sessions).
    "accounts.middleware.AuthenticationMiddleware",
    "config.middleware.private_pages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "accounts.throttling.login_throttle",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quizzes.context_processors.question_kinds",
                "accounts.context_processors.role",
                "config.context_processors.layout",
            ],
        },
    },
    # The question's card alone (config.templating says why): views ask this engine by name.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.templating.environment"},
    },
]

# SQLite by default (WAL and persistent connections: measured about 290 -> 1,100 one-row
# POSTs per second on these machines); PostgreSQL, or any other database, via DATABASE_URL.
# A database that accepts and never answers must not hang every request: connecting gives up
# after DATABASE_CONNECT_TIMEOUT seconds, and the app shows its own error page.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 600)
# On PostgreSQL, values every request needs current (the catalogue's version) are kept per
# connection until a notification says they changed (config.postgresql). Off behind a pooler in
# transaction mode, which does not deliver notifications (PgBouncer).
DATABASE_NOTIFICATIONS = env_bool("DATABASE_NOTIFICATIONS", default=True)
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 5)
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's, with a health check that costs no round trip (see its docstring).
        DATABASES["default"]["ENGINE"] = "config.postgresql"
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        # Statements a connection runs again and again are prepared on the server after the
        # fifth time (psycopg's own threshold), so PostgreSQL plans them once per connection:
        # planning the question read took 0.35 ms, four times running it. Off behind a
        # connection pooler that cannot keep prepared statements (PgBouncer in transaction
        # mode before 1.21).
        if env_bool("DATABASE_PREPARED_STATEMENTS", default=True):
            DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
            DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
else:
    DATABASES = {
        "default": {
            # Django's, with each statement's placeholders rewritten once (see its docstring).
            "ENGINE": "config.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "OPTIONS": {
                # How long to wait for a lock another process holds.
                "timeout": DATABASE_CONNECT_TIMEOUT,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Tests that run requests in several threads need a database file, which every
            # thread's connection opens: an in-memory database would be one connection's.
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH", str(BASE_DIR / "test-db.sqlite3"))},
        }
    }

# Sessions live in the database and the cache in Redis when REDIS_URL is set, else in the
# database: either way every app process sees the same state. The cache only speeds things
# up, so a dead or silent Redis is skipped within REDIS_TIMEOUT seconds, and logged.
REDIS_TIMEOUT = float(env_str("REDIS_TIMEOUT", "0.2"))
CACHES: dict[str, dict[str, Any]]
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "batteries.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "batteries_cache",
        }
    }
# Rendered catalogue fragments, in each process's memory: their keys carry the catalogue's
# version, so an edit in the admin (which changes it) is seen by every process at once, and a
# process never has to ask another machine for them.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "batteries-pages",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 2_000},
}
# Dashboards as rendered, in each process's memory, under their data's versions (see
# config.kept): a few tens of kilobytes each, for the learners and classes viewed lately.
CACHES["dashboards"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "batteries-dashboards",
    "OPTIONS": {"MAX_ENTRIES": 1_000},
}
SESSION_ENGINE = "accounts.sessions"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks: it refuses a locked-out account before any password check.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ProfileModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quizzes:dashboard"
LOGOUT_REDIRECT_URL = "catalogue:home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Outgoing email (password resets): EMAIL_URL (smtp://user:password@host:587/?tls=True), or
# EMAIL_HOST and its friends. Without either, development prints mail to the console; with
# DEBUG off that would send reset links to the log, so the app refuses to start on it unless
# ALLOW_CONSOLE_EMAIL says so.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Batteries <batteries@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_URL"):
    _email = dj_email_url.parse(os.environ["EMAIL_URL"])
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
if not DEBUG and EMAIL_BACKEND == CONSOLE_EMAIL and not env_bool("ALLOW_CONSOLE_EMAIL", False):
    raise ImproperlyConfigured(
        "DEBUG is off but email goes to the console, so password-reset links would land in the "
        "server log: set EMAIL_URL (or EMAIL_HOST), or ALLOW_CONSOLE_EMAIL=true to accept it."
    )

# Security. Behind a proxy that terminates HTTPS, say so with BEHIND_PROXY: only then is its
# X-Forwarded-Proto header believed (a client reaching gunicorn directly could send it too).
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses are throttled too, at a limit of their own (quizzes/throttling.py): axes need not.
SILENCED_SYSTEM_CHECKS: list[str] = ["axes.W006"]
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    # On by default; a deployment whose proxy redirects and sends HSTS itself turns them off,
    # and the deploy check then need not warn about what the proxy does.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS.append("security.W008")
    if not SECURE_HSTS_SECONDS:
        SILENCED_SYSTEM_CHECKS.append("security.W004")

# Scripts only from this site (htmx and the quiz's keyboard script are static files); inline
# style attributes (progress bars) are allowed, inline scripts are not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Throttling. Log-ins: an account is locked after AXES_FAILURE_LIMIT wrong passwords in a row
# (django-axes, the admin's log-in included), and an address after LOGIN_FAILURES_PER_ADDRESS
# failures within the cool-off, whatever the accounts (higher: a classroom shares an address).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.throttling.locked_out"
AXES_USERNAME_CALLABLE = "accounts.throttling.login_username"
AXES_VERBOSE = False
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20)
# Starting quizzes: per session and per address; over the limit is a friendly 429 page.
QUIZ_STARTS_PER_SESSION = env_str("QUIZ_STARTS_PER_SESSION", "10/m")
QUIZ_STARTS_PER_ADDRESS = env_str("QUIZ_STARTS_PER_ADDRESS", "60/m")
RATELIMIT_VIEW = "config.errors.too_many_requests"
# A cache that fails (Redis down) must not lock everyone out.
RATELIMIT_FAIL_OPEN = True
if env_bool("BEHIND_PROXY", default=False):
    # The proxy puts the client's address first in X-Forwarded-For.
    RATELIMIT_IP_META_KEY = "config.errors.client_address"
    AXES_IPWARE_PROXY_COUNT = 1

# Visitors' quizzes and sessions older than this are deleted by `manage.py prune`.
ABANDONED_AFTER_DAYS = env_int("ABANDONED_AFTER_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # A dead Redis fails every cache call: say so once a minute, not on every request.
        "once_a_minute": {"()": "config.logging.OncePerInterval", "seconds": 60},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"batteries.cache": {"level": "ERROR", "filters": ["once_a_minute"]}},
}
