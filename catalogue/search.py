"""Cleaning what a visitor types into the search box: plain data in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class SearchQuery:
    text: str
    truncated: bool = False

    @classmethod
    def from_raw(cls, raw: str | None) -> SearchQuery:
        """Drop control characters (PostgreSQL rejects NUL), fold spaces, cap the length."""
        printable = "".join(ch if ch.isprintable() else " " for ch in raw or "")
        text = " ".join(printable.split())
        if len(text) > MAX_QUERY_LENGTH:
            return cls(text[:MAX_QUERY_LENGTH].rstrip(), truncated=True)
        return cls(text)
