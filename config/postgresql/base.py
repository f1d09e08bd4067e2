"""Django's PostgreSQL backend, with a health check that costs no round trip.

With `CONN_HEALTH_CHECKS`, Django asks a reused connection whether it is usable before the
first query of every request, and Django's PostgreSQL backend asks the server `SELECT 1`: one
more statement on every page. A connection the server has closed (a restart,
`pg_terminate_backend`, an idle timeout) is known without asking: the server says goodbye and
closes its end, so the idle connection's socket has something to read (its error, or the end
of the stream). A working idle connection has nothing to read, but for a notification on a
channel it listens to (`watched`, below), which comes only when a watched value changes. So the
check looks at the socket; when it has anything to say, or the connection is not idle, the
connection is closed and a new one opened: at worst one connection more than needed.

And a value every request needs to know is current (the catalogue's version) is read once per
connection and kept until a trigger's notification says it changed (`watched`)."""

from __future__ import annotations

import select
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus

T = TypeVar("T")


class DatabaseWrapper(base.DatabaseWrapper):
    """With values read once per connection and kept until the server says they changed (see
    `watched`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listening: set[str] = set()
        self.kept: dict[str, Any] = {}

    def get_new_connection(self, conn_params: dict[str, Any]) -> psycopg.Connection[Any]:
        connection = super().get_new_connection(conn_params)
        self.listening, self.kept = set(), {}
        connection.add_notify_handler(lambda notify: self.kept.pop(notify.channel, None))
        return connection

    def watched(self, channel: str, read: Callable[[], T]) -> T:
        """`read()`, kept on this connection until a notification on `channel` (a trigger's
        NOTIFY, sent when the transaction that changed the value commits) says it changed.

        The connection LISTENs before it first reads, so a change is either read or notified.
        Notifications come in with any query's results, or wait on the socket, read here
        without a round trip. Inside a transaction (where LISTEN would wait for the commit),
        on a connection closed after each request, or with DATABASE_NOTIFICATIONS off (a pooler in
        transaction mode, which does not deliver them), the value is read every time."""
        self.ensure_connection()
        if (
            self.in_atomic_block
            or not self.get_autocommit()
            or self.settings_dict["CONN_MAX_AGE"] == 0
            or not settings.DATABASE_NOTIFICATIONS
        ):
            return read()
        self.notifications_read()
        if channel in self.kept:
            return self.kept[channel]
        if channel not in self.listening:
            with self.cursor() as cursor:
                cursor.execute(f'LISTEN "{channel}"')
            self.listening.add(channel)
        value = read()
        self.kept[channel] = value
        return value

    def forget(self, channel: str) -> None:
        """This connection changed the value: read it again next time."""
        self.kept.pop(channel, None)

    def notifications_read(self) -> None:
        """Take in any notifications waiting on the socket (they drop what they name)."""
        pgconn = self.connection.pgconn
        try:
            pgconn.consume_input()
        except psycopg.OperationalError:
            self.kept.clear()  # the connection is broken: the next query says so
            return
        while notify := pgconn.notifies():
            if pgconn.notify_handler:
                pgconn.notify_handler(notify)

    def is_usable(self) -> bool:
        """Whether the connection looks usable without a word to the server: open on our side,
        outside any transaction, and nothing waiting on its socket."""
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
