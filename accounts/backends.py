"""Django's model backend, loading the profile with the user: every page that needs the role or
the time zone (the navigation, the dashboards) gets them without another query. The read runs
on every signed-in request, so its SQL is compiled once (see `config.prepared`); and where the
session's read has brought the user already (accounts.sessions), it is not read again."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db import router
from django.db.models import Model

from config.prepared import PreparedRead, columns, instances

from .models import Profile

JOINED = ((User, ""), (Profile, "profile__"))

user_with_profile = PreparedRead(
    lambda pk: User._default_manager.filter(pk=pk).values_list(*columns(JOINED)),
    pk=User._meta.pk,
)

# The session whose signed-in user is being found (see session_user).
session_in_hand: ContextVar[Any] = ContextVar("session_in_hand", default=None)


def user_of_row(
    row: Sequence[Any], joined: Sequence[tuple[type[Model], str]], using: str
) -> User | None:
    """A row of a user and their profile, as `select_related("profile")` reads them (None for
    a row without the user: an outer join that found none)."""
    user, profile = instances(row, joined, using)
    if user is None:
        return None
    assert isinstance(user, User)
    User.profile.related.set_cached_value(user, profile)
    if profile is not None:
        Profile._meta.get_field("user").set_cached_value(profile, user)
    return user


def user_read(pk: int) -> User | None:
    """The user with their profile (None when they have none), as
    `select_related("profile")` reads them."""
    using = router.db_for_read(User)
    rows = user_with_profile.rows(using, pk=pk)
    return user_of_row(rows[0], JOINED, using) if rows else None


@contextmanager
def session_user(session: Any) -> Iterator[None]:
    """While auth finds the signed-in user of this session, the backend may take the user the
    session's read brought (its `user_read_with`) instead of reading them again."""
    token = session_in_hand.set(session)
    try:
        yield
    finally:
        session_in_hand.reset(token)


def user_with_session(pk: int) -> User | None:
    """The user the session in hand was read with, once, if they are the one asked for."""
    session = session_in_hand.get()
    user = getattr(session, "user_read_with", None)
    if user is None or user.pk != pk:
        return None
    session.user_read_with = None  # a later ask reads afresh
    return user


class ProfileModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        # Django has made the session's id the key's type already.
        user = user_with_session(user_id) or user_read(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
