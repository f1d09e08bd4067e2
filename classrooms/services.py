"""Teaching workflows: classes and their join codes, students joining and leaving, drills
assigned and started. Each refuses what it must with a message meant for the person."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.progress import progress_changed_all
from accounts.services import profile_for
from catalogue.models import Category
from catalogue.snapshot import get_catalogue
from quizzes.generation import NoQuestionsError, generate_quiz
from quizzes.models import Attempt
from quizzes.questions import Difficulty, Kind, QuizSettings
from quizzes.services import attempts

from .models import Classroom, Drill, Membership
from .tallies import class_confusions_recount

# Unambiguous to read aloud and type: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31**8: about 850 billion codes

CODE_UNKNOWN = "No class has that code. Check it with your teacher: it is 8 letters and digits."
CLASS_CLOSED = "This class is not taking new students. Ask your teacher to open it."
TEACHERS_DO_NOT_JOIN = "Teacher accounts teach classes rather than join them."
NOT_A_TEACHER = "Only teacher accounts can create classes. Ask your teacher for a join code."
DRILL_NOT_OPEN = "This drill opens {opens}. Come back then!"
RETAKE_CLOSED = "The due date has passed, so this drill cannot be retaken: your best score stands."
DRILL_DATES = "The due date must come after the opening time."
DRILL_NOTHING_TO_ASK = (
    "These categories and kinds of question give no questions at this difficulty: choose more "
    "categories or kinds."
)


class ClassroomError(Exception):
    """A teaching action refused; the message is meant for the person; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def code_normalise(typed: str) -> str:
    """A join code as stored: case, spaces and dashes forgiven ("kq7m-4xpa" is KQ7M4XPA)."""
    return re.sub(r"[\s\-]+", "", typed).upper()


def code_display(code: str) -> str:
    """A join code as shown: in two halves, easier to read out (KQ7M-4XPA)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _with_unique_code(save: Callable[[str], object]) -> None:
    """Try new codes until one is free (a clash is vanishingly rare, and retried)."""
    for _ in range(5):
        try:
            with transaction.atomic():
                save(_new_code())
            return
        except IntegrityError:
            continue
    raise RuntimeError("Could not find a free join code.")


def classroom_changed(classroom: Classroom, *, students: Iterable[int] | None = None) -> None:
    """What the class's dashboard shows has changed, and with it what `students` see of the
    class on theirs (every one of its students, by default): both are rendered afresh."""
    Classroom.objects.filter(pk=classroom.pk).update(version=F("version") + 1)
    if students is None:
        students = Membership.objects.filter(classroom=classroom).values_list(
            "student_id", flat=True
        )
    progress_changed_all(students)


def classroom_create(*, teacher: User, name: str, description: str = "") -> Classroom:
    """A new class with a fresh join code, open to students."""
    if not profile_for(teacher).is_teacher:
        raise ClassroomError(NOT_A_TEACHER)
    made: list[Classroom] = []
    _with_unique_code(
        lambda code: made.append(
            Classroom.objects.create(
                teacher=teacher, name=name.strip(), description=description.strip(), join_code=code
            )
        )
    )
    return made[0]


@transaction.atomic
def classroom_save(*, classroom: Classroom) -> Classroom:
    """Save a new name or description (as a form set them): the class's students see them."""
    classroom.save(update_fields=["name", "description"])
    classroom_changed(classroom)
    return classroom


def join_code_regenerate(*, classroom: Classroom) -> Classroom:
    """A new join code: the old one lets nobody in any more."""

    def save(code: str) -> None:
        classroom.join_code = code
        classroom.save(update_fields=["join_code"])

    _with_unique_code(save)
    return classroom


def classroom_joining_set(*, classroom: Classroom, is_open: bool) -> Classroom:
    """Open the class to new students, or close it (those in it stay)."""
    classroom.is_open = is_open
    classroom.save(update_fields=["is_open"])
    return classroom


