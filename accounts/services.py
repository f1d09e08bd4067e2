"""Accounts: creating one with its profile, the demo accounts' rules, and handing a visitor's
practice to the account they sign up or log in with."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db import transaction

from quizzes.memory import rating_for
from quizzes.models import Answer, Attempt
from quizzes.questions import Kind
from quizzes.services import cards, tallies

from .models import Profile
from .progress import progress_changed

DEMO_EMAIL_DOMAIN = "demo.batteries.invalid"
DEMO_EMAIL_REFUSED = "Addresses at {domain} belong to the demo accounts: use your own address."
DEMO_ACCOUNT_LOCKED = (
    "This is a shared demo account: its password and email cannot be changed, so that everyone "
    "can keep using it. Sign up for an account of your own to change yours."
)


@transaction.atomic
def account_create(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    time_zone: str,
    first_name: str = "",
    is_demo: bool = False,
) -> User:
    """A new account with its profile: role and time zone."""
    user = User.objects.create_user(username, email=email, password=password, first_name=first_name)
    Profile.objects.create(user=user, role=role, time_zone=time_zone, is_demo=is_demo)
    return user


def is_demo_email(email: str) -> bool:
    return email.strip().casefold().endswith("@" + DEMO_EMAIL_DOMAIN)


def profile_for(user: User) -> Profile:
    """The learner's profile (loaded with the user on every request, see accounts.backends);
    accounts made outside sign-up (createsuperuser) get one."""
    # A missing one-to-one raises an error that is also an AttributeError.
    profile: Profile | None = getattr(user, "profile", None)
    if profile is None:
        profile, _created = Profile.objects.get_or_create(user=user)
        setattr(user, "profile", profile)  # noqa: B010  (the stubs do not know the reverse)
    return profile


@transaction.atomic
def visitor_claim(*, user: User, visitor: uuid.UUID | None) -> int:
    """Give a visitor's practice to the account they signed up or logged in with: their
    attempts move over, and their answers schedule the account's cards, oldest first, as if
    they had been given signed in. Returns how many attempts moved."""
    if visitor is None:
        return 0
    claimed = list(
        Attempt.objects.select_for_update()
        .filter(learner__isnull=True, visitor_id=visitor)
        .values_list("pk", flat=True)
    )
    if not claimed:
        return 0
    Attempt.objects.filter(pk__in=claimed).update(learner=user, visitor_id=None)
    progress_changed(user.pk)
    zone = profile_for(user).zone
    answers = (
        Answer.objects.filter(question__attempt_id__in=claimed)
        .select_related("question")
        .order_by("answered_at", "pk")
    )
    for answer in answers:
        rating = rating_for(
            kind=Kind(answer.question.kind),
            is_correct=answer.is_correct,
            response_ms=answer.response_ms,
        )
        cards.card_review(
            learner_id=user.pk,
            module_id=answer.question.module_id,
            rating=rating,
            when=answer.answered_at,
        )
        tallies.tallies_record(
            learner_id=user.pk,
            module_id=answer.question.module_id,
            clue=answer.question.clue,
            is_correct=answer.is_correct,
            chosen=answer.chosen_module,
        )
        tallies.day_record(
            learner_id=user.pk,
            day=answer.answered_at.astimezone(zone).date(),
            is_correct=answer.is_correct,
        )
    return len(claimed)
