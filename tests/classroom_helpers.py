"""Classes and drills, made through the real services, and the people in them (from the
factories), for the tests of the teaching pages."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from catalogue.models import Category
from classrooms import services
from classrooms.models import Classroom, Drill
from quizzes.models import Attempt
from quizzes.questions import Difficulty, Kind
from quizzes.services import attempts
from tests.factories import TeacherFactory, UserFactory
from tests.quiz_helpers import PASSWORD, right_value

__all__ = ["PASSWORD", "class_of", "drill_for", "drill_started", "person", "teacher"]


def person(username: str, time_zone: str = "UTC") -> User:
    """A student, first-named after their username."""
    return UserFactory.create(
        username=username, first_name=username.capitalize(), profile__time_zone=time_zone
    )


def teacher(username: str = "teacher", time_zone: str = "UTC") -> User:
    return TeacherFactory.create(
        username=username, first_name=username.capitalize(), profile__time_zone=time_zone
    )


def class_of(
    owner: User, students: list[User] | tuple[User, ...] = (), name: str = "Year 10"
) -> Classroom:
    classroom = services.classroom_create(teacher=owner, name=name, description="Python club")
    for student in students:
        services.classroom_join(student=student, code=classroom.join_code)
    return classroom


def drill_for(
    classroom: Classroom,
    *,
    categories: tuple[str, ...] = ("date-and-time",),
    opens_at: datetime | None = None,
    due_at: datetime | None = None,
    count: int = 5,
    pass_mark: int | None = None,
    kinds: tuple[Kind, ...] = (Kind.WHICH_MODULE, Kind.RECALL),
) -> Drill:
    now = timezone.now()
    return services.drill_assign(
        classroom=classroom,
        title="",
        categories=list(Category.objects.filter(slug__in=categories)),
        kinds=list(kinds),
        difficulty=Difficulty.EASY,
        question_count=count,
        opens_at=opens_at or now - timedelta(days=1),
        due_at=due_at or now + timedelta(days=3),
        pass_mark=pass_mark,
        seed=7,
    )


def drill_started(drill: Drill, student: User, *, answered: int, category: str) -> Attempt:
    """The student's quiz of the drill, begun through the real service, with its first
    `answered` questions answered right."""
    attempt = attempts.attempt_start(
        learner=student,
        visitor=None,
        quiz_settings=drill.quiz_settings([category]),
        purpose=Attempt.Purpose.DRILL,
        drill_id=drill.pk,
        now=timezone.now(),
    )
    for asked in attempt.questions.order_by("position")[:answered]:
        attempts.answer_record(asked=asked, response=right_value(asked))
    return attempt
