"""What teachers and students see of a class, as read-models. The queries of each page are here,
a fixed number of them whatever the class's size or history (the answers are read as per-learner
tallies, kept current as they are written); the shaping is plain Python."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import models
from django.db.models import F

from catalogue.snapshot import Catalogue, CategoryInfo, get_catalogue
from quizzes.memory import MASTERY_EXPLANATION, Mastery, mastery_level
from quizzes.models import Attempt, Card, ItemTally, ModuleTally

from .models import ClassConfusionTally, Classroom, Drill, Membership
from .progress import (
    DrillAttemptFacts,
    DrillStatus,
    StudentDrill,
    class_average,
    drill_status,
    due_label,
)
from .statistics import (
    DISCRIMINATION_EXPLANATION,
    FACILITY_EXPLANATION,
    Confusion,
    Count,
    ItemStatistics,
    confusions,
    item_statistics,
)

HARDEST_SHOWN = 10
CONFUSIONS_SHOWN = 10
HEATMAP_EXPLANATION = (
    "Each cell is the student's mastery of the category: the average level of its modules, from "
    "0 (not started) to 100 (all mastered), with the nearest level's name."
)


@dataclass(frozen=True)
class Student:
    id: int
    username: str
    name: str  # first name, or the username

    @classmethod
    def of(cls, user: User) -> Student:
        return cls(user.pk, user.username, user.first_name or user.username)


@dataclass(frozen=True)
class HeatCell:
    category: CategoryInfo
    score: int  # 0 to 100: the mean level of the category's modules, as a share of Mastered
    level: Mastery  # the nearest level to that mean
    practised: int
    total: int


@dataclass(frozen=True)
class HeatRow:
    student: Student
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True)
class DrillResult:
    student: Student
    result: StudentDrill


@dataclass(frozen=True)
class DrillSummary:
    drill: Drill
    results: tuple[DrillResult, ...]
    average: int | None
    status_counts: tuple[tuple[DrillStatus, int], ...]

    @property
    def finished(self) -> int:
        return sum(1 for r in self.results if r.result.is_finished)


@dataclass(frozen=True)
class ClassDashboard:
    classroom: Classroom
    students: tuple[Student, ...]
    categories: tuple[CategoryInfo, ...]
    heatmap: tuple[HeatRow, ...]
    drills: tuple[DrillSummary, ...]
    hardest: tuple[ItemStatistics, ...]  # modules, the hardest first
    confusions: tuple[Confusion, ...]
    heatmap_explanation: str = HEATMAP_EXPLANATION
    mastery_explanation: str = MASTERY_EXPLANATION
    facility_explanation: str = FACILITY_EXPLANATION
    discrimination_explanation: str = DISCRIMINATION_EXPLANATION
    levels: tuple[Mastery, ...] = field(default=tuple(Mastery))


# --- Shaping, from plain data ----------------------------------------------------------------


def category_mastery(
    levels: Mapping[str, Mastery], category: CategoryInfo, members: Sequence[str]
) -> HeatCell:
    values = [levels.get(name, Mastery.NOT_STARTED) for name in members]
    mean = sum(values) / len(values) if values else 0.0
    top = max(Mastery)
    return HeatCell(
        category=category,
        score=round(100 * mean / top),
        level=Mastery(round(mean)),
        practised=sum(1 for v in values if v is not Mastery.NOT_STARTED),
        total=len(values),
    )


def heatmap(
    students: Sequence[Student],
    levels: Mapping[int, Mapping[str, Mastery]],
    catalogue: Catalogue,
) -> list[HeatRow]:
    members = {
        slug: [m.name for m in catalogue.modules.values() if slug in m.categories]
        for slug in catalogue.categories
    }
    return [
        HeatRow(
            student=student,
            cells=tuple(
                category_mastery(levels.get(student.id, {}), category, members[slug])
                for slug, category in catalogue.categories.items()
            ),
        )
        for student in students
    ]


def drill_summary(
    drill: Drill,
    students: Sequence[Student],
    attempts: Mapping[int, Sequence[DrillAttemptFacts]],
    now: datetime,
) -> DrillSummary:
    results = tuple(
        DrillResult(
            student,
            drill_status(
                attempts.get(student.id, ()),
                due_at=drill.due_at,
                pass_mark=drill.pass_mark,
                now=now,
            ),
        )
        for student in students
    )
    tally = Counter(r.result.status for r in results)
    return DrillSummary(
        drill=drill,
        results=results,
        average=class_average(r.result for r in results),
        status_counts=tuple((status, tally[status]) for status in DrillStatus if tally[status]),
    )


# --- Queries ---------------------------------------------------------------------------------


def class_students(classroom: Classroom) -> list[Student]:
    users = User.objects.filter(memberships__classroom=classroom).order_by("first_name", "username")
    return [Student.of(user) for user in users]


def mastery_levels(student_ids: Iterable[int]) -> dict[int, dict[str, Mastery]]:
    """Each student's level per module, from their cards (one query)."""
    levels: dict[int, dict[str, Mastery]] = defaultdict(dict)
    rows = Card.objects.filter(learner_id__in=list(student_ids)).values_list(
        "learner_id", "module__name", "state", "stability"
    )
    for learner, module, state, stability in rows:
        levels[learner][module] = mastery_level(state, stability)
    return levels


def drill_attempts(drills: Iterable[Drill]) -> dict[int, dict[int, list[DrillAttemptFacts]]]:
    """drill -> student -> their attempts at it (one query)."""
    found: dict[int, dict[int, list[DrillAttemptFacts]]] = defaultdict(lambda: defaultdict(list))
    rows = Attempt.objects.filter(drill__in=list(drills), learner__isnull=False).values_list(
        "drill_id", "learner_id", "started_at", "finished_at", "correct_count", "question_count"
    )
    for drill_id, learner, started, finished, right, total in rows:
        found[drill_id][learner].append(DrillAttemptFacts(started, finished, right, total))
    return found


