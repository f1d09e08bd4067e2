"""Where a student stands with a drill, and how its dates read: plain data in, plain data out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import TextChoices

from quizzes.progress import moment_words


class DrillStatus(TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    PASSED = "passed", "Passed"
    DONE = "done", "Done"
    LATE = "late", "Late"
    MISSED = "missed", "Missed"


@dataclass(frozen=True)
class DrillAttemptFacts:
    """One of a student's attempts at a drill, as the status needs it."""

    started_at: datetime
    finished_at: datetime | None
    right: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0

    @property
    def seconds(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.started_at).total_seconds())


@dataclass(frozen=True)
class StudentDrill:
    status: DrillStatus
    best: DrillAttemptFacts | None  # the attempt that counts: the best finished one
    attempts: int

    @property
    def percent(self) -> int | None:
        return self.best.percent if self.best else None

    @property
    def is_late(self) -> bool:
        return self.status is DrillStatus.LATE

    @property
    def is_finished(self) -> bool:
        return self.best is not None


def drill_status(
    attempts: Iterable[DrillAttemptFacts],
    *,
    due_at: datetime,
    pass_mark: int | None,
    now: datetime,
) -> StudentDrill:
    """The status of a student's drill: the best attempt finished on time counts; without one,
    the best finished late; without any finished, whether time is still left."""
    mine = list(attempts)
    finished = [a for a in mine if a.finished_at is not None]
    on_time = [a for a in finished if a.finished_at is not None and a.finished_at <= due_at]
    best = _best(on_time) or _best(finished)
    if on_time:
        assert best is not None
        passed = pass_mark is not None and best.percent >= pass_mark
        status = DrillStatus.PASSED if passed else DrillStatus.DONE
    elif finished:
        status = DrillStatus.LATE
    elif now > due_at:
        status = DrillStatus.MISSED
    elif mine:
        status = DrillStatus.IN_PROGRESS
    else:
        status = DrillStatus.NOT_STARTED
    return StudentDrill(status=status, best=best, attempts=len(mine))


def _best(attempts: Sequence[DrillAttemptFacts]) -> DrillAttemptFacts | None:
    # The highest score; between equals the quickest, then the earliest.
    return min(
        attempts,
        key=lambda a: (-a.percent, a.seconds or 0, a.started_at),
        default=None,
    )


def class_average(results: Iterable[StudentDrill]) -> int | None:
    """The class's average best score over the students who have finished."""
    scores = [r.percent for r in results if r.percent is not None]
    return round(sum(scores) / len(scores)) if scores else None


def due_label(due_at: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A due date as people say it, in their own time zone: "due today 17:00", "due tomorrow
    09:00", "due Friday 17:00" within the week, "due 12 Dec 17:00" beyond; "was due ..." after."""
    when = moment_words(due_at, now, zone)
    return f"due {when}" if due_at >= now else f"was due {when}"
