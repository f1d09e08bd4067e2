"""An answer written in one statement: the quiz's lock, the answer, the quiz's counts, the
progress version, the card and the tallies, in place of the eleven to fifteen statements of
answer_record's transaction. On PostgreSQL by the function migration 0011 creates; on SQLite by
an insert into a TEMP view whose trigger does the same writes (SQLITE_WRITER, made on every
connection: see config.sqlite3).

The card is read and scheduled (FSRS runs in Python) before the statement locks anything; the
statement writes the schedule only over the card as it was read (its row version unchanged:
PostgreSQL's `xmin`, on SQLite its schedule's columns), else it undoes itself whole. Whenever
the statement cannot write the answer as expected, nothing is written and answer_record goes
on in Python, under its locks: it finds what happened (the question answered already, out of
turn, a quiz claimed, a racing answer about the same card) and acts as it always did.

Before it, one query reads what the answer needs: the request's session with its user, and the
question with the card (question_with_session; the question page's read too). So an answer is
two statements where there were up to seventeen."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import (
    IntegrityError,
    NotSupportedError,
    OperationalError,
    connections,
    router,
    transaction,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Expression, F, FilteredRelation, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from fsrs import Rating

from accounts.models import Session
from accounts.sessions import SessionStore, live_session
from accounts.visitors import visitor_id
from config.prepared import PreparedBeside, PreparedRead, columns, instances
from config.sqlite3.base import TempSchema

from ..models import Answer, AskedQuestion, Attempt, Card, learner_owns, owned_by
from ..reads import COLUMNS, question_read, related
from . import cards

SERIALIZATION_FAILURE = "40001"
VENDORS = ("postgresql", "sqlite")


def sqlite_card_version(table: str) -> str:
    """On SQLite, which keeps no row versions, a card's schedule as text: every answer about
    the card changes it (its count of reviews), and so does a replay that changes anything."""
    schedule = "||'|'||".join(f"quote({table}.{name})" for name in cards.SCHEDULE)  # columns
    return f"CASE WHEN {table}.id IS NULL THEN NULL ELSE {schedule} END"  # no card, no version


class RowVersion(Expression):
    """The row version of the table's (or join's) card, as text: PostgreSQL's `xmin`; on
    SQLite, its schedule (sqlite_card_version)."""

    output_field = CharField()

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[str | int]]:
        if connection.vendor == "postgresql":
            return f"{self.table}.xmin::text", []
        if connection.vendor == "sqlite":
            return sqlite_card_version(self.table), []
        raise NotSupportedError(f"no row versions on {connection.vendor}")


CARD = ((Card, ""),)
# The card as it stands, with its row version: read, unlocked, before the answer's statement.
card_read = PreparedRead(
    lambda learner, module: (
        Card.objects.filter(learner_id=learner, module_id=module)
        .annotate(row_version=RowVersion(Card._meta.db_table))
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


def with_own_card(asked: QuerySet[AskedQuestion]) -> QuerySet[Any]:
    """The question read's columns (reads.COLUMNS), then the card of its quiz's learner for its
    module, with the card's row version."""
    return (
        asked.annotate(
            own_card=FilteredRelation(
                "attempt__learner__cards",
                condition=Q(attempt__learner__cards__module=F("module")),
            )
        )
        .annotate(own_card_version=RowVersion("own_card"))
        .values_list(*COLUMNS, *columns(OWN_CARD), "own_card_version")
    )


# A question of the learner's own quiz, as reads.by_learner reads it, and in the same query the
# learner's card for its module with its row version: the answer's read when its session was
# read already (else question_with_session reads all three at once).
OWN_CARD = ((Card, "own_card__"),)
question_and_card_read = question_read(
    learner_owns, Attempt._meta.get_field("learner"), with_own_card
)

# The request's session (with its user and profile, as accounts.sessions reads it), and beside
# it the question by its quiz and position, with the card: one query where there were two.
# Whoever's quiz it is, it is read: the caller checks it is the session's person's.
any_question_and_card_read = PreparedRead(
    lambda public_id, position: with_own_card(
        AskedQuestion.objects.filter(attempt__public_id=public_id, position=position).order_by()
    ),
    public_id=Attempt._meta.get_field("public_id"),
    position=AskedQuestion._meta.get_field("position"),
)
session_and_question_read = PreparedBeside(live_session, any_question_and_card_read)


def question_and_card_of(row: Sequence[Any], using: str) -> tuple[AskedQuestion, CardAsRead]:
    """A row of with_own_card's columns as the question (reads.related) and the card."""
    asked = related(row[: len(COLUMNS)], using)
    [card] = instances(row[len(COLUMNS) : -1], OWN_CARD, using)
    assert card is None or isinstance(card, Card)
    return asked, CardAsRead(card, row[-1])


