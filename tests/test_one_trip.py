"""An answer is written in one statement (quizzes.services.one_trip): the same
rows as answer_record's transaction in Python writes, in fewer statements, and whatever it
does not expect is left to that transaction, with nothing written twice."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from fsrs import Rating

from accounts.backends import user_read
from accounts.models import Profile
from catalogue.snapshot import get_catalogue
from classrooms.models import ClassConfusionTally
from quizzes.models import (
    Answer,
    Attempt,
    Card,
    ConfusionTally,
    DayTally,
    ItemTally,
    ModuleTally,
)
from quizzes.questions import Kind
from quizzes.reads import own_question
from quizzes.services import attempts, cards, one_trip
from tests.classroom_helpers import class_of, person, teacher
from tests.factories import AttemptFactory
from tests.quiz_helpers import right_response, signed_in, wrong_value

pytestmark = pytest.mark.usefixtures("catalogue_db")

MODULES = ("json", "pickle", "csv", "json", "re", "pickle")
KINDS = (Kind.WHICH_MODULE, Kind.WHAT_FOR, Kind.RECALL)


def answer_all(learner, *, seed: int, start, plan: str) -> Attempt:
    """A quiz of MODULES answered through answer_record as the answer view calls it: `plan`
    says, question by question, right (r), wrong (w) or "I don't know" (d, recall only)."""
    attempt = AttemptFactory.create(learner=learner, modules=MODULES, kinds=KINDS, seed=seed)
    account = user_read(learner.pk)  # with its profile, as the request has it
    questions = attempt.questions.select_related("attempt", "module").order_by("position")
    for number, (asked, how) in enumerate(zip(questions, plan, strict=True)):
        if how == "d" and asked.kind != Kind.RECALL:
            how = "w"
        response = right_response(asked).popitem()[1] if how == "r" else wrong_value(asked)
        attempts.answer_record(
            asked=asked,
            response=response,
            gave_up=how == "d",
            now=start + timedelta(minutes=7 * number),
            learner=account,
        )
    return attempt


def written_for(learner) -> dict[str, Any]:
    """Everything an answer writes for a learner, without keys that differ between two."""
    mine = {"learner": learner}
    return {
        "answers": list(
            Answer.objects.filter(question__attempt__learner=learner)
            .order_by("answered_at")
            .values_list("given", "chosen_module", "is_correct", "answered_at", "gave_up")
        ),
        "quizzes": list(
            Attempt.objects.filter(**mine)
            .order_by("started_at", "pk")
            .values_list("answered_count", "correct_count", "finished_at")
        ),
        "cards": sorted(
            Card.objects.filter(**mine).values_list(
                "module__name",
                "state",
                "step",
                "stability",
                "difficulty",
                "due",
                "last_review",
                "reviews",
                "lapses",
            )
        ),
        "items": sorted(
            ItemTally.objects.filter(**mine).values_list("module__name", "clue", "asked", "right")
        ),
        "modules": sorted(
            ModuleTally.objects.filter(**mine).values_list("module__name", "asked", "right")
        ),
        "confusions": sorted(
            ConfusionTally.objects.filter(**mine).values_list("module__name", "chosen", "times")
        ),
        "days": sorted(DayTally.objects.filter(**mine).values_list("day", "answered", "right")),
        "class confusions": sorted(
            ClassConfusionTally.objects.filter(classroom__memberships__student=learner).values_list(
                "module__name", "chosen", "times"
            )
        ),
        "progress version": Profile.objects.get(user=learner).progress_version,
    }


def test_one_trip_writes_what_the_python_transaction_writes(monkeypatch):
    """Two learners in two classes, the same quizzes answered the same way at the same times:
    one written by the function, the other by Python. Every row they wrote is the same."""
    start = timezone.now().replace(microsecond=0) - timedelta(days=3)
    by_function, by_python = person("ada", "Europe/Paris"), person("grace", "Europe/Paris")
    class_of(teacher("t1"), [by_function], name="One")
    class_of(teacher("t2"), [by_python], name="Two")
    plans = ["rwrdwr", "wwrrdr"]
    write = one_trip.answer_write
    written = []

    def counted_write(**kwargs):
        written.append(write(**kwargs))
        return written[-1]

    monkeypatch.setattr(one_trip, "answer_write", counted_write)
    for number, plan in enumerate(plans):
        answer_all(by_function, seed=number, start=start + timedelta(days=number), plan=plan)
    function_written = written_for(by_function)
    with monkeypatch.context() as python_only:
        python_only.setattr(one_trip, "available", lambda using: False)
        for number, plan in enumerate(plans):
            answer_all(by_python, seed=number, start=start + timedelta(days=number), plan=plan)
    python_written = written_for(by_python)

    assert len(written) == 12
    assert all(written), "the function wrote every answer"
    assert function_written == python_written
    assert len(python_written["answers"]) == 12
    assert function_written["confusions"], "some wrong answers took a module for another"
    assert function_written["class confusions"] == function_written["confusions"]


def test_an_answer_is_a_handful_of_statements(django_assert_max_num_queries):
    """The session with its user and the question with the card, in one query, and the one
    statement that writes: 2, where Python's transaction takes 15 (test_quiz_views). On
    PostgreSQL the catalogue's version is kept on the connection (tests/test_catalogue_watch.py);
    SQLite reads it: 3."""
    learner = person("ada")
    attempt = AttemptFactory.create(learner=learner, modules=("json", "csv"))
    client = signed_in(learner)
    client.get(reverse("quizzes:question", args=[attempt.public_id, 1]))
    get_catalogue()  # read on this connection already, as in a running app
    asked = attempt.questions.get(position=1)
    with django_assert_max_num_queries(2 if connection.vendor == "postgresql" else 3):
        response = client.post(
            reverse("quizzes:answer", args=[attempt.public_id, 1]),
            right_response(asked),
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    assert Card.objects.get(learner=learner).reviews == 1
    assert ModuleTally.objects.get(learner=learner).asked == 1


def test_a_card_changed_after_it_was_read_is_scheduled_once_on_top_of_the_change(monkeypatch):
    """A racing answer about the same module writes the card between this answer's read and
    its statement: the statement undoes itself, and Python's transaction counts the answer
    once, on the card as it now stands."""
    learner = person("ada")
    earlier = AttemptFactory.create(learner=learner, modules=("json",), answered=True)
    assert Card.objects.get(learner=learner).reviews == 1
    read = one_trip.scheduled_card

    def read_then_raced(*args, **kwargs):
        found = read(*args, **kwargs)
        Card.objects.filter(learner=learner).update(lapses=5)  # the racing answer's write
        return found

    monkeypatch.setattr(one_trip, "scheduled_card", read_then_raced)
    attempt = AttemptFactory.create(learner=learner, modules=("json",))
    asked = attempt.questions.select_related("attempt", "module").get()
    answer = attempts.answer_record(
        asked=asked, response=wrong_value(asked), learner=user_read(learner.pk)
    )

    assert answer.pk == Answer.objects.get(question=asked).pk
    card = Card.objects.get(learner=learner)
    assert (card.reviews, card.lapses) == (2, 6)  # the race's 5, and this wrong answer
    assert ModuleTally.objects.get(learner=learner).asked == 2  # not 3
    attempt.refresh_from_db()
    assert attempt.answered_count == 1
    assert earlier.pk != attempt.pk


def test_the_statement_is_all_or_nothing(monkeypatch):
    """A card the database refuses (here a state out of range) fails the answer's statement:
    no answer, no count, no tally."""
    learner = person("ada")
    schedule = cards.schedule

    def broken(card, *args, **kwargs):
        schedule(card, *args, **kwargs)
        card.state = -1

    monkeypatch.setattr(cards, "schedule", broken)
    attempt = AttemptFactory.create(learner=learner, modules=("json", "csv"))
    asked = attempt.questions.select_related("attempt", "module").get(position=1)
    version = Profile.objects.get(user=learner).progress_version
    with pytest.raises(IntegrityError):
        attempts.answer_record(
            asked=asked, response=wrong_value(asked), learner=user_read(learner.pk)
        )

    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count) == (0, 0)
    assert not Card.objects.exists()
    assert not ModuleTally.objects.exists()
    assert Profile.objects.get(user=learner).progress_version == version


def test_a_quiz_claimed_by_an_account_is_left_to_python():
    """The question was read as a visitor's, but the quiz is an account's by the time its
    row is locked (a log-in claimed it): the function writes nothing, and Python schedules
    the account's card."""
    learner = person("ada")
    attempt = AttemptFactory.create(learner=None, modules=("json", "csv"))
    asked = attempt.questions.select_related("attempt", "module").get(position=1)
    Attempt.objects.filter(pk=attempt.pk).update(learner=learner, visitor_id=None)

    attempts.answer_record(asked=asked, response=wrong_value(asked))

    assert Card.objects.get(learner=learner).reviews == 1
    assert ModuleTally.objects.get(learner=learner).asked == 1


