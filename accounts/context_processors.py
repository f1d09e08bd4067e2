"""What every page may know about the person: whether they teach (for the navigation)."""

from __future__ import annotations

from django.http import HttpRequest

from .services import profile_for


def role(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_teacher": False}
    # The profile comes with the user (accounts.backends): no query of its own.
    return {"is_teacher": profile_for(user).is_teacher}
