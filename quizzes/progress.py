"""Practice over time, as plain data: streaks and accuracy by day, in the learner's time zone."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def local_day(moment: datetime, time_zone: ZoneInfo) -> date:
    return moment.astimezone(time_zone).date()


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
