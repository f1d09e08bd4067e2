"""Statements on the hot paths whose SQL is compiled once per database, not on every request.

Django builds a queryset's SQL afresh each time it runs. For the read every question page and
every answer starts with (the question, its quiz, its module and its answer, one query) the
building took half a millisecond, more than ten times running the query on SQLite, and a third
of the page's whole time; each of an answer's increments took a tenth of one. A prepared
statement is compiled from its queryset once per database, with sample values standing in for
its arguments; each call binds the arguments in their places (and a read converts its columns
as Django would). The queryset stays the one definition of the statement: it is what is
compiled, and the tests check each prepared statement against the ORM."""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    Field,
    FloatField,
    IntegerField,
    Model,
    TextField,
    UUIDField,
)
from django.db.models.constants import OnConflict
from django.db.models.expressions import Expression
from django.db.models.sql import InsertQuery, UpdateQuery
from django.db.models.sql.compiler import SQLCompiler, SQLInsertCompiler

Converters = list[tuple[int, list[Callable[..., Any]], Expression]]


def concrete_field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def column_field(field: Field[Any, Any]) -> Field[Any, Any]:
    """The field whose column holds the value: the key's own field for a relation."""
    return field.target_field if field.is_relation else field  # type: ignore[attr-defined]


def sample_for(field: Field[Any, Any], number: int) -> Any:
    """A value of the field's type that no query here holds as a constant: it marks where the
    argument goes in the compiled parameters."""
    target = column_field(field)
    if isinstance(target, UUIDField):
        return uuid.UUID(int=0x5A3F_0000_0000_0000_0000_0000_0000_0000 + number)
    if isinstance(target, IntegerField):
        return 29_371 + number  # within a small integer field's range
    if isinstance(target, FloatField):
        return 29_371.5 + number
    if isinstance(target, CharField | TextField):
        return f"prepared-sample-{number}"
    if isinstance(target, DateTimeField):
        return datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC) + timedelta(seconds=number)
    if isinstance(target, DateField):
        return date(2001, 2, 3) + timedelta(days=number)
    raise ImproperlyConfigured(f"No sample value for a {type(target).__name__} argument.")


@functools.cache
def attnames(model: type[Model]) -> list[str]:
    """The model's concrete fields' column attributes, in the order `from_db` takes them."""
    return [f.attname for f in model._meta.concrete_fields]


# Of the models of a read, those read in part: the fields read, by model (`only()`'s, in effect).
Only = Mapping[type[Model], Sequence[str]]


def columns(joined: Sequence[tuple[type[Model], str]], only: Only | None = None) -> list[str]:
    """The columns of a read of several models, joined by the paths given: every concrete
    field of each, in order, as `select_related` would read them; of a model in `only`, the
    fields it names (the rest deferred, as `only()` defers them)."""
    return [f"{path}{name}" for model, path in joined for name in read_names(model, only)]


def read_names(model: type[Model], only: Only | None) -> Sequence[str]:
    return only[model] if only and model in only else attnames(model)


def instances(
    row: Sequence[Any],
    joined: Sequence[tuple[type[Model], str]],
    using: str,
    only: Only | None = None,
) -> list[Model | None]:
    """A row of `columns(joined, only)` as one instance of each model; None for a model whose
    columns are all missing (an outer join that found nothing)."""
    made: list[Model | None] = []
    start = 0
    for model, _path in joined:
        names = read_names(model, only)
        values = row[start : start + len(names)]
        start += len(names)
        made.append(None if values[0] is None else model.from_db(using, names, values))
    return made


@dataclass(frozen=True)
class Compiled:
    sql: str
    # Each parameter in order: (argument, None) for an argument's value, (None, value) for a
    # constant of the query.
    slots: tuple[tuple[str | None, Any], ...]
    converters: Converters
    # Per argument, the type whose values are bound as they are (see Prepared.as_given):
    # preparing them by their field would only give them back.
    as_given: dict[str, type | None]
    # The number of columns a read gives (0 for other statements).
    width: int = 0


T = TypeVar("T")


