"""The SQLite backend rewrites placeholders as Django's does, once per statement."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from config.sqlite3.base import CursorWrapper, qmark

STATEMENTS = [
    "SELECT 1",
    "SELECT a FROM t WHERE b = %s AND c IN (%s, %s)",
    "SELECT '100%%' || %s",
    "SELECT a FROM t WHERE b LIKE %s ESCAPE '\\'",
]


@pytest.mark.parametrize("query", STATEMENTS)
def test_placeholders_are_rewritten_as_django_rewrites_them(query):
    assert qmark(query) == SQLiteCursorWrapper.convert_query(None, query)  # type: ignore[attr-defined]


def test_a_statement_is_rewritten_once():
    qmark.cache_clear()
    query = "SELECT %s + %s"
    assert qmark(query) == "SELECT ? + ?"
    qmark(query)
    assert qmark.cache_info().hits == 1
    assert qmark.cache_info().misses == 1


@pytest.mark.django_db
def test_queries_run_through_it():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's backend")
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, CursorWrapper)
        cursor.execute("SELECT %s || '%%', %s", ["50", 2])
        assert cursor.fetchone() == ("50%", 2)
        # Named parameters ("pyformat") are left to Django.
        cursor.execute("SELECT %(x)s + 1", {"x": 41})
        assert cursor.fetchone() == (42,)
