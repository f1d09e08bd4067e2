import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings

# pytest-django's live_server runs beside Playwright's sync API, which holds an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Hashing a password properly takes a good part of a second, on purpose: the tests make
    and check many, so they use the fastest hasher Django has."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def no_cached_pages():
    """Each test starts with no rendered fragments or dashboards kept: its query counts are a
    first visit's, whatever ran before it in this process."""
    caches["pages"].clear()
    caches["dashboards"].clear()


def load_catalogue() -> None:
    call_command("loaddata", "catalogue", verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """Every database test starts with the real catalogue, as the app ships it."""
    with django_db_blocker.unblock():
        load_catalogue()


@pytest.fixture
def catalogue_db(transactional_db) -> None:
    """Real transactions (for tests that run requests in threads), with the catalogue:
    transactional tests flush the database, so each loads it again."""
    load_catalogue()


@pytest.fixture
def catalogue_live_server(live_server, catalogue_db):
    """A live server whose database holds the catalogue."""
    return live_server


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return path if os.path.exists(path) else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium: nothing may download a browser on these machines."""
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: install it with `apt-get install -y chromium`."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": ["--disable-gpu", "--disable-quic", "--disable-background-networking"],
    }


@pytest.fixture
def screenshots(request) -> Path:
    """A folder for this test's screenshots, one per journey step."""
    folder = ARTIFACTS / "screenshots" / re.sub(r"[^\w.=-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(fixtures)
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that commit (live servers, threads) run last, as pytest-django means them to: they
    empty the database when they end, and every other test needs the catalogue the session
    loaded. pytest's own grouping of tests by shared fixtures can move some of the others
    after them, so the order is made again here, keeping the rest of it."""
    items.sort(key=transactional)
