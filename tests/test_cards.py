"""Answers schedule spaced-repetition cards exactly as FSRS says, in the answer's transaction."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from accounts import services as account_services
from quizzes.memory import SLOW_ANSWER_MS
from quizzes.models import Answer, AskedQuestion, Attempt, Card
from quizzes.questions import Kind
from quizzes.services import attempts, cards, one_trip
from tests.factories import AttemptFactory, UserFactory
from tests.quiz_helpers import answer_field, right_value, wrong_value

pytestmark = pytest.mark.django_db

# The expectation is computed with fsrs itself, not with the app's wrapper around it.
FSRS = Scheduler(enable_fuzzing=False)
T0 = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)


def fsrs_after(*reviews: tuple[Rating, datetime]) -> FsrsCard:
    card = FsrsCard(card_id=0)
    for rating, when in reviews:
        card, _log = FSRS.review_card(card, rating, when)
    return card


def assert_card_is(card: Card, expected: FsrsCard) -> None:
    assert card.due == expected.due
    assert card.state == expected.state
    assert card.step == expected.step
    assert card.stability == pytest.approx(expected.stability, rel=1e-12)
    assert card.difficulty == pytest.approx(expected.difficulty, rel=1e-12)
    assert card.last_review == expected.last_review


@pytest.fixture
def learner() -> User:
    return UserFactory.create()


@pytest.fixture
def learner_client(client: Client, learner: User) -> Client:
    client.force_login(learner)
    return client


def question_on(attempt: Attempt, module: str) -> AskedQuestion:
    return AskedQuestion.objects.select_related("module").get(attempt=attempt, module__name=module)


def answer_in_browser(client: Client, asked: AskedQuestion, *, right: bool) -> Answer:
    """Open the question, then answer it by posting the form, as a browser without JS does."""
    attempt = asked.attempt
    shown = client.get(reverse("quizzes:question", args=[attempt.public_id, asked.position]))
    assert shown.status_code == 200
    response = client.post(
        reverse("quizzes:answer", args=[attempt.public_id, asked.position]),
        {answer_field(asked): right_value(asked) if right else wrong_value(asked)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Answer.objects.get(question=asked)


# --- answering through the site -------------------------------------------------------------


def test_answering_right_creates_the_card_fsrs_schedules_for_good(learner_client, learner):
    response = learner_client.post(
        reverse("quizzes:practice"), {"count": 5, "kinds": ["which_module"], "difficulty": "easy"}
    )
    assert response.status_code == 302
    attempt = Attempt.objects.get(learner=learner)
    asked = attempt.questions.select_related("module").get(position=1)
    assert not Card.objects.exists()

    answer = answer_in_browser(learner_client, asked, right=True)

    assert answer.is_correct
    assert answer.response_ms is not None
    assert answer.response_ms <= SLOW_ANSWER_MS  # ordinary time: rated Good
    card = Card.objects.get(learner=learner)
    assert card.module == asked.module
    assert_card_is(card, fsrs_after((Rating.Good, answer.answered_at)))
    assert card.due > answer.answered_at
    assert (card.reviews, card.lapses) == (1, 0)


def test_answers_on_later_attempts_move_the_same_card_again_and_a_wrong_one_lapses_it(
    learner_client, learner
):
    first = answer_in_browser(
        learner_client,
        AttemptFactory.create(learner=learner, modules=("json",)).questions.get(),
        right=True,
    )
    card = Card.objects.get(learner=learner, module__name="json")
    after_first = fsrs_after((Rating.Good, first.answered_at))
    assert_card_is(card, after_first)

    second = answer_in_browser(
        learner_client,
        AttemptFactory.create(learner=learner, modules=("json",)).questions.get(),
        right=True,
    )
    card.refresh_from_db()
    after_second = fsrs_after((Rating.Good, first.answered_at), (Rating.Good, second.answered_at))
    assert_card_is(card, after_second)
    assert card.due != after_first.due
    assert card.state == State.Review  # two right answers: out of learning
    assert (card.reviews, card.lapses) == (2, 0)

    third = answer_in_browser(
        learner_client,
        AttemptFactory.create(learner=learner, modules=("json",)).questions.get(),
        right=False,
    )
    card.refresh_from_db()
    assert_card_is(
        card,
        fsrs_after(
            (Rating.Good, first.answered_at),
            (Rating.Good, second.answered_at),
            (Rating.Again, third.answered_at),
        ),
    )
    assert card.state == State.Relearning
    assert (card.reviews, card.lapses) == (3, 1)
    assert Card.objects.filter(learner=learner).count() == 1


@pytest.mark.parametrize(
    ("kind", "seconds", "right", "rating"),
    [
        (Kind.WHICH_MODULE, 5, True, Rating.Good),
        (Kind.WHAT_FOR, 45, True, Rating.Hard),
        (Kind.RECALL, 3, True, Rating.Easy),
        (Kind.RECALL, 12, True, Rating.Good),
        (Kind.RECALL, 3, False, Rating.Again),
        (Kind.STDLIB, 2, False, Rating.Again),
    ],
)
def test_how_long_an_answer_took_sets_the_rating_fsrs_schedules(
    learner, kind, seconds, right, rating
):
    asked = AttemptFactory.create(
        learner=learner, modules=("json",), kinds=(kind,), started_at=T0
    ).questions.get()
    attempts.question_show(asked, now=T0)
    answered_at = T0 + timedelta(seconds=seconds)
    answer = attempts.answer_record(
        asked=asked,
        response=right_value(asked) if right else wrong_value(asked),
        now=answered_at,
    )
    assert answer.response_ms == seconds * 1000
    assert_card_is(Card.objects.get(learner=learner), fsrs_after((rating, answered_at)))


def test_answers_days_apart_follow_fsrs_day_by_day(learner):
    times = [T0, T0 + timedelta(days=1), T0 + timedelta(days=4), T0 + timedelta(days=30)]
    outcomes = [True, True, False, True]
    for when, right in zip(times, outcomes, strict=True):
        asked = AttemptFactory.create(
            learner=learner, modules=("os.path",), started_at=when
        ).questions.get()
        attempts.answer_record(
            asked=asked,
            response=right_value(asked) if right else wrong_value(asked),
            now=when,
        )
    ratings = [Rating.Good if right else Rating.Again for right in outcomes]
    card = Card.objects.get(learner=learner)
    assert_card_is(card, fsrs_after(*zip(ratings, times, strict=True)))
    assert (card.reviews, card.lapses) == (4, 1)


def test_an_answer_time_given_in_another_zone_schedules_the_same_card(learner):
    in_paris = T0.astimezone(ZoneInfo("Europe/Paris"))
    asked = AttemptFactory.create(
        learner=learner, modules=("json",), started_at=in_paris
    ).questions.get()
    attempts.answer_record(asked=asked, response=right_value(asked), now=in_paris)
    assert_card_is(Card.objects.get(learner=learner), fsrs_after((Rating.Good, T0)))


# --- one transaction ------------------------------------------------------------------------


def test_if_the_card_cannot_be_written_the_answer_is_not_written_either(
    learner_client, learner, monkeypatch
):
    attempt = AttemptFactory.create(learner=learner, modules=("json", "os", "re", "sys", "time"))
    asked = attempt.questions.select_related("module").get(position=1)
    seen_answer_before_failing = []

    def failing_card_review(**kwargs):
        # The answer row exists by now, inside the transaction that is about to fail.
        seen_answer_before_failing.append(Answer.objects.filter(question=asked).exists())
        raise RuntimeError("the card table is on fire")

    monkeypatch.setattr(cards, "card_review", failing_card_review)
    # answer_record's transaction in Python; the one-statement write is all or nothing too
    # (tests/test_one_trip.py).
    monkeypatch.setattr(one_trip, "available", lambda using: False)
    with pytest.raises(RuntimeError, match="on fire"):
        learner_client.post(
            reverse("quizzes:answer", args=[attempt.public_id, 1]),
            {answer_field(asked): right_value(asked)},
        )

    assert seen_answer_before_failing == [True]
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count) == (0, 0)
    assert attempt.finished_at is None
    assert not Card.objects.exists()

    # Once the card can be written again, the same question takes its answer as new.
    monkeypatch.undo()
    answer = answer_in_browser(learner_client, asked, right=True)
    attempt.refresh_from_db()
    assert answer.is_correct
    assert (attempt.answered_count, attempt.correct_count) == (1, 1)
    assert Card.objects.filter(learner=learner, module=asked.module).exists()


def test_a_failing_card_write_on_the_last_answer_leaves_the_attempt_unfinished(
    learner, monkeypatch
):
    attempt = AttemptFactory.create(learner=learner, modules=("json",), started_at=T0)
    asked = attempt.questions.select_related("module").get()

    def failing_card_review(**kwargs):
        raise RuntimeError("no cards today")

    monkeypatch.setattr(cards, "card_review", failing_card_review)
    with pytest.raises(RuntimeError):
        attempts.answer_record(asked=asked, response=right_value(asked), now=T0)

    attempt.refresh_from_db()
    assert attempt.finished_at is None
    assert attempt.answered_count == 0
    assert not Answer.objects.exists()


# --- visitors -------------------------------------------------------------------------------


def test_visitors_get_answers_but_no_cards(client):
    response = client.post(
        reverse("quizzes:practice"), {"count": 5, "kinds": ["which_module"], "difficulty": "easy"}
    )
    assert response.status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.learner is None
    for asked in attempt.questions.select_related("module").order_by("position"):
        answer_in_browser(client, asked, right=asked.position % 2 == 0)

    attempt.refresh_from_db()
    assert attempt.is_finished
    assert Answer.objects.count() == 5
    assert not Card.objects.exists()


def test_claiming_a_visitors_practice_moves_the_attempts_and_replays_answers_in_order(learner):
    visitor = uuid.uuid4()
    # Created first, answered last: replaying by creation order would be wrong.
    later = AttemptFactory.create(
        learner=None, visitor_id=visitor, modules=("json",), started_at=T0 + timedelta(days=3)
    )
    earlier = AttemptFactory.create(
        learner=None, visitor_id=visitor, modules=("json", "os"), started_at=T0
    )
    someone_else = AttemptFactory.create(
        learner=None, visitor_id=uuid.uuid4(), modules=("json",), started_at=T0
    )

    attempts.answer_record(
        asked=question_on(earlier, "json"),
        response=wrong_value(question_on(earlier, "json")),
        now=T0,
    )
    attempts.answer_record(
        asked=question_on(earlier, "os"),
        response=right_value(question_on(earlier, "os")),
        now=T0 + timedelta(minutes=1),
    )
    attempts.answer_record(
        asked=question_on(later, "json"),
        response=right_value(question_on(later, "json")),
        now=T0 + timedelta(days=3),
    )
    assert not Card.objects.exists()

    moved = account_services.visitor_claim(user=learner, visitor=visitor)

    assert moved == 2
    for attempt in (later, earlier):
        attempt.refresh_from_db()
        assert attempt.learner == learner
        assert attempt.visitor_id is None
    someone_else.refresh_from_db()
    assert someone_else.learner is None

    json_card = Card.objects.get(learner=learner, module__name="json")
    assert_card_is(json_card, fsrs_after((Rating.Again, T0), (Rating.Good, T0 + timedelta(days=3))))
    assert (json_card.reviews, json_card.lapses) == (2, 1)
    os_card = Card.objects.get(learner=learner, module__name="os")
    assert_card_is(os_card, fsrs_after((Rating.Good, T0 + timedelta(minutes=1))))
    assert Card.objects.filter(learner=learner).count() == 2


def test_claiming_twice_or_with_no_visitor_moves_nothing(learner):
    visitor = uuid.uuid4()
    attempt = AttemptFactory.create(
        learner=None, visitor_id=visitor, modules=("json",), started_at=T0
    )
    asked = attempt.questions.get()
    attempts.answer_record(asked=asked, response=right_value(asked), now=T0)

    assert account_services.visitor_claim(user=learner, visitor=None) == 0
    assert account_services.visitor_claim(user=learner, visitor=visitor) == 1
    assert account_services.visitor_claim(user=learner, visitor=visitor) == 0
    card = Card.objects.get(learner=learner)
    assert card.reviews == 1  # not replayed a second time


def test_visitor_answers_older_than_the_accounts_own_count_as_of_its_last_review(learner):
    signed_in_at = T0 + timedelta(days=5)
    own = AttemptFactory.create(
        learner=learner, modules=("json",), started_at=signed_in_at
    ).questions.get()
    attempts.answer_record(asked=own, response=right_value(own), now=signed_in_at)
    visitor = uuid.uuid4()
    old = AttemptFactory.create(
        learner=None, visitor_id=visitor, modules=("json",), started_at=T0
    ).questions.get()
    attempts.answer_record(asked=old, response=wrong_value(old), now=T0)

    account_services.visitor_claim(user=learner, visitor=visitor)

    # FSRS cannot go back in time: the older answer is reviewed at the card's last review.
    card = Card.objects.get(learner=learner)
    assert_card_is(card, fsrs_after((Rating.Good, signed_in_at), (Rating.Again, signed_in_at)))
    assert (card.reviews, card.lapses) == (2, 1)


def test_cards_are_indexed_by_learner_and_module_alone():
    """What reads cards reads them by learner, or by learner and module: one index serves
    both. An index on `due` would make every reschedule write index entries (on PostgreSQL, no
    update in place), and one on the module alone led PostgreSQL's plan for the question's
    read to go through every card of the module."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Card._meta.db_table)
    indexed = {
        tuple(c["columns"])
        for c in found.values()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    }
    assert indexed == {("learner_id", "module_id")}