@transaction.atomic
def classroom_join(*, student: User, code: str, now: datetime | None = None) -> Membership:
    """Join the class with this code; joining again changes nothing."""
    classroom = Classroom.objects.filter(join_code=code_normalise(code)).first()
    if classroom is None:
        raise ClassroomError(CODE_UNKNOWN)
    if classroom.teacher_id == student.pk or profile_for(student).is_teacher:
        raise ClassroomError(TEACHERS_DO_NOT_JOIN)
    existing = Membership.objects.filter(classroom=classroom, student=student).first()
    if existing is not None:
        return existing
    if not classroom.is_open:
        raise ClassroomError(CLASS_CLOSED)
    membership, created = Membership.objects.get_or_create(
        classroom=classroom, student=student, defaults={"joined_at": now or timezone.now()}
    )
    if created:
        class_confusions_recount([classroom.pk])
        classroom_changed(classroom, students=[student.pk])
    return membership


@transaction.atomic
def membership_remove(*, classroom: Classroom, student_id: int) -> bool:
    """Take a student out of the class (their own practice and drill quizzes stay theirs, and
    their confusions leave the class's)."""
    removed, _ = Membership.objects.filter(classroom=classroom, student_id=student_id).delete()
    if removed:
        class_confusions_recount([classroom.pk])
        classroom_changed(classroom, students=[student_id])
    return bool(removed)


def drill_assign(
    *,
    classroom: Classroom,
    title: str,
    categories: Sequence[Category],
    kinds: Sequence[Kind],
    difficulty: Difficulty,
    question_count: int,
    opens_at: datetime,
    due_at: datetime,
    pass_mark: int | None = None,
    seed: int | None = None,
) -> Drill:
    """Assign a drill to the class, once its settings are known to give questions."""
    if due_at <= opens_at:
        raise ClassroomError(DRILL_DATES)
    slugs = [c.slug for c in categories]
    settings = QuizSettings(
        count=question_count, kinds=tuple(kinds), difficulty=difficulty, categories=tuple(slugs)
    )
    seed = attempts.new_seed() if seed is None else seed
    try:
        generate_quiz(get_catalogue(), settings, seed)
    except NoQuestionsError:
        raise ClassroomError(DRILL_NOTHING_TO_ASK) from None
    with transaction.atomic():
        drill = Drill.objects.create(
            classroom=classroom,
            title=title.strip() or ", ".join(c.name for c in categories),
            kinds=[str(k) for k in kinds],
            difficulty=difficulty,
            question_count=question_count,
            pass_mark=pass_mark,
            opens_at=opens_at,
            due_at=due_at,
            seed=seed,
        )
        drill.categories.set(categories)
        classroom_changed(classroom)
    return drill


def drill_start(
    *, student: User, drill: Drill, now: datetime | None = None, seed: int | None = None
) -> Attempt:
    """The student's quiz for the drill: the one in progress, else a new one of their own (own
    seed, the drill's settings) while retakes are allowed, late ones included if none is done."""
    now = now or timezone.now()
    if now < drill.opens_at:
        with timezone.override(profile_for(student).zone):
            opens = timezone.localtime(drill.opens_at).strftime("%A %d %B at %H:%M")
        raise ClassroomError(DRILL_NOT_OPEN.format(opens=opens))
    mine = Attempt.objects.filter(learner=student, drill=drill)
    unfinished = mine.filter(finished_at__isnull=True).order_by("-started_at").first()
    if unfinished is not None:
        return unfinished
    if now > drill.due_at and mine.filter(finished_at__isnull=False).exists():
        raise ClassroomError(RETAKE_CLOSED)
    slugs = list(drill.categories.values_list("slug", flat=True))
    return attempts.attempt_start(
        learner=student,
        visitor=None,
        quiz_settings=drill.quiz_settings(slugs),
        purpose=Attempt.Purpose.DRILL,
        drill_id=drill.pk,
        seed=seed,
        now=now,
    )