def question_and_card(
    learner_id: int, public_id: uuid.UUID, position: int, using: str
) -> tuple[AskedQuestion, CardAsRead] | None:
    """The question at `position` of the learner's own quiz, as reads.own_question reads it,
    with their card for its module; None when there is no such question of theirs."""
    rows = question_and_card_read.rows(
        using, owner=learner_id, public_id=public_id, position=position
    )
    return question_and_card_of(rows[0], using) if rows else None


def question_with_session(
    request: HttpRequest, public_id: uuid.UUID, position: int
) -> tuple[AskedQuestion, CardAsRead] | None:
    """The question at `position` of the person's own quiz (as reads.own_question finds it),
    with the card of the quiz's learner for its module, read in one query with the request's
    session while that is still to be read: the session is loaded from the same row. None
    when it was not read so (the session read already, no session cookie, a position no
    question can have) or there is no such question of theirs: the caller reads it as before,
    and says what is missing."""
    session = request.session
    if not isinstance(session, SessionStore):
        return None
    key = session.to_load()
    using = router.db_for_read(AskedQuestion)
    arguments = {"key": key, "now": timezone.now(), "public_id": public_id, "position": position}
    if (
        key is None
        or router.db_for_read(Session) != using
        or not session_and_question_read.fits(connections[using], arguments)
    ):
        return None
    rows = session_and_question_read.rows(using, **arguments)
    if not rows:
        session.load_row(None, using)  # no live session by this key
        return None
    session_row, question_row = session_and_question_read.split(rows[0], using)
    session.load_row(session_row, using)
    if question_row[0] is None:
        return None
    asked, card = question_and_card_of(question_row, using)
    if not owned_by(asked.attempt, request.user, visitor_id(request)):
        return None
    return asked, card


WRITE_POSTGRESQL = (
    "SELECT outcome, answer_id, answered, correct, finished FROM quizzes_answer_write("
    "%s::bigint, %s::bigint, %s::integer, %s::integer, %s::varchar, %s::varchar, %s::boolean, "
    "%s::timestamptz, %s::integer, %s::boolean, %s::bigint, %s::varchar, %s::date, "
    "%s::bigint, %s::text, %s::smallint, %s::smallint, %s::double precision, "
    "%s::double precision, %s::timestamptz, %s::timestamptz, %s::integer, %s::integer)"
)