def test_the_question_comes_with_the_learners_card_as_each_read_alone_gives_them(
    django_assert_num_queries,
):
    """question_and_card: the question as own_question reads it, and the learner's card for
    its module (with its row version) as card_read reads it, in one query."""
    learner, stranger = person("ada"), person("bob")
    attempt = AttemptFactory.create(learner=learner, modules=("json", "csv"))
    json_question = attempt.questions.get(position=1)
    now = timezone.now()
    with transaction.atomic():
        card = cards.card_review(
            learner_id=learner.pk, module_id=json_question.module_id, rating=Rating.Good, when=now
        )
        # The stranger's card for the same module is not the learner's.
        cards.card_review(
            learner_id=stranger.pk,
            module_id=json_question.module_id,
            rating=Rating.Again,
            when=now,
        )
    using = "default"
    for position, has_card in ((1, True), (2, False)):
        with django_assert_num_queries(1):
            found = one_trip.question_and_card(learner.pk, attempt.public_id, position, using)
        assert found is not None
        asked, as_read = found
        expected = own_question(learner, None, attempt.public_id, position)
        assert expected is not None
        assert (asked.pk, asked.attempt.answered_count, asked.module.name) == (
            expected.pk,
            expected.attempt.answered_count,
            expected.module.name,
        )
        alone = one_trip.card_as_read(learner.pk, asked.module_id, using)
        assert as_read == alone
        assert (as_read.card is not None) is has_card
        if as_read.card is not None:
            assert as_read.card.pk == card.pk
            assert as_read.card.stability == card.stability
            assert as_read.version is not None
    assert one_trip.question_and_card(stranger.pk, attempt.public_id, 1, using) is None
    assert one_trip.question_and_card(learner.pk, attempt.public_id, 3, using) is None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's TEMP trigger")
def test_on_sqlite_a_table_the_writer_names_can_still_be_altered():
    """Django alters a SQLite table by remaking it (a copy renamed over the old one), which
    SQLite refuses while a trigger names the table: the schema editor drops the connection's
    writer while it works, and makes it again after, so answers are still one statement."""
    learner = person("ada")
    with connection.schema_editor() as editor:
        # What an altered field or constraint does (Django's, not in its type stubs).
        editor._remake_table(Card)  # type: ignore[attr-defined]
        editor._remake_table(Attempt)  # type: ignore[attr-defined]
    attempt = AttemptFactory.create(learner=learner, modules=("json", "csv"))
    asked = attempt.questions.select_related("attempt", "module").get(position=1)
    written = []
    write = one_trip.answer_write

    def counted_write(**kwargs):
        written.append(write(**kwargs))
        return written[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(one_trip, "answer_write", counted_write)
        attempts.answer_record(
            asked=asked, response=wrong_value(asked), learner=user_read(learner.pk)
        )

    assert len(written) == 1
    assert written[0] is not None, "the trigger wrote it"
    assert Card.objects.get(learner=learner).reviews == 1
    assert Attempt.objects.get(pk=attempt.pk).answered_count == 1