def module_counts(student_ids: Iterable[int]) -> list[Count]:
    """Per student and module: answers and right ones, from the tallies (one query, a row per
    student and module they were asked about)."""
    rows = ModuleTally.objects.filter(learner_id__in=list(student_ids)).values_list(
        "learner_id", "module__name", "asked", "right"
    )
    return [Count(learner, module, asked, right) for learner, module, asked, right in rows]


def clue_counts(student_ids: Iterable[int]) -> list[tuple[Count, tuple[str, str]]]:
    """Per student and item (module, clue): answers and right ones, with the item (one query)."""
    rows = ItemTally.objects.filter(learner_id__in=list(student_ids)).values_list(
        "learner_id", "module__name", "clue", "asked", "right"
    )
    return [
        (Count(learner, (module, clue), asked, right), (module, clue))
        for learner, module, clue, asked, right in rows
    ]


def confusion_rows(classroom: Classroom, limit: int) -> list[tuple[str, str, int]]:
    """The class's most frequent (asked, answered) pairs, from its own tallies, ranked and cut
    in the database."""
    rows = (
        ClassConfusionTally.objects.filter(classroom=classroom)
        .exclude(chosen=F("module__name"))
        .order_by("-times", "module__name", "chosen")
        .values_list("module__name", "chosen", "times")[:limit]
    )
    return list(rows)


def students_version(classroom: Classroom) -> tuple[int, int]:
    """How many students the class has, and their progress versions summed: either changes
    whenever what the class dashboard shows of them does (one query)."""
    found = Membership.objects.filter(classroom=classroom).aggregate(
        students=models.Count("pk"), progress=models.Sum("student__profile__progress_version")
    )
    return found["students"], found["progress"] or 0


def class_dashboard(
    classroom: Classroom, now: datetime, catalogue: Catalogue | None = None
) -> ClassDashboard:
    """The class dashboard's queries, all here: students, their cards, the drills and their
    attempts, the tallies of items and of confusions (and the catalogue's version check)."""
    catalogue = catalogue or get_catalogue()
    students = class_students(classroom)
    ids = [s.id for s in students]
    drills = list(classroom.drills.all())
    attempts = drill_attempts(drills)
    modules = item_statistics(module_counts(ids))
    return ClassDashboard(
        classroom=classroom,
        students=tuple(students),
        categories=tuple(catalogue.categories.values()),
        heatmap=tuple(heatmap(students, mastery_levels(ids), catalogue)),
        drills=tuple(drill_summary(d, students, attempts.get(d.pk, {}), now) for d in drills),
        hardest=tuple(modules[:HARDEST_SHOWN]),
        confusions=tuple(confusions(confusion_rows(classroom, CONFUSIONS_SHOWN), CONFUSIONS_SHOWN)),
    )


@dataclass(frozen=True)
class ItemsReport:
    modules: tuple[ItemStatistics, ...]
    clues: tuple[ItemStatistics, ...]
    facility_explanation: str = FACILITY_EXPLANATION
    discrimination_explanation: str = DISCRIMINATION_EXPLANATION


def class_items(classroom: Classroom) -> ItemsReport:
    ids = [s.id for s in class_students(classroom)]
    counts = clue_counts(ids)
    by_module = [Count(c.student, module, c.asked, c.right) for c, (module, _clue) in counts]
    return ItemsReport(
        modules=tuple(item_statistics(by_module)),
        clues=tuple(item_statistics(c for c, _ in counts)),
    )


# --- The student's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class MyDrill:
    drill: Drill
    result: StudentDrill
    due: str  # "due tomorrow 17:00", in the student's time zone
    is_open: bool  # opened, and not yet due
    upcoming: bool  # not opened yet

    @property
    def changes(self) -> tuple[datetime, ...]:
        """When its status or its words change by themselves: opening, falling due."""
        return (self.drill.opens_at, self.drill.due_at)

    @property
    def action(self) -> str | None:
        """What the student can do now: start it, continue it, try again, or nothing."""
        status = self.result.status
        if self.upcoming:
            return None
        if status is DrillStatus.IN_PROGRESS:
            return "Continue"
        if not self.result.is_finished:
            return "Start"  # late, if it is past due: better late than never
        return "Try again" if self.is_open else None


def student_drills(user: User, zone: ZoneInfo, now: datetime) -> list[MyDrill]:
    """The student's drills in every class: those open now first (soonest due first), then
    those to come, then the past ones, latest first (two queries)."""
    drills = list(Drill.objects.for_student(user).select_related("classroom").distinct())
    mine: dict[int, list[DrillAttemptFacts]] = defaultdict(list)
    rows = Attempt.objects.filter(learner=user, drill__in=drills).values_list(
        "drill_id", "started_at", "finished_at", "correct_count", "question_count"
    )
    for drill_id, started, finished, right, total in rows:
        mine[drill_id].append(DrillAttemptFacts(started, finished, right, total))
    found = [
        MyDrill(
            drill=d,
            result=drill_status(mine[d.pk], due_at=d.due_at, pass_mark=d.pass_mark, now=now),
            due=due_label(d.due_at, now, zone),
            is_open=d.opens_at <= now <= d.due_at,
            upcoming=now < d.opens_at,
        )
        for d in drills
    ]

    def order(item: MyDrill) -> tuple[int, float]:
        if item.is_open:
            return (0, item.drill.due_at.timestamp())
        if item.drill.opens_at > now:
            return (1, item.drill.opens_at.timestamp())
        return (2, -item.drill.due_at.timestamp())

    return sorted(found, key=order)
