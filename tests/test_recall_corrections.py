"""Recall's "I don't know" and "I was right", as services: every count an answer touches, kept
true when a learner gives up or says a wrong typed name was right (a typo)."""

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from fsrs import Rating

from accounts import services as account_services
from catalogue.snapshot import get_catalogue
from quizzes.memory import FAST_RECALL_MS
from quizzes.models import Answer, AskedQuestion, Attempt, Card, ConfusionTally, DayTally, ItemTally
from quizzes.questions import Kind
from quizzes.services import attempts
from tests.factories import AttemptFactory, UserFactory
from tests.quiz_helpers import wrong_value
from tests.test_cards import assert_card_is, fsrs_after

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 5, 5, 22, 30, tzinfo=UTC)  # already 6 May in Tokyo
TOKYO = ZoneInfo("Asia/Tokyo")
TYPO = "pathlb"


@pytest.fixture
def learner() -> User:
    return UserFactory.create(profile__time_zone="Asia/Tokyo")


def recall(learner: User | None, module: str = "pathlib", **fields) -> AskedQuestion:
    attempt = AttemptFactory.create(
        learner=learner, kinds=(Kind.RECALL,), modules=(module,), **fields
    )
    return attempt.questions.select_related("module", "attempt").get()


def answer(asked: AskedQuestion, typed: str | None = None, *, when=T0, seconds=12, **kw) -> Answer:
    """Answer as a learner does: the question shown `seconds` before the answer."""
    attempts.question_show(asked, now=when - timedelta(seconds=seconds))
    return attempts.answer_record(asked=asked, response=typed, now=when, **kw)


def counts() -> dict[str, list[str]]:
    """Everything an answer may change, to show that something changed nothing."""
    rows = {}
    for model in (Answer, Attempt, ItemTally, ConfusionTally, DayTally, Card):
        rows[model.__name__] = sorted(map(repr, model.objects.values()))
    return rows


# --- I don't know -------------------------------------------------------------------------


def test_i_dont_know_is_wrong_rated_again_and_no_confusion(learner):
    asked = recall(learner)

    # What was typed before giving up is not an answer: "os" must not count as a confusion.
    given_up = answer(asked, "os", gave_up=True)

    assert (given_up.gave_up, given_up.is_correct, given_up.given) == (True, False, "")
    assert given_up.chosen_module == ""
    attempt = Attempt.objects.get()
    assert (attempt.answered_count, attempt.correct_count) == (1, 0)
    card = Card.objects.get(learner=learner, module__name="pathlib")
    assert_card_is(card, fsrs_after((Rating.Again, T0)))
    assert (card.reviews, card.lapses) == (1, 1)
    item = ItemTally.objects.get(learner=learner)
    assert (item.asked, item.right, item.clue) == (1, 0, asked.clue)
    assert not ConfusionTally.objects.exists()
    day = DayTally.objects.get(learner=learner)
    assert (day.day, day.answered, day.right) == (date(2025, 5, 6), 1, 0)
    assert "pathlib" not in attempts.count_confusions(get_catalogue(), since=T0 - timedelta(1))


def test_only_recall_questions_can_be_answered_i_dont_know(learner):
    attempt = AttemptFactory.create(learner=learner, modules=("json",))
    asked = attempt.questions.get()

    with pytest.raises(attempts.AnswerRejected) as rejected:
        attempts.answer_record(asked=asked, response=None, gave_up=True, now=T0)

    assert rejected.value.message == attempts.GIVE_UP_RECALL_ONLY
    assert not Answer.objects.exists()
    assert not Card.objects.exists()


# --- I was right --------------------------------------------------------------------------


