"""The student dashboard: its queries in one place (a fixed number, whatever the history), and
a read-model built from plain data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from fsrs import Card as FsrsCard

from catalogue.snapshot import Catalogue, get_catalogue

from .memory import MASTERY_EXPLANATION, Mastery, mastery_of, next_due, recall_probability
from .models import Answer, Attempt
from .progress import DayAccuracy, accuracy_by_day, local_day, streak
from .services.cards import learner_cards

HISTORY_DAYS = 400  # how far back a long streak is counted
CHART_DAYS = 30
UPCOMING_DAYS = 7
WEAKEST_SHOWN = 5
ATTEMPTS_SHOWN = 20


@dataclass(frozen=True)
class CategoryMastery:
    slug: str
    name: str
    counts: tuple[tuple[Mastery, int], ...]  # every level, Not started included
    total: int

    @property
    def practised(self) -> int:
        return self.total - dict(self.counts)[Mastery.NOT_STARTED]

    def share(self, level: Mastery) -> float:
        return 100 * dict(self.counts)[level] / self.total if self.total else 0.0


@dataclass(frozen=True)
class WeakModule:
    name: str
    chance: int  # percent
    mastery: Mastery


@dataclass(frozen=True)
class UpcomingDay:
    day: date
    count: int


@dataclass(frozen=True)
class ChartBar:
    day: date
    percent: int | None
    right: int
    total: int
    x: int
    height: int

    @property
    def y(self) -> int:
        return CHART_HEIGHT - self.height


@dataclass(frozen=True)
class Dashboard:
    categories: tuple[CategoryMastery, ...]
    due_now: int
    upcoming: tuple[UpcomingDay, ...]
    next_due: datetime | None
    streak: int
    practised_today: bool
    accuracy: tuple[DayAccuracy, ...]
    chart: tuple[ChartBar, ...]
    weakest: tuple[WeakModule, ...]
    total_answers: int
    total_right: int
    attempts: Sequence[Attempt]
    mastery_explanation: str = MASTERY_EXPLANATION

    @property
    def is_new(self) -> bool:
        return self.total_answers == 0 and not self.attempts

    @property
    def overall_percent(self) -> int | None:
        return round(100 * self.total_right / self.total_answers) if self.total_answers else None

    @property
    def levels(self) -> tuple[Mastery, ...]:
        return tuple(Mastery)


CHART_BAR_WIDTH = 10
CHART_GAP = 4
CHART_HEIGHT = 100


def build_dashboard(
    *,
    cards: Mapping[str, FsrsCard],
    day_counts: Mapping[date, tuple[int, int]],
    practice_days: Collection[date],
    totals: tuple[int, int],
    attempts: Sequence[Attempt],
    catalogue: Catalogue,
    now: datetime,
    zone: ZoneInfo,
) -> Dashboard:
    """Everything the dashboard shows, from the learner's cards, (right, total) answers per
    local day, the days practised and all-time (right, total) answers."""
    today = local_day(now, zone)
    levels = {name: mastery_of(card) for name, card in cards.items()}
    categories = []
    for slug, category in catalogue.categories.items():
        members = [m.name for m in catalogue.modules.values() if slug in m.categories]
        tally = Counter(levels.get(name, Mastery.NOT_STARTED) for name in members)
        categories.append(
            CategoryMastery(
                slug=slug,
                name=category.name,
                counts=tuple((level, tally[level]) for level in Mastery),
                total=len(members),
            )
        )
    upcoming_counts = Counter(
        local_day(card.due, zone)
        for card in cards.values()
        if now < card.due and local_day(card.due, zone) <= today + timedelta(days=UPCOMING_DAYS)
    )
    accuracy = accuracy_by_day(day_counts, today, CHART_DAYS)
    weakest = sorted(
        ((name, recall_probability(card, now)) for name, card in cards.items()),
        key=lambda pair: (pair[1], pair[0]),
    )[:WEAKEST_SHOWN]
    return Dashboard(
        categories=tuple(categories),
        due_now=sum(1 for card in cards.values() if card.due <= now),
        upcoming=tuple(
            UpcomingDay(day, upcoming_counts[day])
            for day in (today + timedelta(days=n) for n in range(UPCOMING_DAYS + 1))
        ),
        next_due=next_due(cards.values()),
        streak=streak(set(practice_days), today),
        practised_today=today in day_counts,
        accuracy=tuple(accuracy),
        chart=tuple(chart_bars(accuracy)),
        weakest=tuple(
            # Never shown as certain: "100% likely remembered" reads wrong under "weakest".
            WeakModule(name, min(99, round(100 * chance)), levels[name])
            for name, chance in weakest
        ),
        total_answers=totals[1],
        total_right=totals[0],
        attempts=attempts,
    )


def chart_bars(series: Iterable[DayAccuracy]) -> list[ChartBar]:
    """One bar a day for the server-rendered SVG; days without practice have no bar."""
    bars = []
    for i, day in enumerate(series):
        percent = day.percent
        bars.append(
            ChartBar(
                day=day.day,
                percent=percent,
                right=day.right,
                total=day.total,
                x=i * (CHART_BAR_WIDTH + CHART_GAP),
                height=round(CHART_HEIGHT * percent / 100) if percent is not None else 0,
            )
        )
    return bars


def answers_per_day(user: User, zone: ZoneInfo, since: datetime) -> dict[date, tuple[int, int]]:
    """(right, total) answers on each of the learner's local days since `since`."""
    rows = (
        Answer.objects.filter(question__attempt__learner=user, answered_at__gte=since)
        .annotate(day=TruncDate("answered_at", tzinfo=zone))
        .values("day")
        .annotate(total=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        .order_by("day")
    )
    return {row["day"]: (row["right"], row["total"]) for row in rows}


def learner_dashboard(user: User, zone: ZoneInfo, now: datetime) -> Dashboard:
    """The dashboard's queries, all here: cards, answers per local day of the chart's days,
    totals from the attempts, recent attempts. Only a streak as long as the chart looks
    further back, with one more query over attempts: the page reads a month of answers."""
    cards = learner_cards(user)
    day_counts = answers_per_day(user, zone, now - timedelta(days=CHART_DAYS + 1))
    mine = Attempt.objects.for_learner(user, None)
    practice_days = set(day_counts)
    if streak(practice_days, local_day(now, zone)) >= CHART_DAYS:
        # A streak longer than the chart: count it on the days quizzes were started, one row
        # per quiz rather than per answer.
        practice_days |= set(
            mine.filter(answered_count__gt=0, started_at__gte=now - timedelta(days=HISTORY_DAYS))
            .annotate(day=TruncDate("started_at", tzinfo=zone))
            .values_list("day", flat=True)
            .distinct()
        )
    totals = mine.aggregate(answers=Sum("answered_count"), right=Sum("correct_count"))
    attempts = list(mine.order_by("-started_at")[:ATTEMPTS_SHOWN])
    return build_dashboard(
        cards=cards,
        day_counts=day_counts,
        practice_days=practice_days,
        totals=(totals["right"] or 0, totals["answers"] or 0),
        attempts=attempts,
        catalogue=get_catalogue(),
        now=now,
        zone=zone,
    )
