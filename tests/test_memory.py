"""The memory model without a database: how an answer rates, mastery levels, what comes up."""

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from quizzes.memory import (
    FAST_RECALL_MS,
    RECENT,
    SLOW_ANSWER_MS,
    Mastery,
    due_for_review,
    mastery_of,
    practice_weights,
    rating_for,
    recall_probability,
    weakest,
)
from quizzes.questions import Kind

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
FSRS = Scheduler(enable_fuzzing=False)
CHOICE_KINDS = [Kind.WHICH_MODULE, Kind.WHICH_USE, Kind.WHAT_FOR, Kind.STDLIB]


def review_card(stability: float, *, last_review: datetime, state: State = State.Review) -> Card:
    return Card(
        card_id=0,
        state=state,
        step=None if state == State.Review else 0,
        stability=stability,
        difficulty=5.0,
        due=last_review + timedelta(days=stability),
        last_review=last_review,
    )


# --- rating an answer -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("response_ms", [None, 0, 1_000, FAST_RECALL_MS - 1, 60_000, 10**7])
def test_a_wrong_answer_is_again_whatever_the_time(kind, response_ms):
    assert rating_for(kind=kind, is_correct=False, response_ms=response_ms) == Rating.Again


@pytest.mark.parametrize("kind", list(Kind))
def test_a_right_answer_in_ordinary_time_is_good(kind):
    response_ms = (FAST_RECALL_MS + SLOW_ANSWER_MS) // 2
    assert rating_for(kind=kind, is_correct=True, response_ms=response_ms) == Rating.Good


@pytest.mark.parametrize("kind", list(Kind))
def test_a_right_answer_of_unknown_time_is_good(kind):
    assert rating_for(kind=kind, is_correct=True, response_ms=None) == Rating.Good


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize(
    ("response_ms", "rating"),
    [
        (SLOW_ANSWER_MS - 1, Rating.Good),
        (SLOW_ANSWER_MS, Rating.Good),  # "slower than": exactly the limit is not slow
        (SLOW_ANSWER_MS + 1, Rating.Hard),
        (10 * SLOW_ANSWER_MS, Rating.Hard),
    ],
)
def test_a_right_answer_slower_than_the_limit_is_hard(kind, response_ms, rating):
    assert rating_for(kind=kind, is_correct=True, response_ms=response_ms) == rating


@pytest.mark.parametrize(
    ("response_ms", "rating"),
    [
        (0, Rating.Easy),
        (FAST_RECALL_MS - 1, Rating.Easy),
        (FAST_RECALL_MS, Rating.Good),  # "faster than": exactly the limit is not fast
        (FAST_RECALL_MS + 1, Rating.Good),
    ],
)
def test_a_recall_typed_faster_than_the_limit_is_easy(response_ms, rating):
    assert rating_for(kind=Kind.RECALL, is_correct=True, response_ms=response_ms) == rating


@pytest.mark.parametrize("kind", CHOICE_KINDS)
@pytest.mark.parametrize("response_ms", [0, 500, FAST_RECALL_MS - 1])
def test_a_fast_right_choice_is_only_good(kind, response_ms):
    # Picking among 4 fast can be a lucky guess; only typing the name fast shows easy recall.
    assert rating_for(kind=kind, is_correct=True, response_ms=response_ms) == Rating.Good


# --- mastery --------------------------------------------------------------------------------


def test_no_card_is_not_started():
    assert mastery_of(None) == Mastery.NOT_STARTED
    assert Mastery.NOT_STARTED.label == "Not started"


@pytest.mark.parametrize("state", [State.Learning, State.Relearning])
@pytest.mark.parametrize("stability", [None, 0.2, 2.3, 15.0, 400.0])
def test_a_card_still_learning_or_relearning_is_attempted(state, stability):
    card = Card(card_id=0, state=state, step=0, stability=stability, difficulty=5.0, due=NOW)
    assert mastery_of(card) == Mastery.ATTEMPTED


@pytest.mark.parametrize(
    ("stability", "level"),
    [
        (None, Mastery.ATTEMPTED),
        (0.5, Mastery.ATTEMPTED),
        (0.999, Mastery.ATTEMPTED),
        (1.0, Mastery.FAMILIAR),  # would still know it in a day
        (3.0, Mastery.FAMILIAR),
        (6.999, Mastery.FAMILIAR),
        (7.0, Mastery.PROFICIENT),  # in a week
        (20.0, Mastery.PROFICIENT),
        (29.999, Mastery.PROFICIENT),
        (30.0, Mastery.MASTERED),  # in a month
        (365.0, Mastery.MASTERED),
    ],
)
def test_a_card_in_review_is_as_mastered_as_it_is_stable(stability, level):
    card = Card(card_id=0, state=State.Review, stability=stability, difficulty=5.0, due=NOW)
    assert mastery_of(card) == level


def test_mastery_labels_read_as_words():
    assert [level.label for level in Mastery] == [
        "Not started",
        "Attempted",
        "Familiar",
        "Proficient",
        "Mastered",
    ]


# --- free practice weights ------------------------------------------------------------------


def test_modules_seen_recently_come_up_less_than_the_same_level_seen_long_ago():
    cards = {
        "recent": review_card(0.5, last_review=NOW - timedelta(hours=1)),
        "long_ago": review_card(0.5, last_review=NOW - timedelta(days=3)),
    }
    weights = practice_weights(cards, NOW)
    assert weights["recent"] < weights["long_ago"]
    assert weights["long_ago"] == 1.0