class CompiledOnce(Generic[T]):
    """What `compile(using)` makes, made once per database alias (and vendor), however many
    threads ask for it at once. The hot paths look the alias's connection up once per statement
    and pass it along (each lookup in `connections` costs about a microsecond)."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, str], T] = {}
        self._lock = threading.Lock()

    def compiled(self, using: str, connection: BaseDatabaseWrapper | None = None) -> T:
        key = (using, (connection or connections[using]).vendor)
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled[key] = self.compile(using)
        return found

    def compile(self, using: str) -> T:
        raise NotImplementedError


class Prepared(CompiledOnce[Compiled]):
    """A statement's SQL, compiled once per database alias from what `build(**arguments)`
    makes; `arguments` names each argument's model field, which turns a value into the
    parameter the database takes (a UUID into hex on SQLite). It is compiled twice, with two
    sets of samples: its SQL must not change with them, and each parameter must be a constant
    or exactly one argument's value (not a value worked out from one, which could not be
    bound later)."""

    statement = "statement"

    def __init__(self, build: Callable[..., Any], **arguments: Field[Any, Any]):
        super().__init__()
        self.build = build
        self.arguments = arguments

    def compiler(self, built: Any, using: str) -> SQLCompiler:
        raise NotImplementedError

    def compile(self, using: str) -> Compiled:
        runs = []
        connection = connections[using]
        for offset in (0, 1000):
            samples = {
                name: sample_for(f, offset + n)
                for n, (name, f) in enumerate(self.arguments.items())
            }
            compiler = self.compiler(self.build(**samples), using)
            sql, params = compiler.as_sql()
            bound = {name: self.prepare(name, value, connection) for name, value in samples.items()}
            runs.append((compiler, sql, tuple(params), bound))
        (compiler, sql, params, bound), (_, other_sql, other_params, other_bound) = runs
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(
                f"A prepared {self.statement}'s SQL changes with its arguments."
            )
        slots: list[tuple[str | None, Any]] = []
        for param, other in zip(params, other_params, strict=True):
            if param == other:
                slots.append((None, param))
                continue
            names = [n for n in bound if bound[n] == param and other_bound[n] == other]
            if len(names) != 1:
                raise ImproperlyConfigured(
                    f"Parameter {param!r} of a prepared {self.statement} is not exactly one "
                    "argument: an argument must be bound as it is given, not worked out from."
                )
            slots.append((names[0], None))
        if {name for name, _ in slots if name} != set(self.arguments):
            raise ImproperlyConfigured(
                f"Each argument of a prepared {self.statement} must be used in it."
            )
        return Compiled(
            sql=sql,
            slots=tuple(slots),
            converters=self.converters(compiler),
            as_given={name: self.as_given(name, using) for name in self.arguments},
            width=self.width(compiler),
        )

    def converters(self, compiler: SQLCompiler) -> Converters:
        return []

    def width(self, compiler: SQLCompiler) -> int:
        return 0

    def as_given(self, name: str, using: str) -> type | None:
        """The type whose values the argument's field prepares as they are on this database:
        int for an integer column (or a key to one) where the driver takes a plain int
        (SQLite; PostgreSQL wants its integer types named), str for a text column; None for
        any other."""
        target = column_field(self.arguments[name])
        if isinstance(target, IntegerField):  # AutoField and BigAutoField too
            candidate: type = int
        elif type(target) in (CharField, TextField):
            candidate = str
        else:
            return None
        for sample in (candidate(7), candidate(29_371)):
            prepared = self.prepare(name, sample, connections[using])
            if type(prepared) is not candidate or prepared != sample:
                return None
        return candidate

    def prepare(self, name: str, value: Any, connection: BaseDatabaseWrapper) -> Any:
        field = self.arguments[name]
        return field.get_db_prep_value(value, connection, prepared=False)

    def params(
        self, compiled: Compiled, arguments: dict[str, Any], connection: BaseDatabaseWrapper
    ) -> list[Any]:
        as_given = compiled.as_given
        return [
            constant
            if name is None
            else value
            if type(value := arguments[name]) is as_given[name]
            else self.prepare(name, value, connection)
            for name, constant in compiled.slots
        ]


class PreparedRead(Prepared):
    """A values_list queryset, read with its SQL compiled once per database alias."""

    statement = "read"

    def compiler(self, built: Any, using: str) -> SQLCompiler:
        return built.query.get_compiler(using)

    def converters(self, compiler: SQLCompiler) -> Converters:
        found = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        return [(pos, convs, expr) for pos, (convs, expr) in found.items()]

    def width(self, compiler: SQLCompiler) -> int:
        return len(compiler.select)

    def out_of_range(self, name: str, value: Any, connection: BaseDatabaseWrapper) -> bool:
        """Whether an integer argument is beyond what its column can hold: then no row can
        equal it (Django's lookups make such a query match nothing, rather than send it)."""
        field = self.arguments[name]
        target = column_field(field)
        if not isinstance(target, IntegerField) or not isinstance(value, int):
            return False
        low, high = connection.ops.integer_field_range(target.get_internal_type())
        return (low is not None and value < low) or (high is not None and value > high)

    def fits(self, connection: BaseDatabaseWrapper, arguments: Mapping[str, Any]) -> bool:
        """Whether each integer argument is within its column's range (see out_of_range)."""
        return not any(self.out_of_range(n, v, connection) for n, v in arguments.items())

    def none_fit(self) -> list[Sequence[Any]]:
        """The rows when an argument is beyond its column's range: none can equal it."""
        return []

    def rows(self, using: str = "default", **arguments: Any) -> list[Sequence[Any]]:
        """The rows, their columns converted as the queryset would convert them. Integer
        arguments are compared for equality: one out of its column's range finds nothing."""
        connection = connections[using]
        if not self.fits(connection, arguments):
            return self.none_fit()
        compiled = self.compiled(using, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, self.params(compiled, arguments, connection))
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


class PreparedBeside(PreparedRead):
    """Two reads in one statement, for one round trip where there would be two: each row of
    `first` with the row of `second` beside it (its columns None where it finds nothing), as
    `SELECT * FROM (first) LEFT JOIN (second) ON TRUE`. Meant for a first read of one row at
    most (a session by its key, say) and a second of one row at most; the two share no
    argument name, and each row reads `first`'s columns, then `second`'s."""

    def __init__(self, first: PreparedRead, second: PreparedRead):
        clash = set(first.arguments) & set(second.arguments)
        if clash:
            raise ImproperlyConfigured(f"Reads side by side share arguments: {sorted(clash)}.")
        super().__init__(lambda **arguments: None, **first.arguments, **second.arguments)
        self.first, self.second = first, second

    def compile(self, using: str) -> Compiled:
        first, second = self.first.compiled(using), self.second.compiled(using)
        shifted = [(pos + first.width, convs, expr) for pos, convs, expr in second.converters]
        return Compiled(
            sql=(
                f"SELECT * FROM ({first.sql}) first_read "
                f"LEFT JOIN ({second.sql}) second_read ON TRUE"
            ),
            slots=first.slots + second.slots,
            converters=first.converters + shifted,
            as_given={**first.as_given, **second.as_given},
            width=first.width + second.width,
        )

    def none_fit(self) -> list[Sequence[Any]]:
        # Either read alone would find nothing; side by side, `first` could find a row.
        raise ValueError("An argument is beyond its column's range: see fits().")

    def split(self, row: Sequence[Any], using: str) -> tuple[Sequence[Any], Sequence[Any]]:
        """The row as `first`'s columns and `second`'s."""
        width = self.first.compiled(using).width
        return row[:width], row[width:]


class PreparedUpdate(Prepared):
    """An UPDATE compiled once per database alias: `build(**arguments)` gives the queryset and
    the values to set, as `queryset.update(**values)` takes them. Its arguments bind where
    values are set (an increment, say) as well as in the filter."""

    statement = "update"

    def compiler(self, built: Any, using: str) -> SQLCompiler:
        queryset, values = built
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(values)
        return query.get_compiler(using)

    def run(self, using: str = "default", **arguments: Any) -> int:
        """Update the rows; how many there were. A failure marks the transaction for
        rollback, as `QuerySet.update` does."""
        connection = connections[using]
        compiled = self.compiled(using, connection)
        with (
            transaction.mark_for_rollback_on_error(using),
            connection.cursor() as cursor,
        ):
            cursor.execute(compiled.sql, self.params(compiled, arguments, connection))
            return cursor.rowcount


@dataclass(frozen=True)
class CompiledInsert:
    sql: str
    fields: tuple[Field[Any, Any], ...]
    returning: bool  # the SQL returns the new key; else the cursor's last row id


def insert_compiled(query: InsertQuery, using: str, *, returning: bool) -> CompiledInsert:
    """The query's INSERT of one row of its model, as `Model.save()` inserts it: every concrete
    field but the automatic key, each value a parameter; with `returning`, it returns the new
    key."""
    model = query.model
    assert model is not None
    meta = model._meta
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)
    if any(f.generated or f.db_default is not models.NOT_PROVIDED for f in fields):
        raise ImproperlyConfigured("A prepared insert sets every column itself.")
    query.insert_values(list(fields), [model()])
    compiler = query.get_compiler(using)
    assert isinstance(compiler, SQLInsertCompiler)
    compiler.returning_fields = [meta.pk] if returning else None
    [(sql, params)] = compiler.as_sql()
    if len(params) != len(fields):
        raise ImproperlyConfigured("A prepared insert binds one value per column.")
    return CompiledInsert(sql=sql, fields=fields, returning=returning)


