"""Django's authentication middleware, taking the signed-in user from the session's read."""

from __future__ import annotations

from django.contrib.auth import middleware
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .backends import session_user


def signed_in_user(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    """Django's `request.user`, found as Django finds it (the session's hash checked, the
    backend asked), but where the session's read brought the user (accounts.sessions), the
    backend takes them from there instead of a second query."""
    with session_user(request.session):
        return middleware.get_user(request)


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in_user(request))  # type: ignore[assignment]
