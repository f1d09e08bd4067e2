"""Pages rendered once per change of their data, not on every view.

A dashboard reads a learner's (or a class's) whole progress and renders hundreds of cells;
computing it takes milliseconds where serving it takes a fraction of one. So its rendered HTML
is kept, under a key made of everything it depends on:

- the versions of its data, bumped in the same transaction as every write that changes what
  it shows (`Profile.progress_version`, `Classroom.version`), and the catalogue's version;
- what the viewer brings: their time zone, their goal, their CSRF secret (the forms in the
  kept HTML carry a token of that secret, valid for that browser only);

and only until the moment its words would change by themselves: a review falling due, local
midnight (streaks, "today"), a drill's deadline, "started 5 minutes ago" becoming 6. Past
`LONGEST` it is rendered afresh anyway, which bounds what an edit made behind the services'
backs (in the admin) can leave stale.

Each process keeps its own (a `LocMemCache`): the key carries the versions, which every view
reads from the database, so no process ever serves a copy another has superseded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

KEPT = "dashboards"  # the cache alias, see settings.CACHES
LONGEST = timedelta(minutes=10)


@dataclass(frozen=True)
class Kept:
    until: datetime
    parts: dict[str, str]


def soonest(now: datetime, moments: Iterable[datetime | None]) -> datetime:
    """The first of `moments` still to come, and never later than `LONGEST` from now."""
    return min((m for m in moments if m is not None and m > now), default=now + LONGEST)


def kept_key(request: HttpRequest, name: str, key: Iterable[object]) -> str:
    """The cache key: the page's own parts and the browser's CSRF secret, hashed together."""
    get_token(request)  # a browser without a CSRF secret gets one now, before it is keyed on
    secret = request.META.get("CSRF_COOKIE", "")
    digest = hashlib.blake2b(repr((tuple(key), secret)).encode(), digest_size=16).hexdigest()
    return f"{name}:{digest}"


def kept_render(
    request: HttpRequest,
    *,
    name: str,
    key: Iterable[object],
    now: datetime,
    compute: Callable[[], tuple[Mapping[str, Any], datetime]],
    templates: Mapping[str, str],
) -> dict[str, SafeString]:
    """The rendered `templates` (part name -> template), kept under `key` until the moment
    `compute` returns with the context. `compute` runs only when no kept copy is current."""
    cache = caches[KEPT]
    cache_key = kept_key(request, name, key)
    kept = cache.get(cache_key)
    if not isinstance(kept, Kept) or kept.until <= now:
        context, until = compute()
        until = min(until, now + LONGEST)
        kept = Kept(
            until=until,
            parts={part: render_to_string(t, context, request) for part, t in templates.items()},
        )
        if until > now:
            cache.set(cache_key, kept, (until - now).total_seconds())
    # What was rendered by our own templates, from escaped values.
    return {part: mark_safe(html) for part, html in kept.parts.items()}
