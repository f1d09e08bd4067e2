"""Item statistics for a class, as Moodle's quiz statistics report defines them, from plain
per-student counts: how many times an item was asked, its facility index (the share answered
right) and its discrimination index (how well it separates stronger from weaker students: the
correlation between students' scores on the item and on everything else they answered)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

FACILITY_EXPLANATION = (
    "Facility: the share of answers that were right. Low facility means the class finds the "
    "item hard."
)
DISCRIMINATION_EXPLANATION = (
    "Discrimination: how well the item separates stronger from weaker students, as the "
    "correlation between students' results on the item and on everything else they answered, "
    "from -100% to 100%. Above 30% is good; near zero or negative means the item does not tell "
    "who knows the material (it may be worded confusingly). It needs three students or more."
)
MIN_STUDENTS_FOR_DISCRIMINATION = 3


class Count(NamedTuple):
    """One student's answers to one item: how many, and how many right. (A tuple: a class's
    report makes tens of thousands.)"""

    student: int
    item: Hashable
    asked: int
    right: int


@dataclass(frozen=True)
class ItemStatistics:
    item: Hashable  # a module's name, or (module, clue)
    asked: int
    right: int
    students: int
    discrimination: float | None  # -1 to 1; None with too few students or no spread

    @property
    def facility(self) -> float:
        return self.right / self.asked if self.asked else 0.0

    @property
    def facility_percent(self) -> int:
        return round(100 * self.facility)

    @property
    def discrimination_percent(self) -> int | None:
        return None if self.discrimination is None else round(100 * self.discrimination)


def item_statistics(counts: Iterable[Count]) -> list[ItemStatistics]:
    """Every item's statistics, the hardest (lowest facility) first."""
    rows = list(counts)
    by_item: dict[Hashable, list[Count]] = defaultdict(list)
    totals: Counter[int] = Counter()
    rights: Counter[int] = Counter()
    for row in rows:
        by_item[row.item].append(row)
        totals[row.student] += row.asked
        rights[row.student] += row.right
    statistics = []
    for item, item_rows in by_item.items():
        asked = sum(row.asked for row in item_rows)
        right = sum(row.right for row in item_rows)
        statistics.append(
            ItemStatistics(
                item=item,
                asked=asked,
                right=right,
                students=len(item_rows),
                discrimination=_discrimination(item_rows, totals, rights),
            )
        )
    return sorted(statistics, key=lambda s: (s.facility, -s.asked, str(s.item)))


def _discrimination(
    item_rows: Sequence[Count], totals: Mapping[int, int], rights: Mapping[int, int]
) -> float | None:
    """Pearson's correlation, across the students who answered the item, between their share
    right on the item and their share right on the rest (the item's own answers left out, so
    that it is not correlated with itself)."""
    xs, ys = [], []
    for student, _item, asked, right in item_rows:
        rest = totals[student] - asked
        if rest <= 0 or asked == 0:
            continue
        xs.append(right / asked)
        ys.append((rights[student] - right) / rest)
    if len(xs) < MIN_STUDENTS_FOR_DISCRIMINATION:
        return None
    return _pearson(xs, ys)


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    mean_x, mean_y = math.fsum(xs) / n, math.fsum(ys) / n
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    spread = math.sqrt(math.fsum(d * d for d in dx) * math.fsum(d * d for d in dy))
    if spread < 1e-12:
        return None  # everyone scored alike: nothing to separate
    return math.fsum(a * b for a, b in zip(dx, dy, strict=True)) / spread


@dataclass(frozen=True)
class Confusion:
    asked: str
    chosen: str
    times: int


def confusions(rows: Iterable[tuple[str, str, int]], limit: int) -> list[Confusion]:
    """The most frequent mix-ups over the class: (asked, chosen) pairs summed over students."""
    total: Counter[tuple[str, str]] = Counter()
    for asked, chosen, times in rows:
        if asked != chosen:
            total[(asked, chosen)] += times
    ranked = sorted(total.items(), key=lambda pair: (-pair[1], pair[0]))
    return [Confusion(asked, chosen, times) for (asked, chosen), times in ranked[:limit]]
