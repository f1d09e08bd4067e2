"""PostgreSQL connections kept between requests are checked without a query: a working one is
used as it is, and one the server has closed is replaced before the request's first query.
And the statements a connection runs again and again are prepared on the server."""

import time
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.sessions import live_session
from config.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own backend"),
]


@pytest.fixture
def kept() -> Iterator[DatabaseWrapper]:
    """A second connection to the test database, health-checked as production's are."""
    settings = {**connection.settings_dict, "CONN_HEALTH_CHECKS": True, "CONN_MAX_AGE": 600}
    wrapper = DatabaseWrapper(settings, alias="kept")
    wrapper.ensure_connection()
    connections["kept"] = wrapper
    yield wrapper
    del connections["kept"]
    wrapper.close()


def backend_pid(wrapper: DatabaseWrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def health_check(wrapper: DatabaseWrapper) -> None:
    """What Django does to a kept connection when a request starts, and before its first
    query; the server is asked nothing meanwhile."""
    wrapper.close_if_unusable_or_obsolete()
    raw = wrapper.connection

    def asked(*args: object, **kwargs: object) -> None:
        raise AssertionError("the health check asked the server")

    raw.cursor, raw.execute = asked, asked
    try:
        wrapper.close_if_health_check_failed()
    finally:
        del raw.cursor, raw.execute


def test_the_backend_is_the_one_database_url_selects():
    assert connection.settings_dict["ENGINE"] == "config.postgresql"
    assert isinstance(connections["default"], DatabaseWrapper)


def test_a_working_connection_is_kept_without_asking_the_server(kept):
    first = backend_pid(kept)
    health_check(kept)
    assert kept.health_check_done
    assert backend_pid(kept) == first


def test_a_connection_the_server_closed_is_replaced_before_the_first_query(kept):
    first = backend_pid(kept)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first])
    deadline = time.monotonic() + 5
    while kept.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    health_check(kept)
    assert kept.connection is None  # closed; the next query opens another
    # Without the check this query would fail: the server has gone.
    second = backend_pid(kept)
    assert second != first


def test_a_connection_closed_on_our_side_is_not_usable(kept):
    kept.connection.close()
    assert not kept.is_usable()


def prepared_statements(wrapper: DatabaseWrapper) -> list[str]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_run_again_and_again_is_prepared_on_the_server(kept):
    """The session read, the first query of every signed-in page: planned once, not each time."""

    def session_read() -> None:
        live_session.rows("kept", key="k" * 32, now=timezone.now())

    session_read()
    assert not any("accounts_session" in sql for sql in prepared_statements(kept))
    for _ in range(5):
        session_read()
    assert any("accounts_session" in sql for sql in prepared_statements(kept))
