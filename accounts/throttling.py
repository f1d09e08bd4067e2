"""Throttling log-ins: locked after repeated failures.

Accounts are locked by django-axes (settings: AXES_*). What axes cannot do is lock an address
at a different number of failures than an account, and an address needs a higher one: a
whole classroom logs in from one. So failures per address are counted here with
django-ratelimit's counters, in the shared cache, for our log-in page and the admin's alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django_ratelimit.core import get_usage

ACCOUNT_LOCKED = (
    "Too many wrong passwords for this account. To keep it safe, it is locked for "
    "{minutes} minutes: try again after that, or reset your password."
)
ADDRESS_LOCKED = (
    "Too many failed log-ins from your network. To keep its accounts safe, log-ins from it "
    "are paused for {minutes} minutes: try again after that."
)
LOGIN_FAILURES = "login-failures"


def cooloff_minutes() -> int:
    return round(timedelta(hours=settings.AXES_COOLOFF_TIME).total_seconds() / 60)


def _lockout_page(request: HttpRequest, message: str) -> HttpResponse:
    response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(cooloff_minutes() * 60)
    return response


def locked_out(
    request: HttpRequest, original_response: HttpResponseBase | None, credentials: Any
) -> HttpResponse:
    """What a locked-out account sees instead of the log-in page (AXES_LOCKOUT_CALLABLE)."""
    return _lockout_page(request, ACCOUNT_LOCKED.format(minutes=cooloff_minutes()))


def _address_failures(request: HttpRequest, *, increment: bool) -> bool:
    """Whether the address has used up its failed log-ins; counts one more if told to."""
    usage = get_usage(
        request,
        group=LOGIN_FAILURES,
        key="ip",
        rate=f"{settings.LOGIN_FAILURES_PER_ADDRESS}/{cooloff_minutes()}m",
        increment=increment,
    )
    # None: the cache failed, and a failing cache must not lock everyone out.
    return usage is not None and usage["count"] >= usage["limit"]


@receiver(user_login_failed)
def login_failed(
    sender: Any, credentials: Any, request: HttpRequest | None = None, **_: Any
) -> None:
    if request is not None:
        _address_failures(request, increment=True)


def login_throttle(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Refuse log-in attempts from an address that has failed too often lately."""
    login_paths = {reverse("login"), reverse("admin:login")}

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if (
            request.method == "POST"
            and request.path in login_paths
            and _address_failures(request, increment=False)
        ):
            return _lockout_page(request, ADDRESS_LOCKED.format(minutes=cooloff_minutes()))
        return get_response(request)

    return middleware


USERNAME_LENGTH = 150  # User.username's own limit


def login_username(request: HttpRequest, credentials: Any) -> str | None:
    """The username a log-in tried, as django-axes records it (AXES_USERNAME_CALLABLE): cut to
    the longest a username can be, as Django's log-in form does not check, so that a hostile
    one cannot overflow axes' column (a 500 on PostgreSQL)."""
    source = credentials or getattr(request, "POST", {})
    username = source.get("username") if hasattr(source, "get") else None
    return str(username).replace("\x00", "")[:USERNAME_LENGTH] if username is not None else None
