"""Error pages and request facts shared by the apps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
