"""The memory model, as plain data: how an answer rates, how FSRS schedules the card, and the
mastery levels people see. No database here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum

from fsrs import Card, Rating, Scheduler, State

from .questions import Kind

# An answer slower than this was hard-won: rated Hard, not Good.
SLOW_ANSWER_MS = 20_000
# A recall question typed faster than this was easy: rated Easy.
FAST_RECALL_MS = 8_000

# Fuzzing spreads due dates at random; off, so that the same answers always give the same
# schedule (replayable, testable, and the demo data reads the same on every machine).
SCHEDULER = Scheduler(enable_fuzzing=False)


def rating_for(*, kind: Kind, is_correct: bool, response_ms: int | None) -> Rating:
    """Wrong: Again. Right: Good, Hard when slow, Easy when a recall was typed fast."""
    if not is_correct:
        return Rating.Again
    if response_ms is not None and response_ms > SLOW_ANSWER_MS:
        return Rating.Hard
    if kind == Kind.RECALL and response_ms is not None and response_ms < FAST_RECALL_MS:
        return Rating.Easy
    return Rating.Good


def new_card() -> Card:
    # card_id given: fsrs would otherwise make one from the clock, sleeping a millisecond.
    return Card(card_id=0)


# What a card row holds before its first review.
NEW_CARD = new_card()


def review(card: Card | None, rating: Rating, when: datetime) -> Card:
    """The card after one more answer, as FSRS schedules it."""
    # fsrs accepts only datetime.timezone.utc, not the same instant in another zone.
    reviewed, _log = SCHEDULER.review_card(card or new_card(), rating, when.astimezone(UTC))
    return reviewed


@dataclass(frozen=True)
class Replayed:
    card: Card
    reviews: int
    lapses: int


def replay(answers: Iterable[tuple[Rating, datetime]]) -> Replayed | None:
    """A card scheduled afresh from a learner's rated answers about its module, given oldest
    first, as answering them one by one in that order schedules it; None without answers."""
    card = None
    reviews = lapses = 0
    for rating, when in answers:
        card = review(card, rating, when)
        reviews += 1
        lapses += int(rating == Rating.Again)
    return None if card is None else Replayed(card=card, reviews=reviews, lapses=lapses)


# FSRS's forgetting curve, R = (1 + FACTOR * t / S) ** DECAY, with the scheduler's parameters.
DECAY = -SCHEDULER.parameters[20]
FACTOR = 0.9 ** (1 / DECAY) - 1


def recall_probability(card: Card, now: datetime) -> float:
    """FSRS's estimate that the learner remembers the module right now (0 to 1).

    fsrs's own get_card_retrievability counts whole days since the last review, so every card
    seen today would be "certain", even one just answered wrong: this counts fractions of a day.
    """
    if card.last_review is None or not card.stability:
        return 0.0
    elapsed_days = max(0.0, (now - card.last_review).total_seconds() / 86_400)
    return float((1 + FACTOR * elapsed_days / card.stability) ** DECAY)


class Mastery(IntEnum):
    NOT_STARTED = 0
    ATTEMPTED = 1
    FAMILIAR = 2
    PROFICIENT = 3
    MASTERED = 4

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


# Stability is FSRS's number of days until the chance of remembering falls to 90%.
FAMILIAR_DAYS = 1.0
PROFICIENT_DAYS = 7.0
MASTERED_DAYS = 30.0

MASTERY_EXPLANATION = (
    "Mastery follows how long you are likely to remember a module: Attempted once you have "
    f"answered it, Familiar when you'd still know it in a day, Proficient in a week "
    f"({PROFICIENT_DAYS:g} days), Mastered in a month ({MASTERED_DAYS:g} days) or more."
)


def mastery_of(card: Card | None) -> Mastery:
    if card is None:
        return Mastery.NOT_STARTED
    return mastery_level(card.state, card.stability)


def mastery_level(state: int, stability: float | None) -> Mastery:
    """The level of a card in this FSRS state with this stability (in days)."""
    stability = stability or 0.0
    if state != State.Review or stability < FAMILIAR_DAYS:
        return Mastery.ATTEMPTED
    if stability < PROFICIENT_DAYS:
        return Mastery.FAMILIAR
    if stability < MASTERED_DAYS:
        return Mastery.PROFICIENT
    return Mastery.MASTERED


# In free practice, what was just seen or is well known comes up less often.
RECENT = timedelta(hours=12)
WEIGHT_RECENT = 0.2
WEIGHT_BY_MASTERY = {
    Mastery.NOT_STARTED: 1.0,
    Mastery.ATTEMPTED: 1.0,
    Mastery.FAMILIAR: 0.7,
    Mastery.PROFICIENT: 0.4,
    Mastery.MASTERED: 0.25,
}


def practice_weights(cards: Mapping[str, Card], now: datetime) -> dict[str, float]:
    """Module -> weight for generation: lower for recently seen and well-known modules."""
    weights = {}
    for name, card in cards.items():
        weight = WEIGHT_BY_MASTERY[mastery_of(card)]
        if card.last_review is not None and now - card.last_review < RECENT:
            weight = min(weight, WEIGHT_RECENT)
        weights[name] = weight
    return weights


@dataclass(frozen=True)
class DueModule:
    module: str
    due: datetime


def due_for_review(cards: Mapping[str, Card], now: datetime) -> list[DueModule]:
    """Modules due now, most overdue first."""
    due = [DueModule(name, card.due) for name, card in cards.items() if card.due <= now]
    return sorted(due, key=lambda d: (d.due, d.module))


WEAKEST_EXPLANATION = (
    "Your weakest modules are the ones you would forget soonest: the lowest mastery first, and "
    "within a level the shortest memory, the same measure that sets mastery."
)


def weakest(cards: Mapping[str, Card], limit: int) -> list[str]:
    """The modules the learner would forget soonest: by mastery level, then stability (the
    days FSRS expects the memory to last), then name. One rule with the mastery levels, so a
    module just answered wrong, whose stability has fallen, comes first."""
    ranked = sorted(
        cards.items(), key=lambda item: (mastery_of(item[1]), item[1].stability or 0.0, item[0])
    )
    return [name for name, _card in ranked[:limit]]


def next_due(cards: Iterable[Card]) -> datetime | None:
    return min((card.due for card in cards), default=None)
