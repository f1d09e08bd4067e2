"""Error pages and request facts shared by the apps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.csrf import requires_csrf_token

from accounts.services import profile_for

TOO_MANY_REQUESTS = (
    "You're going faster than we can keep up with. Wait a minute, then try again: "
    "nothing you did so far is lost."
)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The friendly 429 page a rate limit leads to."""
    response = render(request, "429.html", {"message": TOO_MANY_REQUESTS}, status=429)
    response["Retry-After"] = "60"
    return response


def client_address(request: HttpRequest) -> str:
    """The client's address behind a trusted proxy: the first one in X-Forwarded-For."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


# --- Not found -------------------------------------------------------------------------------


class Missing(StrEnum):
    """What a 404 page says is missing: each has its own message and its own way on."""

    PAGE = "page"
    QUIZ = "quiz"
    QUESTION = "question"
    MODULE = "module"
    CATEGORY = "category"
    CLASS = "class"
    DRILL = "drill"
    STUDENT = "student"


PAGE_NOT_FOUND = (
    "There is no page at this address: perhaps the link lost a letter. Search the catalogue, "
    "or start again from its first page."
)
QUIZ_NOT_FOUND = (
    "This quiz doesn't exist or has expired. A quiz opens only for the account, or the "
    "browser, that started it, and quizzes started without an account are cleared after a "
    "while. Start a new quiz: it takes a minute."
)
QUESTION_NOT_FOUND = (
    "This quiz has no question {position}: its questions are numbered 1 to {count}."
)
MODULE_NOT_FOUND = (
    "No module called “{name}” is in the catalogue. Perhaps it goes by another name: search "
    "the catalogue for it, or for what it does."
)
CATEGORY_NOT_FOUND = (
    "No category called “{slug}” is in the catalogue. Every category is listed on the "
    "catalogue's first page."
)
# The same words whether the class does not exist or is someone else's: a 404 never tells
# which, so nobody learns which classes exist.
CLASS_NOT_FOUND = (
    "No class of yours is at this address. A class's pages open only for its teacher, and its "
    "drills only for its students."
)
DRILL_NOT_FOUND = (
    "No drill of yours is at this address: it may have been deleted, or belong to another class."
)
STUDENT_NOT_FOUND = (
    "No student of this class is at this address: they may have left the class, or been removed."
)
MESSAGES = {
    Missing.PAGE: PAGE_NOT_FOUND,
    Missing.QUIZ: QUIZ_NOT_FOUND,
    Missing.QUESTION: QUESTION_NOT_FOUND,
    Missing.MODULE: MODULE_NOT_FOUND,
    Missing.CATEGORY: CATEGORY_NOT_FOUND,
    Missing.CLASS: CLASS_NOT_FOUND,
    Missing.DRILL: DRILL_NOT_FOUND,
    Missing.STUDENT: STUDENT_NOT_FOUND,
}
# Missing catalogue pages offer the search form: what was wanted may be there by another name.
SEARCHABLE = {Missing.PAGE, Missing.MODULE, Missing.CATEGORY}
LONGEST_NAME_SHOWN = 60  # an address can hold any name, of any length


@dataclass(frozen=True)
class WayOn:
    """A link out of an error page: where to go instead."""

    label: str
    url: str


class NotFound(Http404):
    """A 404 that says what is missing, with the message of its kind (filled in with `details`,
    such as the module's name) and, when the view knows a better one, its way on."""

    def __init__(self, kind: Missing, *, way_on: WayOn | None = None, **details: object) -> None:
        shown = {key: shorten(str(value)) for key, value in details.items()}
        self.kind = kind
        self.message = MESSAGES[kind].format(**shown)
        self.details = shown
        self.way_on = way_on
        super().__init__(self.message)


def shorten(text: str) -> str:
    if len(text) <= LONGEST_NAME_SHOWN:
        return text
    return text[: LONGEST_NAME_SHOWN - 1] + "…"


M = TypeVar("M", bound=Model)


def found_or_404(queryset: QuerySet[M] | type[M], not_found: NotFound, **lookups: Any) -> M:
    """`get_object_or_404`, whose 404 says what is missing."""
    try:
        return get_object_or_404(queryset, **lookups)
    except Http404:
        raise not_found from None


def ways_on(request: HttpRequest, missing: NotFound) -> list[WayOn]:
    """Where to go from the 404 page: the view's way on, else the usual one for its kind."""
    if missing.way_on is not None:
        return [missing.way_on]
    # No user when a middleware refused the request before authentication ran.
    user = getattr(request, "user", None)
    match missing.kind:
        case Missing.QUIZ | Missing.QUESTION:
            ways = [WayOn("Start a new quiz", reverse("quizzes:practice"))]
            if isinstance(user, User):
                ways.append(WayOn("Your quizzes, on your dashboard", reverse("quizzes:dashboard")))
            return ways
        case Missing.CLASS | Missing.DRILL | Missing.STUDENT:
            if isinstance(user, User) and profile_for(user).is_teacher:
                return [WayOn("Your classes", reverse("classrooms:list"))]
            return [WayOn("Your dashboard", reverse("quizzes:dashboard"))]
        case Missing.CATEGORY:
            return [WayOn("See every category", reverse("catalogue:home"))]
        case _:
            return [WayOn("Back to the catalogue", reverse("catalogue:home"))]


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page, in the site's layout: what is missing, and a way on. Django's own handler
    (DEBUG off) and `config.middleware.NotFoundPages` (DEBUG on too) both render it."""
    missing = exception if isinstance(exception, NotFound) else NotFound(Missing.PAGE)
    context = {
        "missing": missing,
        "ways_on": ways_on(request, missing),
        "search": missing.kind in SEARCHABLE,
        # The search form, filled in with the module's name.
        "query": {"text": missing.details.get("name", "")},
    }
    return render(request, "404.html", context, status=404)