def test_a_corrected_typo_counts_as_right_everywhere(learner):
    earlier = recall(learner)
    answer(earlier, "pathlib", when=T0 - timedelta(days=2))
    asked = recall(learner)
    typo = answer(asked, TYPO, seconds=5)  # typed fast: rated Easy had it been right
    assert not typo.is_correct
    assert typo.response_ms is not None
    assert typo.response_ms < FAST_RECALL_MS
    card = Card.objects.get(learner=learner)
    assert (card.reviews, card.lapses) == (2, 1)

    corrected = attempts.answer_correct(answer=typo, now=T0 + timedelta(minutes=3))

    assert corrected.is_correct
    assert corrected.corrected_at == T0 + timedelta(minutes=3)
    assert corrected.given == TYPO  # what was typed stays
    stored = Answer.objects.get(pk=typo.pk)
    assert (stored.is_correct, stored.corrected_at, stored.given) == (
        True,
        T0 + timedelta(minutes=3),
        TYPO,
    )
    attempt = Attempt.objects.get(pk=asked.attempt_id)
    assert (attempt.answered_count, attempt.correct_count) == (1, 1)
    items = ItemTally.objects.filter(learner=learner, module__name="pathlib")
    assert sum(i.asked for i in items) == 2
    assert sum(i.right for i in items) == 2
    # The day is the answer's own, in the learner's zone: 6 May in Tokyo, not 5 May in UTC.
    days = {t.day: (t.answered, t.right) for t in DayTally.objects.filter(learner=learner)}
    assert days == {date(2025, 5, 4): (1, 1), date(2025, 5, 6): (1, 1)}
    # The card is what it would be had the typo been typed right: Easy, not Again.
    card.refresh_from_db()
    assert_card_is(card, fsrs_after((Rating.Good, T0 - timedelta(days=2)), (Rating.Easy, T0)))
    assert (card.reviews, card.lapses) == (2, 0)


def test_a_corrected_answer_leaves_the_card_as_answering_right_would_have(learner):
    other = UserFactory.create()
    for person, first in ((learner, TYPO), (other, "pathlib")):
        typed = answer(recall(person), first)
        answer(recall(person), "nonsense", when=T0 + timedelta(days=1))
        answer(recall(person), "pathlib", when=T0 + timedelta(days=4))
        if person == learner:
            attempts.answer_correct(answer=typed, now=T0 + timedelta(days=5))

    mine = Card.objects.get(learner=learner)
    theirs = Card.objects.get(learner=other)
    for field in ("state", "step", "stability", "difficulty", "due", "last_review", "reviews"):
        assert getattr(mine, field) == getattr(theirs, field), field
    assert (mine.reviews, mine.lapses) == (3, 1)  # the later wrong answer still lapses it


def test_correcting_a_name_taken_for_another_module_takes_back_that_confusion(learner):
    first = answer(recall(learner), "os", when=T0)
    second = answer(recall(learner), "import os", when=T0 + timedelta(hours=1))
    confusion = ConfusionTally.objects.get(learner=learner, module__name="pathlib", chosen="os")
    assert confusion.times == 2

    attempts.answer_correct(answer=first, now=T0 + timedelta(hours=2))
    confusion.refresh_from_db()
    assert confusion.times == 1

    attempts.answer_correct(answer=second, now=T0 + timedelta(hours=2))
    assert not ConfusionTally.objects.filter(learner=learner).exists()
    found = attempts.count_confusions(get_catalogue(), since=T0 - timedelta(days=1))
    assert "os" not in found.get("pathlib", [])


def test_a_second_correction_changes_nothing(learner):
    typo = answer(recall(learner), TYPO)
    attempts.answer_correct(answer=typo, now=T0 + timedelta(minutes=1))
    before = counts()

    with pytest.raises(attempts.AlreadyCorrected) as already:
        attempts.answer_correct(answer=typo, now=T0 + timedelta(minutes=2))

    assert already.value.answer.corrected_at == T0 + timedelta(minutes=1)
    assert counts() == before


