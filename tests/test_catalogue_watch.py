"""On PostgreSQL each connection reads the catalogue's version once and keeps it until a
trigger's notification says it changed: no query for it on every request, and never a stale
catalogue once a change has committed."""

import time
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalogue import snapshot
from catalogue.models import CatalogueVersion
from config.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.usefixtures("catalogue_db"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's notifications"),
]


@pytest.fixture
def elsewhere() -> Iterator[DatabaseWrapper]:
    """Another process's connection to the same database."""
    other = DatabaseWrapper({**connection.settings_dict}, alias="elsewhere")
    other.ensure_connection()
    yield other
    other.close()


def token() -> str:
    return str(CatalogueVersion.objects.get().token)


def change_elsewhere(other: DatabaseWrapper) -> str:
    new = uuid.uuid4()
    with other.cursor() as cursor:
        cursor.execute("UPDATE catalogue_catalogueversion SET token = %s", [new])
    return str(new)


def test_the_version_is_read_once_per_connection():
    expected = token()
    assert snapshot.current_version() == expected
    snapshot.get_catalogue()
    with CaptureQueriesContext(connection) as queries:
        again = snapshot.current_version()
        snapshot.get_catalogue()
    assert again == expected
    assert queries.captured_queries == []


def test_a_change_committed_elsewhere_is_read_once_notified(elsewhere):
    before = snapshot.current_version()
    changed = change_elsewhere(elsewhere)

    deadline = time.monotonic() + 5
    while snapshot.current_version() == before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert snapshot.current_version() == changed
    assert snapshot.get_catalogue().version == changed


def test_a_connection_with_a_notification_waiting_is_replaced_and_reads_the_version(elsewhere):
    """The health check at a request's start sees the socket readable and opens a new
    connection; that one reads the version afresh."""
    snapshot.current_version()
    backend = connection.connection.info.backend_pid
    changed = change_elsewhere(elsewhere)
    time.sleep(0.2)  # the notification is on its way to the idle connection

    assert not connection.is_usable()  # so Django's health check closes it
    connection.close()
    assert snapshot.current_version() == changed
    assert connection.connection.info.backend_pid != backend


def test_a_change_made_here_is_read_at_once():
    before = snapshot.current_version()
    snapshot.bump_catalogue_version()
    assert snapshot.current_version() != before
    assert snapshot.current_version() == token()


def test_in_a_transaction_the_version_is_read_each_time(elsewhere):
    """LISTEN takes effect only at commit: inside a transaction nothing is kept."""
    snapshot.current_version()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            snapshot.current_version()
            snapshot.current_version()
        assert len(queries.captured_queries) == 2
