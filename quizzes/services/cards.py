"""Spaced-repetition cards: scheduling one after each answer (FSRS), and the quizzes built
from them: reviews of what is due, and weak spots."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.contrib.auth.models import User
from django.db import router
from django.db.models import Field
from django.utils import timezone
from fsrs import Card as FsrsCard
from fsrs import Rating, State

from config.prepared import PreparedRead, PreparedUpdate, columns, instances

from ..memory import NEW_CARD, due_for_review, rating_for, replay, review, weakest
from ..models import Answer, Attempt, Card
from ..questions import Kind, QuizSettings

# Reviews are quizzes, started like any other; attempts schedules a card after each answer.
# Each module imports the other whole, so neither needs the other finished first.
from . import attempts


def card_review(*, learner_id: int, module_id: int, rating: Rating, when: datetime) -> Card:
    """Schedule the learner's card for the module after one more answer (FSRS).

    Exactly once per call however many answers race for the same card (one learner in two
    quizzes, or a claim on log-in beside a live answer): the row is locked before it is read,
    and a missing row is first made with an insert that, on PostgreSQL, waits for a racing
    insert to commit and then does nothing, instead of failing on the unique constraint."""
    card = _locked_card(learner_id, module_id, when)
    schedule(card, rating, when)
    _save_schedule(card)
    return card


def schedule(card: Card, rating: Rating, when: datetime) -> None:
    """Schedule the card (unsaved) after one more answer, rated `rating`, given `when`."""
    if card.reviews == 0:
        scheduled = review(None, rating, when)
    else:
        # A visitor's older answers claimed into an account with newer ones count as now:
        # FSRS cannot go back in time.
        if card.last_review is not None and when < card.last_review:
            when = card.last_review
        scheduled = review(card.as_fsrs(), rating, when)
    card.take(scheduled)
    card.reviews += 1
    card.lapses += int(rating == Rating.Again)


def card_replay(*, learner_id: int, module_id: int, when: datetime) -> Card:
    """Schedule the learner's card for the module afresh from all their answers about it, in
    the order they were given and as they stand now: after an answer turned from wrong to
    right ("I was right"). FSRS has no undo; replayed, the card is what those answers give,
    as the benchmarks' import makes it. (Answers of a claimed visitor older than the account's
    own, scheduled as of the card's last review when claimed, take their own place in time
    here.) Call in a transaction."""
    # Locked before the answers are read, so an answer racing for the card is either read
    # here or scheduled on top of the replayed card once the lock is released.
    card = _locked_card(learner_id, module_id, when)
    answers = (
        Answer.objects.filter(
            question__attempt__learner_id=learner_id, question__module_id=module_id
        )
        .order_by("answered_at", "pk")
        .values_list("question__kind", "is_correct", "response_ms", "answered_at")
    )
    replayed = replay(
        (rating_for(kind=Kind(kind), is_correct=right, response_ms=ms), answered_at)
        for kind, right, ms, answered_at in answers
    )
    assert replayed is not None, "called for a module the learner has answered about"
    card.take(replayed.card)
    card.reviews, card.lapses = replayed.reviews, replayed.lapses
    card.save()
    return card


def new_card(learner_id: int, module_id: int, when: datetime) -> Card:
    """The learner's card for the module before its first answer (unsaved): new, due `when`."""
    return Card(learner_id=learner_id, module_id=module_id, state=int(NEW_CARD.state), due=when)


def _locked_card(learner_id: int, module_id: int, when: datetime) -> Card:
    """The learner's card for the module, locked; a missing one is first made new, due `when`,
    with an insert that, on PostgreSQL, waits for a racing insert to commit and then does
    nothing, instead of failing on the unique constraint."""
    card = _select_card(learner_id, module_id)
    if card is None:
        Card.objects.bulk_create([new_card(learner_id, module_id, when)], ignore_conflicts=True)
        card = _select_card(learner_id, module_id)
        assert card is not None, "made just above, and cards are never deleted alone"
    return card


SCHEDULE = ("state", "step", "stability", "difficulty", "due", "last_review", "reviews", "lapses")
schedule_saved = PreparedUpdate(
    lambda pk, **schedule: (Card.objects.filter(pk=pk), schedule),
    pk=Card._meta.pk,
    **{name: cast(Field[Any, Any], Card._meta.get_field(name)) for name in SCHEDULE},
)


def _save_schedule(card: Card) -> None:
    """Write the card's schedule (all that an answer changes), as `card.save()` would."""
    schedule = {name: getattr(card, name) for name in SCHEDULE}
    schedule_saved.run(router.db_for_write(Card), pk=card.pk, **schedule)


CARD = ((Card, ""),)
# Read, locked, on every signed-in answer: compiled once (see config.prepared).
locked_card = PreparedRead(
    lambda learner, module: (
        Card.objects.select_for_update()
        .filter(learner_id=learner, module_id=module)
        .values_list(*columns(CARD))
    ),
    learner=Card._meta.get_field("learner"),
    module=Card._meta.get_field("module"),
)


def _select_card(learner_id: int, module_id: int) -> Card | None:
    """The learner's card for the module (one at most: they are unique), locked."""
    using = router.db_for_write(Card)
    rows = locked_card.rows(using, learner=learner_id, module=module_id)
    if not rows:
        return None
    [card] = instances(rows[0], CARD, using)
    assert isinstance(card, Card)
    return card


REVIEW_SIZE = 20
WEAK_SPOTS_SIZE = 10
NOTHING_DUE = "Nothing is due for review yet."
NO_CARDS_YET = "Answer a few questions first: weak spots come from what you have practised."


def learner_cards(user: User) -> dict[str, FsrsCard]:
    """The learner's cards by module name, as FSRS cards (one query, of the columns FSRS
    needs: neither card nor module is made a model instance)."""
    rows = Card.objects.for_learner(user).values_list(
        "module__name", "state", "step", "stability", "difficulty", "due", "last_review"
    )
    return {
        name: FsrsCard(
            card_id=0,
            state=State(state),
            step=step,
            stability=stability,
            difficulty=difficulty,
            due=due,
            last_review=last_review,
        )
        for name, state, step, stability, difficulty, due, last_review in rows
    }


def review_start(
    *, learner: User, now: datetime | None = None, seed: int | None = None
) -> Attempt | None:
    """A quiz of the modules due for review, most overdue first; None when nothing is due."""
    now = now or timezone.now()
    due = due_for_review(learner_cards(learner), now)[:REVIEW_SIZE]
    if not due:
        return None
    order = [d.module for d in due]
    return attempts.attempt_start(
        learner=learner,
        visitor=None,
        quiz_settings=QuizSettings(count=len(order), modules=tuple(order)),
        purpose=Attempt.Purpose.REVIEW,
        order=order,
        seed=seed,
        now=now,
    )


def weak_spots_start(*, learner: User, now: datetime | None = None) -> Attempt | None:
    """A quiz of the modules the learner would forget soonest (the dashboard's "weakest");
    None without cards."""
    now = now or timezone.now()
    names = weakest(learner_cards(learner), WEAK_SPOTS_SIZE)
    if not names:
        return None
    return attempts.attempt_start(
        learner=learner,
        visitor=None,
        quiz_settings=QuizSettings(count=len(names), modules=tuple(names)),
        purpose=Attempt.Purpose.WEAK_SPOTS,
        order=names,
        now=now,
    )
