"""Django's PostgreSQL backend, with a health check that costs no round trip.

With `CONN_HEALTH_CHECKS`, Django asks a reused connection whether it is usable before the
first query of every request, and Django's PostgreSQL backend asks the server `SELECT 1`: one
more statement on every page. A connection the server has closed (a restart,
`pg_terminate_backend`, an idle timeout) is known without asking: the server says goodbye and
closes its end, so the idle connection's socket has something to read (its error, or the end
of the stream). A working idle connection has nothing to read, since we never LISTEN. So the
check looks at the socket; when it has anything to say, or the connection is not idle, the
connection is closed and a new one opened: at worst one connection more than needed."""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus


class DatabaseWrapper(base.DatabaseWrapper):
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
