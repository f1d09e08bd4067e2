"""Django's SQLite backend, with each statement's placeholders rewritten once per process, and
the TEMP views and triggers apps ask for made on every connection.

Python's sqlite3 takes `?` where Django writes `%s`, so Django's backend rewrites every
statement with a regular expression before running it: about fifteen times per answer, a
twentieth of its time. The statements on the hot paths are the same strings again and again
(`config.prepared` compiles them once), so the rewrite is kept, for the most recent ones.

SQLite has no stored functions: a statement that does several writes at once is an insert
into a view whose INSTEAD OF trigger does them (quizzes.services.one_trip). They are TEMP,
each connection's own and not in the database file, because a trigger that names a table
stops Django from altering that table: Django remakes a table to alter it (a copy, then the
old one dropped and the copy renamed), and SQLite refuses the rename while a trigger names a
table that is gone. So the schema editor drops them before it changes anything, and makes
them again when it is done."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from django.db.backends.sqlite3 import base, schema

KEPT_STATEMENTS = 2_048


@dataclass(frozen=True)
class TempSchema:
    """TEMP views and triggers: the statements that make them, and those that drop them."""

    create: Sequence[str]
    drop: Sequence[str]


# What each connection makes as it opens: apps add theirs as they are ready.
TEMP_SCHEMAS: list[TempSchema] = []


def temp_schema(schema: TempSchema) -> None:
    """Have every SQLite connection opened from now on make `schema`."""
    if schema not in TEMP_SCHEMAS:
        TEMP_SCHEMAS.append(schema)


def temp_schemas_create(connection: sqlite3.Connection) -> None:
    for schema_ in TEMP_SCHEMAS:
        for statement in schema_.create:
            connection.execute(statement)


def temp_schemas_drop(connection: sqlite3.Connection) -> None:
    for schema_ in TEMP_SCHEMAS:
        for statement in schema_.drop:
            connection.execute(statement)


@functools.lru_cache(maxsize=KEPT_STATEMENTS)
def qmark(query: str) -> str:
    """The statement in sqlite3's `?` style, as Django's backend rewrites it."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: Sequence[str] | None = None) -> str:
        if param_names is None:
            return qmark(query)
        return super().convert_query(query, param_names=param_names)  # type: ignore[misc]


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    """Django's, with the connection's TEMP views and triggers dropped while it works."""

    def __enter__(self) -> DatabaseSchemaEditor:
        # Before Django's own transaction begins: a rolled-back migration leaves them dropped,
        # and __exit__ makes them again either way.
        self.connection.ensure_connection()
        temp_schemas_drop(self.connection.connection)
        return super().__enter__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            super().__exit__(exc_type, exc_value, traceback)
        finally:
            if self.connection.connection is not None:
                temp_schemas_create(self.connection.connection)


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        temp_schemas_create(connection)
        return connection

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)