def test_recent_means_within_the_recent_window():
    cards = {
        "just_inside": review_card(0.5, last_review=NOW - RECENT + timedelta(seconds=1)),
        "just_outside": review_card(0.5, last_review=NOW - RECENT),
    }
    weights = practice_weights(cards, NOW)
    assert weights["just_inside"] < weights["just_outside"]


def test_better_known_modules_come_up_less():
    long_ago = NOW - timedelta(days=60)
    cards = {
        "attempted": Card(card_id=0, state=State.Learning, step=0, stability=0.5, due=NOW),
        "familiar": review_card(2.0, last_review=long_ago),
        "proficient": review_card(10.0, last_review=long_ago),
        "mastered": review_card(100.0, last_review=long_ago),
    }
    weights = practice_weights(cards, NOW)
    assert weights["attempted"] > weights["familiar"] > weights["proficient"] > weights["mastered"]
    assert all(weight > 0 for weight in weights.values())


def test_a_recent_module_is_never_weighted_above_its_mastery():
    cards = {"mastered_and_recent": review_card(100.0, last_review=NOW - timedelta(hours=1))}
    mastered_alone = practice_weights({"m": review_card(100.0, last_review=NOW - RECENT * 3)}, NOW)
    assert practice_weights(cards, NOW)["mastered_and_recent"] <= mastered_alone["m"]


def test_practice_weights_cover_exactly_the_cards_given():
    assert practice_weights({}, NOW) == {}
    cards = {"os": review_card(3.0, last_review=NOW - timedelta(days=2))}
    assert set(practice_weights(cards, NOW)) == {"os"}


# --- due for review -------------------------------------------------------------------------


def due_card(due: datetime) -> Card:
    return Card(card_id=0, state=State.Review, stability=3.0, difficulty=5.0, due=due)


def test_due_for_review_lists_due_modules_most_overdue_first():
    cards = {
        "json": due_card(NOW - timedelta(hours=1)),
        "os": due_card(NOW - timedelta(days=3)),
        "re": due_card(NOW + timedelta(minutes=1)),  # not yet
        "sys": due_card(NOW - timedelta(days=1)),
        "time": due_card(NOW),  # due exactly now
        "uuid": due_card(NOW + timedelta(days=5)),  # not yet
    }
    due = due_for_review(cards, NOW)
    assert [d.module for d in due] == ["os", "sys", "json", "time"]
    assert [d.due for d in due] == sorted(d.due for d in due)


def test_modules_due_at_the_same_moment_come_in_name_order():
    same = NOW - timedelta(days=1)
    cards = {"zlib": due_card(same), "abc": due_card(same), "math": due_card(same)}
    assert [d.module for d in due_for_review(cards, NOW)] == ["abc", "math", "zlib"]


def test_nothing_due_is_an_empty_list():
    assert due_for_review({"os": due_card(NOW + timedelta(seconds=1))}, NOW) == []
    assert due_for_review({}, NOW) == []


# --- weakest --------------------------------------------------------------------------------


def test_weakest_is_lowest_mastery_first_then_the_shortest_memory():
    cards = {
        "mastered": review_card(50.0, last_review=NOW - timedelta(days=1)),
        "familiar": review_card(2.0, last_review=NOW - timedelta(days=10)),
        "shakier": review_card(1.5, last_review=NOW - timedelta(days=1)),
        "proficient": review_card(10.0, last_review=NOW - timedelta(days=10)),
        "learning": Card(card_id=0, state=State.Learning, stability=3.0, due=NOW),
    }
    assert weakest(cards, limit=10) == ["learning", "shakier", "familiar", "proficient", "mastered"]
    # The same rule as mastery: nothing of a higher level before one of a lower level.
    levels = [mastery_of(cards[name]) for name in weakest(cards, limit=10)]
    assert levels == sorted(levels)


def test_weakest_stops_at_the_limit():
    cards = {
        f"m{i}": review_card(float(i + 1), last_review=NOW - timedelta(days=20)) for i in range(8)
    }
    assert weakest(cards, limit=3) == ["m0", "m1", "m2"]


def test_a_module_missed_minutes_ago_is_weaker_than_one_answered_right_with_it():
    wrong, _log = FSRS.review_card(Card(card_id=0), Rating.Again, NOW)
    right, _log = FSRS.review_card(Card(card_id=0), Rating.Good, NOW)
    # Named to sort last: only its shorter memory puts it first.
    assert weakest({"aaa": right, "zzz": wrong}, limit=2) == ["zzz", "aaa"]


def test_a_module_answered_wrong_after_weeks_of_knowing_it_drops_to_the_weakest():
    known = review_card(40.0, last_review=NOW - timedelta(days=30))
    lapsed, _log = FSRS.review_card(known, Rating.Again, NOW)
    steady = review_card(3.0, last_review=NOW - timedelta(days=1))
    assert mastery_of(lapsed) < mastery_of(steady)
    assert weakest({"lapsed": lapsed, "steady": steady}, limit=1) == ["lapsed"]


def test_a_never_reviewed_card_is_the_weakest():
    cards = {
        "new": Card(card_id=0, state=State.Learning, due=NOW),
        "known": review_card(5.0, last_review=NOW - timedelta(days=1)),
    }
    assert weakest(cards, limit=5) == ["new", "known"]


def test_recall_probability_counts_fractions_of_a_day():
    wrong, _log = FSRS.review_card(Card(card_id=0), Rating.Again, NOW)
    right, _log = FSRS.review_card(Card(card_id=0), Rating.Good, NOW)
    later = NOW + timedelta(minutes=5)
    assert 0 < recall_probability(wrong, later) < recall_probability(right, later) < 1
    assert recall_probability(Card(card_id=0), later) == 0.0  # never reviewed
