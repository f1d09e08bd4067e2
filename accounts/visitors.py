"""Who is practising: a signed-in learner, or a visitor known by a random id in their session.

The id lives in the session's data rather than being the session key, because Django
changes the key on log-in; the data, and so the visitor's attempts, survive it."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

VISITOR_SESSION_KEY = "visitor_id"


def visitor_id(request: HttpRequest, *, create: bool = False) -> uuid.UUID | None:
    raw = request.session.get(VISITOR_SESSION_KEY)
    if raw:
        try:
            return uuid.UUID(raw)
        except ValueError:
            pass  # a tampered or stale value: start afresh
    if not create:
        return None
    new = uuid.uuid4()
    request.session[VISITOR_SESSION_KEY] = str(new)
    return new
