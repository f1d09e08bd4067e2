"""The read every question page and every answer starts with: a question of the person's own
quiz, with the quiz, its module and its answer, in one query whose SQL is compiled once (see
`config.prepared`). The same models, related the same way, as
`select_related("attempt", "module", "answer")` gives, of the module only its name."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Field, Model, Q, QuerySet

from accounts.backends import user_read
from accounts.models import Profile
from catalogue.models import Module
from config.prepared import Only, PreparedRead, columns, instances

from .models import Answer, AskedQuestion, Attempt, learner_owns, visitor_owns

# Each model of the read, and the path to it from the question, in the row's order.
JOINED: tuple[tuple[type[Model], str], ...] = (
    (AskedQuestion, ""),
    (Attempt, "attempt__"),
    (Module, "module__"),
    (Answer, "answer__"),
)
# The question's pages need only its module's name (what the module teaches comes from the
# catalogue's snapshot): its other columns are deferred, as `only("name")` defers them.
ONLY: Only = {Module: ("id", "name")}
COLUMNS = columns(JOINED, ONLY)


def question_read(
    owns: Callable[..., Q],
    owner_field: Field[Any, Any],
    read: Callable[[QuerySet[AskedQuestion]], QuerySet[Any]] = lambda asked: asked.values_list(
        *COLUMNS
    ),
) -> PreparedRead:
    """The question read for one kind of owner: `owns` is its condition on the quiz, and
    `owner_field` the quiz's column it compares the owner with; `read` makes the owner's
    question (at most one) the row read: its COLUMNS, or more."""
    return PreparedRead(
        lambda owner, public_id, position: read(
            AskedQuestion.objects.filter(
                owns(owner, through="attempt__"), attempt__public_id=public_id, position=position
            ).order_by()  # one row at most: the models' orderings would only sort it
        ),
        owner=owner_field,
        public_id=Attempt._meta.get_field("public_id"),
        position=AskedQuestion._meta.get_field("position"),
    )


by_learner = question_read(learner_owns, Attempt._meta.get_field("learner"))
by_visitor = question_read(visitor_owns, Attempt._meta.get_field("visitor_id"))


# A quiz with its learner and their profile, its row locked for the rest of the transaction.
LOCKED: tuple[tuple[type[Model], str], ...] = (
    (Attempt, ""),
    (User, "learner__"),
    (Profile, "learner__profile__"),
)
COLUMNS_OF_QUIZ = columns(LOCKED[:1])
locked_attempt = PreparedRead(
    lambda pk: (
        Attempt.objects.select_for_update(of=("self",))
        .filter(pk=pk)
        .order_by()
        .values_list(*columns(LOCKED))
    ),
    pk=Attempt._meta.pk,
)


# The quiz alone, its row locked: for a caller with the quiz's learner in hand already.
locked_quiz = PreparedRead(
    lambda pk: (
        Attempt.objects.select_for_update(of=("self",))
        .filter(pk=pk)
        .order_by()
        .values_list(*COLUMNS_OF_QUIZ)
    ),
    pk=Attempt._meta.pk,
)


def attempt_lock(pk: int, using: str = "default", *, learner: User | None = None) -> Attempt:
    """The quiz, its row locked until the transaction ends, with its learner and their
    profile (as `select_related("learner__profile")` reads them) as the row now stands.
    `learner`: the account the caller has in hand with its profile (the request's), taken as
    the quiz's learner when it is theirs, rather than read again with the quiz.

    A log-in that claimed the quiz while this waited for the lock has set its learner_id, but
    the learner joined in was read before the claim (PostgreSQL re-reads only the locked row):
    then the learner is read afresh, so it never lags its id."""
    if learner is not None:
        quiz_rows = locked_quiz.rows(using, pk=pk)
        if not quiz_rows:
            raise Attempt.DoesNotExist
        [attempt] = instances(quiz_rows[0], LOCKED[:1], using)
        owner: User | None = learner
    else:
        rows = locked_attempt.rows(using, pk=pk)
        if not rows:
            raise Attempt.DoesNotExist
        attempt, joined, profile = instances(rows[0], LOCKED, using)
        owner = joined if isinstance(joined, User) else None
        if owner is not None:
            User.profile.related.set_cached_value(owner, profile)
    assert isinstance(attempt, Attempt)
    if owner is not None and owner.pk != attempt.learner_id:
        owner = None
    if owner is None and attempt.learner_id is not None:
        owner = user_read(attempt.learner_id)
    Attempt._meta.get_field("learner").set_cached_value(attempt, owner)
    return attempt


def related(row: Sequence[Any], using: str) -> AskedQuestion:
    """The row as the question with its quiz, module and answer (None when unanswered)."""
    asked, attempt, module, answer = instances(row, JOINED, using, ONLY)
    assert isinstance(asked, AskedQuestion)
    AskedQuestion._meta.get_field("attempt").set_cached_value(asked, attempt)
    AskedQuestion._meta.get_field("module").set_cached_value(asked, module)
    AskedQuestion.answer.related.set_cached_value(asked, answer)
    if answer is not None:
        Answer._meta.get_field("question").set_cached_value(answer, asked)
    return asked


def own_question(
    user: AbstractBaseUser | AnonymousUser,
    visitor: uuid.UUID | None,
    public_id: uuid.UUID,
    position: int,
    using: str = "default",
) -> AskedQuestion | None:
    """The question at `position` of the person's own quiz: their account's, or signed out,
    their session's; None when there is no such question or the quiz is not theirs."""
    if user.is_authenticated:
        rows = by_learner.rows(using, owner=user.pk, public_id=public_id, position=position)
    elif visitor is not None:
        rows = by_visitor.rows(using, owner=visitor, public_id=public_id, position=position)
    else:
        return None
    return related(rows[0], using) if rows else None