@contextmanager
def inserting(
    compiled: CompiledInsert, instance: Model, connection: BaseDatabaseWrapper
) -> Iterator[Any]:
    """Run the INSERT of the instance's row (each value prepared by its field, as `save()`
    prepares it); the cursor, for what it returns. A failure (a constraint the row breaks)
    marks the transaction for rollback, as `save()` does."""
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for field in compiled.fields
    ]
    with (
        transaction.mark_for_rollback_on_error(connection.alias),
        connection.cursor() as cursor,
    ):
        cursor.execute(compiled.sql, params)
        yield cursor


class PreparedInsert(CompiledOnce[CompiledInsert]):
    """One new row of `model`, inserted as `Model.save()` inserts it (every concrete field but
    the automatic key, each value prepared by its field), with the INSERT's SQL compiled once
    per database alias rather than on every save. With `ignore_conflicts`, a row that would
    break a unique constraint is not inserted, as `bulk_create(ignore_conflicts=True)` does,
    and no savepoint is needed to go on after it: `run` says whether the row went in."""

    def __init__(self, model: type[Model], *, ignore_conflicts: bool = False):
        super().__init__()
        self.model = model
        self.ignore_conflicts = ignore_conflicts

    def compile(self, using: str) -> CompiledInsert:
        meta = self.model._meta
        if meta.auto_field is None or meta.db_returning_fields != [meta.pk]:
            raise ImproperlyConfigured("A prepared insert is of a model keyed by an auto field.")
        query = InsertQuery(
            self.model, on_conflict=OnConflict.IGNORE if self.ignore_conflicts else None
        )
        returning = connections[using].features.can_return_columns_from_insert
        return insert_compiled(query, using, returning=returning)

    def run(self, instance: Model, using: str = "default") -> bool:
        """Insert the instance's row and give it its new key: True. With `ignore_conflicts`,
        False when a row already there kept it out (the instance then has no key). A failure
        (a constraint the row breaks) marks the transaction for rollback, as `save()` does."""
        connection = connections[using]
        compiled = self.compiled(using, connection)
        with inserting(compiled, instance, connection) as cursor:
            if compiled.returning:
                # ON CONFLICT DO NOTHING ... RETURNING returns no row for a row kept out.
                returned = cursor.fetchone()
                key = returned[0] if returned else None
            elif self.ignore_conflicts and cursor.rowcount != 1:
                key = None
            else:
                key = connection.ops.last_insert_id(
                    cursor, self.model._meta.db_table, self.model._meta.pk.column
                )
        if key is None:
            return False
        instance.pk = key
        instance._state.adding = False
        instance._state.db = using
        return True