# On SQLite, the same writes as migration 0011's function, in the same order: an insert into
# this view is the call, its trigger the function. A case it does not expect aborts the
# statement (undoing it whole) with DECLINED; the caller's transaction, if any, goes on.
DECLINED = "quizzes_answer_write declined"
PARAMETERS = (
    "attempt, question, position, learner, given, chosen, is_right, answered_at, response_ms, "
    "gave_up, module, clue, day, card, card_version, state, step, stability, difficulty, due, "
    "last_review, reviews, lapses"
)
SQLITE_WRITER = TempSchema(
    create=(
        "CREATE TEMP VIEW IF NOT EXISTS quizzes_answer_write AS SELECT "
        + ", ".join(f"NULL AS {name}" for name in PARAMETERS.split(", "))
        + " WHERE 0",
        f"""
CREATE TEMP TRIGGER IF NOT EXISTS quizzes_answer_write
INSTEAD OF INSERT ON quizzes_answer_write
BEGIN
    SELECT RAISE(ABORT, '{DECLINED}') WHERE NOT EXISTS (
        SELECT 1 FROM quizzes_attempt WHERE id = NEW.attempt AND learner_id IS NEW.learner
            AND answered_count + 1 = NEW.position);
    INSERT INTO quizzes_answer (question_id, given, chosen_module, is_correct, answered_at,
            response_ms, gave_up, corrected_at)
        VALUES (NEW.question, NEW.given, NEW.chosen, NEW.is_right, NEW.answered_at,
            NEW.response_ms, NEW.gave_up, NULL)
        ON CONFLICT DO NOTHING;
    SELECT RAISE(ABORT, '{DECLINED}') WHERE changes() = 0;
    UPDATE quizzes_attempt SET answered_count = answered_count + 1,
            correct_count = correct_count + NEW.is_right,
            finished_at = CASE WHEN answered_count + 1 = question_count THEN NEW.answered_at
                ELSE finished_at END
        WHERE id = NEW.attempt;
    UPDATE accounts_profile SET progress_version = progress_version + 1
        WHERE user_id = NEW.learner;
    INSERT INTO quizzes_card (learner_id, module_id, state, step, stability, difficulty, due,
            last_review, reviews, lapses)
        SELECT NEW.learner, NEW.module, NEW.state, NEW.step, NEW.stability, NEW.difficulty,
            NEW.due, NEW.last_review, NEW.reviews, NEW.lapses
        WHERE NEW.learner IS NOT NULL AND NEW.card IS NULL
        ON CONFLICT DO NOTHING;
    SELECT RAISE(ABORT, '{DECLINED}')
        WHERE NEW.learner IS NOT NULL AND NEW.card IS NULL AND changes() = 0;
    UPDATE quizzes_card SET state = NEW.state, step = NEW.step, stability = NEW.stability,
            difficulty = NEW.difficulty, due = NEW.due, last_review = NEW.last_review,
            reviews = NEW.reviews, lapses = NEW.lapses
        WHERE NEW.card IS NOT NULL AND id = NEW.card
            AND {sqlite_card_version("quizzes_card")} = NEW.card_version;
    SELECT RAISE(ABORT, '{DECLINED}') WHERE NEW.card IS NOT NULL AND changes() = 0;
    INSERT INTO quizzes_itemtally (learner_id, module_id, clue, asked, "right")
        SELECT NEW.learner, NEW.module, NEW.clue, 1, NEW.is_right
        WHERE NEW.learner IS NOT NULL
        ON CONFLICT (learner_id, module_id, clue)
        DO UPDATE SET asked = asked + 1, "right" = "right" + excluded."right";
    INSERT INTO quizzes_moduletally (learner_id, module_id, asked, "right")
        SELECT NEW.learner, NEW.module, 1, NEW.is_right
        WHERE NEW.learner IS NOT NULL
        ON CONFLICT (learner_id, module_id)
        DO UPDATE SET asked = asked + 1, "right" = "right" + excluded."right";
    INSERT INTO quizzes_confusiontally (learner_id, module_id, chosen, times)
        SELECT NEW.learner, NEW.module, NEW.chosen, 1
        WHERE NEW.learner IS NOT NULL AND NOT NEW.is_right AND NEW.chosen <> ''
        ON CONFLICT (learner_id, module_id, chosen) DO UPDATE SET times = times + 1;
    INSERT INTO classrooms_classconfusiontally (classroom_id, module_id, chosen, times)
        SELECT m.classroom_id, NEW.module, NEW.chosen, 1 FROM classrooms_membership m
        WHERE m.student_id = NEW.learner AND NOT NEW.is_right AND NEW.chosen <> ''
        ON CONFLICT (classroom_id, module_id, chosen) DO UPDATE SET times = times + 1;
    INSERT INTO quizzes_daytally (learner_id, day, answered, "right")
        SELECT NEW.learner, NEW.day, 1, NEW.is_right
        WHERE NEW.learner IS NOT NULL
        ON CONFLICT (learner_id, day)
        DO UPDATE SET answered = answered + 1, "right" = "right" + excluded."right";
END
""",
    ),
    drop=("DROP VIEW IF EXISTS temp.quizzes_answer_write",),
)
WRITE_SQLITE = (
    f"INSERT INTO quizzes_answer_write ({PARAMETERS}) VALUES ({', '.join(['%s'] * 23)}) "
    "RETURNING 'written', "
    "(SELECT id FROM quizzes_answer WHERE question_id = question), "
    "(SELECT answered_count FROM quizzes_attempt WHERE id = attempt), "
    "(SELECT correct_count FROM quizzes_attempt WHERE id = attempt), "
    "(SELECT finished_at FROM quizzes_attempt WHERE id = attempt)"
)
WRITE = {"postgresql": WRITE_POSTGRESQL, "sqlite": WRITE_SQLITE}


@dataclass(frozen=True)
class Written:
    answer_id: int
    answered: int
    correct: int
    finished: datetime | None


def available(using: str) -> bool:
    return connections[using].vendor in VENDORS


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
    connection = connections[using]
    moment = connection.ops.adapt_datetimefield_value  # SQLite's are text, as Django writes them
    params = [
        attempt_id,
        answer.question_id,
        position,
        learner.pk if learner else None,
        answer.given,
        answer.chosen_module,
        answer.is_correct,
        moment(answer.answered_at),
        answer.response_ms,
        answer.gave_up,
        module_id,
        clue,
        connection.ops.adapt_datefield_value(day),
        *(
            (
                card.pk,
                version,
                card.state,
                card.step,
                card.stability,
                card.difficulty,
                moment(card.due),
                moment(card.last_review),
                card.reviews,
                card.lapses,
            )
            if card is not None
            else (None,) * 10
        ),
    ]
    try:
        # Inside a caller's transaction a failure must not abort it: a savepoint keeps it.
        with (
            transaction.atomic(using) if connection.in_atomic_block else nullcontext(),
            connection.cursor() as cursor,
        ):
            cursor.execute(WRITE[connection.vendor], params)
            outcome, answer_id, answered, correct, finished = cursor.fetchone()
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != SERIALIZATION_FAILURE:
            raise
        return None  # a racing answer scheduled the card first
    except IntegrityError as error:
        if DECLINED not in str(error):
            raise
        return None  # SQLite's trigger: whatever the function returns 'declined' for, or a race
    if outcome != "written":
        return None
    return Written(
        answer_id=answer_id, answered=answered, correct=correct, finished=as_datetime(finished)
    )


def as_datetime(value: datetime | str | None) -> datetime | None:
    """A timestamp as the statement returned it: SQLite's is text, in UTC, as Django wrote it."""
    if not isinstance(value, str):
        return value
    parsed = parse_datetime(value)
    assert parsed is not None, value
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)
