"""The student dashboard: its queries in one place (a fixed number, whatever the history), and
a read-model built from plain data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from fsrs import Card as FsrsCard

from accounts.models import DEFAULT_DAILY_GOAL
from catalogue.snapshot import Catalogue, get_catalogue

from .memory import (
    MASTERY_EXPLANATION,
    WEAKEST_EXPLANATION,
    Mastery,
    mastery_of,
    next_due,
    weakest,
)
from .models import Attempt, DayTally
from .progress import (
    DayAccuracy,
    Run,
    accuracy_by_day,
    ago_words,
    local_day,
    longest_run,
    moment_words,
    next_midnight,
    streak,
)
from .services.cards import REVIEW_SIZE, learner_cards

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
    mastery: Mastery
    back: str  # when it comes back for review: "due now", "back today 15:40"


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
    longest: Run | None  # the longest streak ever
    longest_ended: str  # when it ended: "today", "yesterday", "3 days ago"
    practised_today: bool
    today_answered: int
    daily_goal: int
    best_day: int  # the most answers in one day before today
    accuracy: tuple[DayAccuracy, ...]
    chart: tuple[ChartBar, ...]
    weakest: tuple[WeakModule, ...]
    total_answers: int
    total_right: int
    attempts: Sequence[Attempt]
    changes_at: datetime  # when the page would read differently with no answer: see config.kept
    review_size: int = REVIEW_SIZE
    attempts_shown: int = ATTEMPTS_SHOWN
    mastery_explanation: str = MASTERY_EXPLANATION
    weakest_explanation: str = WEAKEST_EXPLANATION

    @property
    def is_new(self) -> bool:
        return self.total_answers == 0 and not self.attempts

    @property
    def goal_reached(self) -> bool:
        return self.today_answered >= self.daily_goal

    @property
    def goal_percent(self) -> int:
        return min(100, round(100 * self.today_answered / self.daily_goal))

    @property
    def review_capped(self) -> bool:
        """More due than one review takes: the page says so, and offers the rest after."""
        return self.due_now > self.review_size

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
    days: Mapping[date, tuple[int, int]],
    attempts: Sequence[Attempt],
    catalogue: Catalogue,
    daily_goal: int,
    now: datetime,
    zone: ZoneInfo,
) -> Dashboard:
    """Everything the dashboard shows, from the learner's cards and their (right, answered)
    answers on each local day they practised."""
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
    accuracy = accuracy_by_day(days, today, CHART_DAYS)
    practised = {day for day, (_right, answered) in days.items() if answered}
    longest = longest_run(practised)
    return Dashboard(
        categories=tuple(categories),
        due_now=sum(1 for card in cards.values() if card.due <= now),
        upcoming=tuple(
            UpcomingDay(day, upcoming_counts[day])
            for day in (today + timedelta(days=n) for n in range(UPCOMING_DAYS + 1))
        ),
        next_due=next_due(cards.values()),
        streak=streak(practised, today),
        longest=longest,
        longest_ended=ago_words(longest.ended, today) if longest else "",
        practised_today=today in practised,
        today_answered=days.get(today, (0, 0))[1],
        daily_goal=daily_goal,
        best_day=max((answered for day, (_r, answered) in days.items() if day != today), default=0),
        accuracy=tuple(accuracy),
        chart=tuple(chart_bars(accuracy)),
        weakest=tuple(
            WeakModule(name, levels[name], when_back(cards[name].due, now, zone))
            for name in weakest(cards, WEAKEST_SHOWN)
        ),
        total_answers=sum(answered for _right, answered in days.values()),
        total_right=sum(right for right, _answered in days.values()),
        attempts=attempts,
        # A review falling due, or the next day beginning (streak, today's goal, the chart).
        changes_at=min(
            [next_midnight(now, zone), *(card.due for card in cards.values() if card.due > now)]
        ),
    )


def when_back(due: datetime, now: datetime, zone: ZoneInfo) -> str:
    """When a module comes back for review, as people say it."""
    return "due now" if due <= now else f"back {moment_words(due, now, zone)}"


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


def learner_days(user: User) -> dict[date, tuple[int, int]]:
    """(right, answered) on each local day the learner practised: a row a day, kept current
    as answers are written (DayTally), so the cost follows the days, not the answers."""
    rows = DayTally.objects.filter(learner=user).values_list("day", "right", "answered")
    return {day: (right, answered) for day, right, answered in rows}


def learner_dashboard(
    user: User,
    zone: ZoneInfo,
    now: datetime,
    daily_goal: int = DEFAULT_DAILY_GOAL,
    catalogue: Catalogue | None = None,
) -> Dashboard:
    """The dashboard's queries, all here: cards, the learner's days, recent attempts."""
    recent = Attempt.objects.for_learner(user, None).order_by("-started_at")[:ATTEMPTS_SHOWN]
    return build_dashboard(
        cards=learner_cards(user),
        days=learner_days(user),
        attempts=list(recent),
        catalogue=catalogue or get_catalogue(),
        daily_goal=daily_goal,
        now=now,
        zone=zone,
    )


@dataclass(frozen=True)
class GoalMoment:
    """Where a quiz just finished leaves the learner's day."""

    answered_today: int
    goal: int
    reached_now: bool  # this quiz took the day to the goal
    personal_best: bool  # the day now beats every earlier one (there were earlier ones)

    @property
    def goal_reached(self) -> bool:
        return self.answered_today >= self.goal


def goal_moment(
    days: Mapping[date, tuple[int, int]], today: date, goal: int, quiz_answers: int
) -> GoalMoment:
    """From the learner's days (today's count includes the quiz's `quiz_answers`)."""
    answered = days.get(today, (0, 0))[1]
    before = answered - quiz_answers
    best_before = max((n for day, (_right, n) in days.items() if day != today), default=0)
    return GoalMoment(
        answered_today=answered,
        goal=goal,
        reached_now=before < goal <= answered,
        personal_best=0 < best_before < answered and before <= best_before,
    )


def after_quiz(
    user: User, attempt: Attempt, zone: ZoneInfo, now: datetime, goal: int
) -> GoalMoment | None:
    """The goal and personal best, for a quiz finished today (one query); None for older ones."""
    if attempt.finished_at is None or local_day(attempt.finished_at, zone) != local_day(now, zone):
        return None
    return goal_moment(learner_days(user), local_day(now, zone), goal, attempt.answered_count)
