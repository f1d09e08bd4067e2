"""Migrations' SQL for PostgreSQL alone (the functions and triggers the app's hot paths use
there): other databases run nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations


def run_on_postgresql(sql: str) -> Callable[[Any, Any], None]:
    def operation(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return operation


def on_postgresql(sql: str, reverse_sql: str) -> migrations.RunPython:
    """Run `sql` on PostgreSQL, and `reverse_sql` to undo it."""
    return migrations.RunPython(
        run_on_postgresql(sql), run_on_postgresql(reverse_sql), elidable=False
    )
