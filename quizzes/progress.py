"""Practice over time, as plain data: streaks and accuracy by day, in the learner's time zone."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_day(moment: datetime, time_zone: ZoneInfo) -> date:
    return moment.astimezone(time_zone).date()


def next_midnight(now: datetime, time_zone: ZoneInfo) -> datetime:
    """When the learner's next day begins: "today" and streaks move on then."""
    tomorrow = local_day(now, time_zone) + timedelta(days=1)
    return datetime.combine(tomorrow, time(), time_zone)


def ago_changes(moment: datetime, now: datetime) -> datetime:
    """When "started 5 minutes ago" (Django's naturaltime) next reads differently: it counts
    seconds for a minute, minutes for an hour, then hours (or longer)."""
    age = now - moment
    if age < timedelta(0):
        return moment
    step = (
        timedelta(seconds=1)
        if age < timedelta(minutes=1)
        else timedelta(minutes=1)
        if age < timedelta(hours=1)
        else timedelta(hours=1)
    )
    return moment + (age // step + 1) * step


@dataclass(frozen=True)
class Run:
    """Days in a row with practice: how many, and the last of them."""

    days: int
    ended: date


def longest_run(practice_days: Collection[date]) -> Run | None:
    """The longest run of days in a row with practice (the latest of equal ones)."""
    best: Run | None = None
    for day in sorted(practice_days):
        if day - timedelta(days=1) in practice_days:
            continue  # not the first day of a run
        length = 1
        while day + timedelta(days=length) in practice_days:
            length += 1
        if best is None or length >= best.days:
            best = Run(length, day + timedelta(days=length - 1))
    return best


def streak(practice_days: Collection[date], today: date) -> int:
    """Days in a row with practice, ending today; a streak not yet extended today still
    counts until the day is over (practised yesterday and not yet today: still alive)."""
    day = today if today in practice_days else today - timedelta(days=1)
    count = 0
    while day in practice_days:
        count += 1
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class DayAccuracy:
    day: date
    right: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.right / self.total) if self.total else None


def accuracy_by_day(
    counts: Mapping[date, tuple[int, int]], today: date, days: int = 30
) -> list[DayAccuracy]:
    """The last `days` days, oldest first, with (right, total) answers on each."""
    first = today - timedelta(days=days - 1)
    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        right, total = counts.get(day, (0, 0))
        series.append(DayAccuracy(day, right, total))
    return series


def day_words(day: date, today: date) -> str:
    """A day as people say it: "today", "tomorrow", "yesterday", "Friday" within the coming
    week, "12 Dec" this year, "12 Dec 2027" beyond."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day == today - timedelta(days=1):
        return "yesterday"
    if today < day < today + timedelta(days=7):
        return f"{day:%A}"
    if day.year == today.year:
        return f"{day.day} {day:%b}"
    return f"{day.day} {day:%b %Y}"


def moment_words(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A moment as people say it, in their own time zone: "today 17:00", "tomorrow 09:00"."""
    local = moment.astimezone(zone)
    return f"{day_words(local.date(), local_day(now, zone))} {local:%H:%M}"


def ago_words(day: date, today: date) -> str:
    """How long ago a day was: "today", "yesterday", "3 days ago"."""
    days = (today - day).days
    if days <= 1:
        return "today" if days <= 0 else "yesterday"
    return f"{days} days ago"
