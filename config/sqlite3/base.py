"""Django's SQLite backend, with each statement's placeholders rewritten once per process.

Python's sqlite3 takes `?` where Django writes `%s`, so Django's backend rewrites every
statement with a regular expression before running it: about fifteen times per answer, a
twentieth of its time. The statements on the hot paths are the same strings again and again
(`config.prepared` compiles them once), so the rewrite is kept, for the most recent ones."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db.backends.sqlite3 import base

KEPT_STATEMENTS = 2_048


@functools.lru_cache(maxsize=KEPT_STATEMENTS)
def qmark(query: str) -> str:
    """The statement in sqlite3's `?` style, as Django's backend rewrites it."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Sequence[str] | None = None) -> str:
        if param_names is None:
            return qmark(query)
        return super().convert_query(query, param_names=param_names)  # type: ignore[misc]


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)
