"""Drill statuses, due dates as people say them, item statistics and safe CSV cells: plain
data in, plain data out, no database."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from classrooms.exports import safe_cell
from classrooms.progress import (
    DrillAttemptFacts,
    DrillStatus,
    class_average,
    drill_status,
    due_label,
)
from classrooms.statistics import Count, confusions, item_statistics

DUE = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # a Friday
BEFORE = DUE - timedelta(days=1)
AFTER = DUE + timedelta(days=1)


def attempt(right: int, total: int = 10, *, finished: datetime | None, minutes: int = 5):
    started = (finished or BEFORE) - timedelta(minutes=minutes)
    return DrillAttemptFacts(started, finished, right, total)


@pytest.mark.parametrize(
    ("attempts", "pass_mark", "now", "status", "percent"),
    [
        ([], None, BEFORE, DrillStatus.NOT_STARTED, None),
        ([attempt(3, finished=None)], None, BEFORE, DrillStatus.IN_PROGRESS, None),
        ([attempt(7, finished=BEFORE)], None, BEFORE, DrillStatus.DONE, 70),
        ([attempt(7, finished=BEFORE)], 60, AFTER, DrillStatus.PASSED, 70),
        ([attempt(5, finished=BEFORE)], 60, AFTER, DrillStatus.DONE, 50),
        # The best on-time attempt counts, not the last.
        (
            [attempt(8, finished=BEFORE), attempt(4, finished=DUE)],
            75,
            AFTER,
            DrillStatus.PASSED,
            80,
        ),
        # Finished only after the due date: late, with its score.
        ([attempt(9, finished=AFTER)], 60, AFTER, DrillStatus.LATE, 90),
        # A late better score does not replace an on-time one.
        (
            [attempt(5, finished=BEFORE), attempt(9, finished=AFTER)],
            None,
            AFTER,
            DrillStatus.DONE,
            50,
        ),
        ([], None, AFTER, DrillStatus.MISSED, None),
        ([attempt(3, finished=None)], None, AFTER, DrillStatus.MISSED, None),
    ],
)  # fmt: skip
def test_drill_status(attempts, pass_mark, now, status, percent):
    result = drill_status(attempts, due_at=DUE, pass_mark=pass_mark, now=now)
    assert result.status is status
    assert result.percent == percent
    assert result.attempts == len(attempts)


def test_between_equal_scores_the_quicker_attempt_counts():
    slow = attempt(8, finished=BEFORE, minutes=20)
    quick = attempt(8, finished=BEFORE - timedelta(hours=1), minutes=4)
    result = drill_status([slow, quick], due_at=DUE, pass_mark=None, now=BEFORE)
    assert result.best == quick
    assert result.best.seconds == 240


def test_class_average_counts_only_students_who_finished():
    results = [
        drill_status([attempt(6, finished=BEFORE)], due_at=DUE, pass_mark=None, now=AFTER),
        drill_status([attempt(9, finished=BEFORE)], due_at=DUE, pass_mark=None, now=AFTER),
        drill_status([], due_at=DUE, pass_mark=None, now=AFTER),
    ]
    assert class_average(results) == 75
    assert class_average([]) is None


LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("now", "zone", "label"),
    [
        (datetime(2026, 12, 4, 9, 0, tzinfo=UTC), LONDON, "due today 17:00"),
        (datetime(2026, 12, 3, 9, 0, tzinfo=UTC), LONDON, "due tomorrow 17:00"),
        (datetime(2026, 11, 30, 9, 0, tzinfo=UTC), LONDON, "due Friday 17:00"),
        (datetime(2026, 11, 20, 9, 0, tzinfo=UTC), LONDON, "due 4 Dec 17:00"),
        (datetime(2026, 12, 5, 9, 0, tzinfo=UTC), LONDON, "was due yesterday 17:00"),
        # In Tokyo the same moment is Saturday 02:00, the day after "today" there (Friday).
        (datetime(2026, 12, 4, 1, 0, tzinfo=UTC), TOKYO, "due tomorrow 02:00"),
        (datetime(2025, 12, 1, 9, 0, tzinfo=UTC), LONDON, "due 4 Dec 2026 17:00"),
    ],
)
def test_due_dates_read_as_people_say_them_in_their_own_time_zone(now, zone, label):
    assert due_label(DUE, now, zone) == label


def test_facility_and_discrimination():
    # Three students; "hard" is answered right by the strongest only, "easy" by all.
    counts = [
        Count(student=1, item="hard", asked=2, right=2),
        Count(student=1, item="easy", asked=2, right=2),
        Count(student=1, item="other", asked=4, right=4),
        Count(student=2, item="hard", asked=2, right=1),
        Count(student=2, item="easy", asked=2, right=2),
        Count(student=2, item="other", asked=4, right=2),
        Count(student=3, item="hard", asked=2, right=0),
        Count(student=3, item="easy", asked=2, right=2),
        Count(student=3, item="other", asked=4, right=1),
    ]
    statistics = {s.item: s for s in item_statistics(counts)}
    assert next(s.item for s in item_statistics(counts)) == "hard"  # the hardest first
    assert statistics["hard"].facility_percent == 50
    assert statistics["hard"].asked == 6
    assert statistics["hard"].students == 3
    # The stronger the student on the rest, the better on "hard": it discriminates.
    assert statistics["hard"].discrimination is not None
    assert statistics["hard"].discrimination > 0.9
    # Everyone got "easy" right: no spread, no discrimination to speak of.
    assert statistics["easy"].discrimination is None
    assert statistics["easy"].facility_percent == 100


def test_discrimination_needs_three_students():
    counts = [Count(1, "a", 1, 1), Count(1, "b", 1, 0), Count(2, "a", 1, 0), Count(2, "b", 1, 1)]
    assert all(s.discrimination is None for s in item_statistics(counts))


def test_confusions_are_summed_over_students_and_ranked():
    rows = [("shutil", "os", 3), ("shutil", "os", 4), ("json", "pickle", 5), ("re", "re", 9)]
    found = confusions(rows, limit=5)
    assert [(c.asked, c.chosen, c.times) for c in found] == [
        ("shutil", "os", 7),
        ("json", "pickle", 5),
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Ada", "Ada"),
        (42, 42),
        (-3, -3),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_plain_text(value, shown):
    assert safe_cell(value) == shown
