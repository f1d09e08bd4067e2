"""Who learns and who teaches: a profile beside Django's user, with a role and a time zone."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_DAILY_GOAL = 20
MIN_DAILY_GOAL = 5
MAX_DAILY_GOAL = 200


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError("%(value)s is not a time zone we know.", params={"value": value})


class Profile(models.Model):
    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        TEACHER = "teacher", "Teacher"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.STUDENT)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Streaks and days are counted in this time zone.",
    )
    daily_goal = models.PositiveSmallIntegerField(
        default=DEFAULT_DAILY_GOAL,
        validators=[MinValueValidator(MIN_DAILY_GOAL), MaxValueValidator(MAX_DAILY_GOAL)],
        help_text="Questions a day the learner aims to answer.",
    )
    practice_settings = models.JSONField(
        default=dict,
        blank=True,
        help_text="The last practice quiz's settings (length, kinds, difficulty): offered again.",
    )
    progress_version = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text=(
            "Counts the changes to what the learner's dashboard shows (answers, quizzes, classes "
            "and drills): a new value has it computed afresh, see accounts.progress."
        ),
    )
    is_demo = models.BooleanField(
        "demo account",
        default=False,
        help_text=(
            "Made by seed_demo, with a password everyone knows: it cannot change its password "
            "or email, and seed_demo --reset deletes it. Nothing else makes a demo account."
        ),
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_teacher(self) -> bool:
        return self.role == self.Role.TEACHER


class Session(AbstractBaseSession):
    """Django's database session, with the signed-in account's id in a column of its own (set
    whenever the session is saved; None signed out): the read every request with a session
    cookie makes joins the user and their profile in, so the signed-in user costs no second
    query (accounts.sessions). Deleting an account deletes its sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls) -> type[SessionBase]:
        from .sessions import SessionStore

        return SessionStore
