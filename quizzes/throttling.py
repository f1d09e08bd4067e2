"""Starting quizzes at a human pace: per session and per address (settings
QUIZ_STARTS_PER_*), with django-ratelimit; over the limit, the friendly 429 page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_ratelimit.decorators import ratelimit

QUIZ_STARTS = "quiz-starts"


def session_key(group: str, request: HttpRequest) -> str:
    """Rate-limit key: the browser's session (a visitor's or a learner's)."""
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key or ""


def quiz_starts_per_session(group: str, request: HttpRequest) -> str:
    return str(settings.QUIZ_STARTS_PER_SESSION)


def quiz_starts_per_address(group: str, request: HttpRequest) -> str:
    return str(settings.QUIZ_STARTS_PER_ADDRESS)


def quiz_start_limits(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """At most so many quizzes started per session and per address: over that, the friendly
    429 page, and nothing is written."""
    per_session = ratelimit(
        group=QUIZ_STARTS, key=session_key, rate=quiz_starts_per_session, method="POST"
    )
    per_address = ratelimit(
        group=f"{QUIZ_STARTS}-address", key="ip", rate=quiz_starts_per_address, method="POST"
    )
    return per_address(per_session(view))
