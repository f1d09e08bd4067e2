"""Django's model backend, loading the profile with the user: every page that needs the role or
the time zone (the navigation, the dashboards) gets them without another query. The read runs
on every signed-in request, so its SQL is compiled once (see `config.prepared`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db import router

from config.prepared import PreparedRead, columns, instances

from .models import Profile

JOINED = ((User, ""), (Profile, "profile__"))

user_with_profile = PreparedRead(
    lambda pk: User._default_manager.filter(pk=pk).values_list(*columns(JOINED)),
    pk=User._meta.pk,
)


def user_read(pk: int) -> User | None:
    """The user with their profile (None when they have none), as
    `select_related("profile")` reads them."""
    using = router.db_for_read(User)
    rows = user_with_profile.rows(using, pk=pk)
    if not rows:
        return None
    user, profile = instances(rows[0], JOINED, using)
    assert isinstance(user, User)
    User.profile.related.set_cached_value(user, profile)
    if profile is not None:
        Profile._meta.get_field("user").set_cached_value(profile, user)
    return user


class ProfileModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        # Django has made the session's id the key's type already.
        user = user_read(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