class PreparedCount(CompiledOnce[CompiledInsert]):
    """A tally counted in one statement: a new row of `model` inserted with its counts, or
    where a row with the same `unique` fields is there already (a unique constraint of the
    model's), that row's `counts` increased by the new row's instead. Safe however many
    answers race for one row, on SQLite and PostgreSQL (`INSERT ... ON CONFLICT DO UPDATE`).
    Its SQL is Django's for `bulk_create(update_conflicts=True)`, which sets the counts to the
    new row's; here they are added to the row's own."""

    def __init__(self, model: type[Model], *, unique: Sequence[str], counts: Sequence[str]):
        super().__init__()
        self.model = model
        self.unique = [concrete_field(model, name) for name in unique]
        self.counts = [concrete_field(model, name) for name in counts]

    def compile(self, using: str) -> CompiledInsert:
        meta = self.model._meta
        if not any(
            set(constraint.fields) == {f.name for f in self.unique}
            for constraint in meta.total_unique_constraints
        ):
            raise ImproperlyConfigured("A count's unique fields are a unique constraint's.")
        query = InsertQuery(
            self.model,
            on_conflict=OnConflict.UPDATE,
            update_fields=self.counts,
            unique_fields=self.unique,
        )
        compiled = insert_compiled(query, using, returning=False)
        sql = compiled.sql
        quote = connections[using].ops.quote_name
        for field in self.counts:
            column = quote(field.column)
            setting = f"{column} = EXCLUDED.{column}"
            if sql.count(setting) != 1:
                raise ImproperlyConfigured(f"The count of {field.name} is not set once.")
            added = f"{column} = {quote(meta.db_table)}.{column} + EXCLUDED.{column}"
            sql = sql.replace(setting, added)
        return replace(compiled, sql=sql)

    def run(self, row: Model, using: str = "default") -> None:
        """Count the row in: inserted, or its counts added to the row there. A failure marks
        the transaction for rollback, as `save()` does."""
        connection = connections[using]
        with inserting(self.compiled(using, connection), row, connection):
            pass
