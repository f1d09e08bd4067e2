"""Project-wide middleware."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    QueryDict,
)
from django.utils.http import http_date

from .errors import page_not_found

# What django.utils.cache.add_never_cache_headers sets on a response with no Cache-Control of
# its own, written here as it is: working it out (parsing and joining the header) cost about a
# fortieth of an answer's time.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"


@functools.lru_cache(maxsize=1)
def http_date_of(second: int) -> str:
    """The HTTP date of the second: one per second, however many pages are sent in it."""
    return http_date(second)


def never_cache_headers(response: HttpResponseBase) -> None:
    """add_never_cache_headers' headers, for a response without a Cache-Control header."""
    if not response.has_header("Expires"):
        response.headers["Expires"] = http_date_of(int(time.time()))
    response.headers["Cache-Control"] = NEVER_CACHE


def private_pages(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Pages that show a learner's own data (their quizzes, answers, dashboard, settings) are
    never stored by a browser or a shared cache: `Cache-Control: private, no-store`. A page is
    a learner's when it read their session: a signed-in user, or a visitor's practice."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        # Knowing who is signed in reads the session too, so a page that never read it (a
        # health check, a static file) is nobody's and costs no session lookup here.
        session = getattr(request, "session", None)
        personal = session is not None and session.accessed and not session.is_empty()
        if personal and not response.has_header("Cache-Control"):
            never_cache_headers(response)
        return response

    return middleware


NUL = "\x00"
BAD_CHARACTER = "The request held a NUL character, which no form here takes: nothing was saved."
STORED_HEADERS = ("HTTP_USER_AGENT", "HTTP_ACCEPT")  # kept with failed log-ins


def reject_nul(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Refuse a form or a stored header holding a NUL byte with a 400, before anything reads
    it: no field here can hold one, and PostgreSQL cannot store one (a 500 otherwise). An
    address holding one is no page: a 404."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if NUL in request.path:
            raise Http404("No page has a NUL character in its address.")
        form = request.POST if request.method == "POST" else QueryDict()
        values = [*form.keys(), *(v for key in form for v in form.getlist(key))]
        values += [request.META.get(header, "") for header in STORED_HEADERS]
        if any(NUL in value for value in values):
            return HttpResponseBadRequest(BAD_CHARACTER)
        return get_response(request)

    return middleware


class NotFoundPages:
    """Our 404 page, which says what is missing, even with DEBUG on (`make run`): Django would
    show its technical 404 instead. A view's Http404 reaches `process_exception`; an address no
    URL matches never does (Django resolves it before the view, and turns the Resolver404 into
    a response itself), so such a response, with no URL matched, is replaced by ours. It sits
    outside CommonMiddleware, which has already turned a 404 for `/practice` into the
    redirect to `/practice/` by then, and inside WhiteNoise, which serves static files before
    any of this runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # With DEBUG off, Django's handler404 (ours too) has already rendered it.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
