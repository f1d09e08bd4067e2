"""Reads on the hot paths whose SQL is compiled once per database, not on every request.

Django builds a queryset's SQL afresh each time it runs. For the read every question page and
every answer starts with (the question, its quiz, its module and its answer, one query) the
building took half a millisecond, more than ten times running the query on SQLite, and a third
of the page's whole time. A `PreparedRead` is compiled from its queryset once per database,
with sample values standing in for its arguments; each call binds the arguments in their
places and converts the columns as Django would. The queryset stays the one definition of the
read: it is what is compiled, and the tests check the prepared read against it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import (
    CharField,
    DateTimeField,
    Field,
    IntegerField,
    Model,
    QuerySet,
    UUIDField,
)
from django.db.models.expressions import Expression

Converters = list[tuple[int, list[Callable[..., Any]], Expression]]


def sample_for(field: Field[Any, Any], number: int) -> Any:
    """A value of the field's type that no query here holds as a constant: it marks where the
    argument goes in the compiled parameters."""
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    if isinstance(target, UUIDField):
        return uuid.UUID(int=0x5A3F_0000_0000_0000_0000_0000_0000_0000 + number)
    if isinstance(target, IntegerField):
        return 29_371 + number  # within a small integer field's range
    if isinstance(target, CharField):
        return f"prepared-sample-{number}"
    if isinstance(target, DateTimeField):
        return datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC) + timedelta(seconds=number)
    raise ImproperlyConfigured(f"No sample value for a {type(target).__name__} argument.")


def columns(joined: Sequence[tuple[type[Model], str]]) -> list[str]:
    """The columns of a read of several models, joined by the paths given: every concrete
    field of each, in order, as `select_related` would read them."""
    return [f"{path}{f.attname}" for model, path in joined for f in model._meta.concrete_fields]


def instances(
    row: Sequence[Any], joined: Sequence[tuple[type[Model], str]], using: str
) -> list[Model | None]:
    """A row of `columns(joined)` as one instance of each model; None for a model whose
    columns are all missing (an outer join that found nothing)."""
    made: list[Model | None] = []
    start = 0
    for model, _path in joined:
        names = [f.attname for f in model._meta.concrete_fields]
        values = row[start : start + len(names)]
        start += len(names)
        made.append(None if values[0] is None else model.from_db(using, names, values))
    return made


@dataclass(frozen=True)
class Compiled:
    sql: str
    slots: tuple[str, ...]  # the argument bound to each parameter, in order
    converters: Converters


class PreparedRead:
    """A values_list queryset's SQL, compiled once per database alias.

    `build(**arguments)` makes the queryset; `arguments` names each argument's model field,
    which turns a value into the parameter the database takes (a UUID into hex on SQLite)."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]], **arguments: Field[Any, Any]):
        self.build = build
        self.arguments = arguments
        self._compiled: dict[tuple[str, str], Compiled] = {}
        self._lock = threading.Lock()

    def compiled(self, using: str) -> Compiled:
        key = (using, connections[using].vendor)
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled[key] = self.compile(using)
        return found

    def compile(self, using: str) -> Compiled:
        samples = {name: sample_for(f, n) for n, (name, f) in enumerate(self.arguments.items())}
        compiler = self.build(**samples).query.get_compiler(using)
        sql, params = compiler.as_sql()
        bound = {name: self.prepare(name, value, using) for name, value in samples.items()}
        slots = []
        for param in params:
            names = [name for name, value in bound.items() if value == param]
            if len(names) != 1:
                raise ImproperlyConfigured(
                    f"Parameter {param!r} of a prepared read is not exactly one argument: "
                    "only the arguments may vary."
                )
            slots.append(names[0])
        if set(slots) != set(self.arguments):
            raise ImproperlyConfigured("Each argument of a prepared read must be used in it.")
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        return Compiled(
            sql=sql,
            slots=tuple(slots),
            converters=[(pos, convs, expr) for pos, (convs, expr) in converters.items()],
        )

    def prepare(self, name: str, value: Any, using: str) -> Any:
        field = self.arguments[name]
        return field.get_db_prep_value(value, connections[using], prepared=False)

    def out_of_range(self, name: str, value: Any, using: str) -> bool:
        """Whether an integer argument is beyond what its column can hold: then no row can
        equal it (Django's lookups make such a query match nothing, rather than send it)."""
        field = self.arguments[name]
        target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
        if not isinstance(target, IntegerField) or not isinstance(value, int):
            return False
        low, high = connections[using].ops.integer_field_range(target.get_internal_type())
        return (low is not None and value < low) or (high is not None and value > high)

    def rows(self, using: str = "default", **arguments: Any) -> list[Sequence[Any]]:
        """The rows, their columns converted as the queryset would convert them. Integer
        arguments are compared for equality: one out of its column's range finds nothing."""
        if any(self.out_of_range(name, value, using) for name, value in arguments.items()):
            return []
        compiled = self.compiled(using)
        connection = connections[using]
        params = [self.prepare(name, arguments[name], using) for name in compiled.slots]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        converted: list[Sequence[Any]] = []
        for raw in rows:
            row = list(raw)
            for pos, convs, expression in compiled.converters:
                value = row[pos]
                for convert in convs:
                    value = convert(value, expression, connection)
                row[pos] = value
            converted.append(row)
        return converted
