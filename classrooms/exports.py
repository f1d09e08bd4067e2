"""CSV downloads a spreadsheet opens cleanly: UTF-8 with a byte-order mark (so Excel reads it as
UTF-8), and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A text cell starting like a formula ("=HYPERLINK(...)", "+1", "@SUM") is made plain text
    with a leading apostrophe; numbers are numbers and stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(filename: str, rows: Iterable[Sequence[object]]) -> HttpResponse:
    safe_name = "".join(ch if ch.isalnum() or ch in " ._-" else "_" for ch in filename)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
