"""On PostgreSQL, an answer written in one round trip: the quiz's lock, the answer, the quiz's
counts, the progress version, the card and the tallies, by the function migration 0011
creates, in place of the eleven statements of answer_record's transaction.

The card is read and scheduled (FSRS runs in Python) before the function locks anything; the
function writes the schedule only over the card as it was read (its row version, `xmin`,
unchanged), else it undoes the whole statement. Whenever the function cannot write the answer
as expected, nothing is written and answer_record goes on in Python, under its locks: it finds
what happened (the question answered already, out of turn, a quiz claimed, a racing answer
about the same card) and acts as it always did."""

from __future__ import annotations

import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import OperationalError, connections, transaction
from django.db.models import CharField, F, FilteredRelation, Q
from django.db.models.expressions import RawSQL
from fsrs import Rating

from config.prepared import PreparedRead, columns, instances

from ..models import Answer, AskedQuestion, Attempt, Card, learner_owns
from ..reads import COLUMNS, question_read, related
from . import cards

SERIALIZATION_FAILURE = "40001"


def row_version(table: str) -> RawSQL:
    """The row version (`xmin`) of the table's (or join's) row, as text."""
    return RawSQL(f"{table}.xmin::text", (), output_field=CharField())


CARD = ((Card, ""),)
# The card as it stands, with its row version: read, unlocked, before the answer's statement.
card_read = PreparedRead(
    lambda learner, module: (
        Card.objects.filter(learner_id=learner, module_id=module)
        .annotate(row_version=row_version(Card._meta.db_table))
        .values_list(*columns(CARD), "row_version")
    ),
    learner=Card._meta.get_field("learner"),
    module=Card._meta.get_field("module"),
)


@dataclass(frozen=True)
class CardAsRead:
    """A learner's card for a module as read (None before their first answer about it), with
    its row version."""

    card: Card | None
    version: str | None


# A question of the learner's own quiz, as reads.by_learner reads it, and in the same query the
# learner's card for its module with its row version: the answer's reads in one round trip.
OWN_CARD = ((Card, "own_card__"),)
question_and_card_read = question_read(
    learner_owns,
    Attempt._meta.get_field("learner"),
    lambda asked: (
        asked.annotate(
            own_card=FilteredRelation(
                "attempt__learner__cards",
                condition=Q(attempt__learner__cards__module=F("module")),
            )
        )
        .annotate(own_card_version=row_version("own_card"))
        .values_list(*COLUMNS, *columns(OWN_CARD), "own_card_version")
    ),
)


def question_and_card(
    learner_id: int, public_id: uuid.UUID, position: int, using: str
) -> tuple[AskedQuestion, CardAsRead] | None:
    """The question at `position` of the learner's own quiz, as reads.own_question reads it,
    with their card for its module; None when there is no such question of theirs."""
    rows = question_and_card_read.rows(
        using, owner=learner_id, public_id=public_id, position=position
    )
    if not rows:
        return None
    row = rows[0]
    asked = related(row[: len(COLUMNS)], using)
    [card] = instances(row[len(COLUMNS) : -1], OWN_CARD, using)
    assert card is None or isinstance(card, Card)
    return asked, CardAsRead(card, row[-1])


WRITE = (
    "SELECT outcome, answer_id, answered, correct, finished FROM quizzes_answer_write("
    "%s::bigint, %s::bigint, %s::integer, %s::integer, %s::varchar, %s::varchar, %s::boolean, "
    "%s::timestamptz, %s::integer, %s::boolean, %s::bigint, %s::varchar, %s::date, "
    "%s::bigint, %s::text, %s::smallint, %s::smallint, %s::double precision, "
    "%s::double precision, %s::timestamptz, %s::timestamptz, %s::integer, %s::integer)"
)


@dataclass(frozen=True)
class Written:
    answer_id: int
    answered: int
    correct: int
    finished: datetime | None


def available(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def card_as_read(learner_id: int, module_id: int, using: str) -> CardAsRead:
    rows = card_read.rows(using, learner=learner_id, module=module_id)
    if not rows:
        return CardAsRead(None, None)
    [card] = instances(rows[0][:-1], CARD, using)
    assert isinstance(card, Card)
    return CardAsRead(card, rows[0][-1])


def scheduled_card(
    learner_id: int,
    module_id: int,
    rating: Rating,
    when: datetime,
    using: str,
    as_read: CardAsRead | None = None,
) -> tuple[Card, str | None]:
    """The card as this answer schedules it (unsaved), and the row version it was read at
    (None for a card not made yet). `as_read`: the card read already (question_and_card),
    else it is read now."""
    as_read = as_read or card_as_read(learner_id, module_id, using)
    card = as_read.card or cards.new_card(learner_id, module_id, when)
    cards.schedule(card, rating, when)
    return card, as_read.version


def answer_write(
    *,
    answer: Answer,
    attempt_id: int,
    position: int,
    learner: User | None,
    module_id: int,
    clue: str,
    day: date | None,
    rating: Rating,
    using: str,
    card_read_already: CardAsRead | None = None,
) -> Written | None:
    """Write the answer and all it counts in; None when nothing was written (see above)."""
    card: Card | None = None
    version = None
    if learner is not None:
        card, version = scheduled_card(
            learner.pk, module_id, rating, answer.answered_at, using, card_read_already
        )
    params = [
        attempt_id,
        answer.question_id,
        position,
        learner.pk if learner else None,
        answer.given,
        answer.chosen_module,
        answer.is_correct,
        answer.answered_at,
        answer.response_ms,
        answer.gave_up,
        module_id,
        clue,
        day,
        *(
            (
                card.pk,
                version,
                card.state,
                card.step,
                card.stability,
                card.difficulty,
                card.due,
                card.last_review,
                card.reviews,
                card.lapses,
            )
            if card is not None
            else (None,) * 10
        ),
    ]
    connection = connections[using]
    try:
        # Inside a caller's transaction a failure must not abort it: a savepoint keeps it.
        with (
            transaction.atomic(using) if connection.in_atomic_block else nullcontext(),
            connection.cursor() as cursor,
        ):
            cursor.execute(WRITE, params)
            outcome, answer_id, answered, correct, finished = cursor.fetchone()
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != SERIALIZATION_FAILURE:
            raise
        return None  # a racing answer scheduled the card first
    if outcome != "written":
        return None
    return Written(answer_id=answer_id, answered=answered, correct=correct, finished=finished)