def test_only_a_wrong_typed_name_can_be_corrected(learner):
    choice = AttemptFactory.create(learner=learner, modules=("json",)).questions.get()
    wrong_choice = attempts.answer_record(asked=choice, response=wrong_value(choice), now=T0)
    right = answer(recall(learner, "json"), "json")
    given_up = answer(recall(learner, "os"), None, gave_up=True)
    before = counts()

    for refused, message in (
        (wrong_choice, attempts.CORRECTION_RECALL_ONLY),
        (right, attempts.CORRECTION_ALREADY_RIGHT),
        (given_up, attempts.CORRECTION_GAVE_UP),
    ):
        with pytest.raises(attempts.CorrectionRefused) as error:
            attempts.answer_correct(answer=refused, now=T0 + timedelta(minutes=1))
        assert error.value.message == message

    assert counts() == before


@pytest.mark.parametrize(
    ("kind", "is_correct", "gave_up", "refusal"),
    [
        (Kind.RECALL, False, False, None),
        (Kind.RECALL, True, False, attempts.CORRECTION_ALREADY_RIGHT),
        (Kind.RECALL, False, True, attempts.CORRECTION_GAVE_UP),
        (Kind.WHICH_MODULE, False, False, attempts.CORRECTION_RECALL_ONLY),
        (Kind.WHAT_FOR, False, False, attempts.CORRECTION_RECALL_ONLY),
        (Kind.STDLIB, False, False, attempts.CORRECTION_RECALL_ONLY),
    ],
)
def test_correction_refusal(kind, is_correct, gave_up, refusal):
    assert attempts.correction_refusal(kind, is_correct=is_correct, gave_up=gave_up) == refusal


def test_the_database_keeps_corrections_and_giving_up_consistent(learner):
    typo = answer(recall(learner), TYPO)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=typo.pk).update(corrected_at=T0)  # corrected, yet wrong
    right = answer(recall(learner, "json"), "json")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=right.pk).update(gave_up=True)  # gave up, yet right


# --- visitors -----------------------------------------------------------------------------


def test_a_visitors_correction_changes_their_score_and_replays_as_right_when_claimed(learner):
    visitor = uuid.uuid4()
    asked = recall(None, visitor_id=visitor)
    typo = answer(asked, TYPO)
    given_up = answer(recall(None, "json", visitor_id=visitor), None, gave_up=True)

    attempts.answer_correct(answer=typo, now=T0 + timedelta(minutes=1))

    attempt = Attempt.objects.get(pk=asked.attempt_id)
    assert (attempt.answered_count, attempt.correct_count) == (1, 1)
    assert Answer.objects.get(pk=typo.pk).corrected_at is not None
    assert not Card.objects.exists()
    assert not ItemTally.objects.exists()
    assert not DayTally.objects.exists()

    account_services.visitor_claim(user=learner, visitor=visitor)

    pathlib = Card.objects.get(learner=learner, module__name="pathlib")
    assert_card_is(pathlib, fsrs_after((Rating.Good, T0)))  # 12 s: Good
    assert (pathlib.reviews, pathlib.lapses) == (1, 0)
    json = Card.objects.get(learner=learner, module__name="json")
    assert (json.reviews, json.lapses) == (1, 1)
    assert not ConfusionTally.objects.exists()
    assert sorted(ItemTally.objects.values_list("right", flat=True)) == [0, 1]
    day = DayTally.objects.get(learner=learner)
    assert (day.answered, day.right) == (2, 1)
    assert given_up.pk in Answer.objects.filter(gave_up=True).values_list("pk", flat=True)


def test_practise_again_leaves_out_a_corrected_answer(learner):
    attempt = AttemptFactory.create(
        learner=learner, kinds=(Kind.RECALL,), modules=("pathlib", "json")
    )
    first, second = attempt.questions.select_related("module").order_by("position")
    typo = answer(first, TYPO)
    answer(second, "nonsense", when=T0 + timedelta(seconds=30))
    attempts.answer_correct(answer=typo, now=T0 + timedelta(minutes=1))

    attempt.refresh_from_db()
    assert attempts.missed_modules(attempt) == ["json"]
