"""Teaching workflows: classes and codes, joining and leaving, assigning and starting drills."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import profile_for
from catalogue.models import Category
from classrooms import services
from classrooms.models import Membership
from classrooms.progress import DrillStatus
from classrooms.reports import student_drills
from quizzes.models import Attempt
from quizzes.questions import Difficulty, Kind
from quizzes.services import attempts
from tests.classroom_helpers import class_of, drill_for, person, teacher
from tests.quiz_helpers import right_value

pytestmark = pytest.mark.django_db


def finish(attempt: Attempt, *, right: bool = True, when=None) -> Attempt:
    for asked in attempt.questions.order_by("position"):
        response = (
            right_value(asked)
            if right
            else (
                "nothing-like-it"
                if asked.kind == Kind.RECALL
                else str(next(i for i, o in enumerate(asked.options) if o != asked.right_answer))
            )
        )
        attempts.answer_record(asked=asked, response=response, now=when)
    attempt.refresh_from_db()
    return attempt


# --- Classes ---------------------------------------------------------------------------------


def test_a_teacher_creates_a_class_with_an_unguessable_code():
    classroom = class_of(teacher())
    assert len(classroom.join_code) == services.CODE_LENGTH
    assert set(classroom.join_code) <= set(services.CODE_ALPHABET)
    assert classroom.is_open
    assert services.code_display(classroom.join_code)[4] == "-"


def test_a_student_cannot_create_a_class():
    with pytest.raises(services.ClassroomError, match="Only teacher accounts"):
        services.classroom_create(teacher=person("ada"), name="Mine")


def test_students_join_with_the_code_however_they_type_it():
    classroom = class_of(teacher())
    ada = person("ada")
    typed = services.code_display(classroom.join_code).lower().replace("-", " - ")
    membership = services.classroom_join(student=ada, code=typed)
    assert membership.classroom == classroom
    # Joining again changes nothing.
    assert services.classroom_join(student=ada, code=classroom.join_code) == membership
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("code", ["", "NOPE", "ZZZZ-ZZZZ", "x" * 500])
def test_an_unknown_code_is_refused(code):
    class_of(teacher())
    with pytest.raises(services.ClassroomError, match="No class has that code"):
        services.classroom_join(student=person("ada"), code=code)
    assert not Membership.objects.exists()


def test_a_closed_class_lets_nobody_new_in_but_keeps_its_students():
    ada, grace = person("ada"), person("grace")
    classroom = class_of(teacher(), [ada])
    services.classroom_joining_set(classroom=classroom, is_open=False)
    with pytest.raises(services.ClassroomError, match="not taking new students"):
        services.classroom_join(student=grace, code=classroom.join_code)
    assert services.classroom_join(student=ada, code=classroom.join_code)  # already in
    services.classroom_joining_set(classroom=classroom, is_open=True)
    assert services.classroom_join(student=grace, code=classroom.join_code)


def test_a_new_code_retires_the_old_one():
    classroom = class_of(teacher())
    old = classroom.join_code
    services.join_code_regenerate(classroom=classroom)
    assert classroom.join_code != old
    with pytest.raises(services.ClassroomError):
        services.classroom_join(student=person("ada"), code=old)
    assert services.classroom_join(student=person("grace"), code=classroom.join_code)


def test_teachers_do_not_join_classes():
    owner = teacher()
    classroom = class_of(owner)
    for someone in (owner, teacher("other")):
        with pytest.raises(services.ClassroomError, match="Teacher accounts"):
            services.classroom_join(student=someone, code=classroom.join_code)


def test_removing_a_student_keeps_their_quizzes():
    ada = person("ada")
    classroom = class_of(teacher(), [ada])
    drill = drill_for(classroom)
    finish(services.drill_start(student=ada, drill=drill))
    assert services.membership_remove(classroom=classroom, student_id=ada.pk)
    assert not services.membership_remove(classroom=classroom, student_id=ada.pk)
    assert Attempt.objects.filter(learner=ada, drill=drill).count() == 1


# --- Drills ----------------------------------------------------------------------------------


def test_a_drill_must_be_due_after_it_opens():
    classroom = class_of(teacher())
    now = timezone.now()
    with pytest.raises(services.ClassroomError, match="due date must come after"):
        drill_for(classroom, opens_at=now, due_at=now)


def test_a_drill_must_give_questions():
    classroom = class_of(teacher())
    now = timezone.now()
    with pytest.raises(services.ClassroomError, match="give no questions"):
        services.drill_assign(
            classroom=classroom,
            title="Impossible",
            categories=list(Category.objects.filter(slug="graphical-user-interfaces")),
            kinds=[Kind.WHICH_USE],
            difficulty=Difficulty.HARD,
            question_count=10,
            opens_at=now,
            due_at=now + timedelta(days=1),
        )


def test_a_drill_is_named_after_its_categories_unless_titled():
    drill = drill_for(class_of(teacher()), categories=("date-and-time", "networking"))
    assert drill.title == "Date and Time, Networking"


def test_each_student_gets_their_own_quiz_of_the_drills_settings():
    ada, grace = person("ada"), person("grace")
    drill = drill_for(class_of(teacher(), [ada, grace]), count=6)
    mine = services.drill_start(student=ada, drill=drill)
    theirs = services.drill_start(student=grace, drill=drill)
    assert mine.purpose == Attempt.Purpose.DRILL
    assert mine.drill == drill
    assert mine.question_count == theirs.question_count == 6
    assert mine.settings == theirs.settings
    assert mine.settings["categories"] == ["date-and-time"]
    assert mine.seed != theirs.seed


def test_starting_again_continues_the_quiz_in_progress():
    ada = person("ada")
    drill = drill_for(class_of(teacher(), [ada]))
    first = services.drill_start(student=ada, drill=drill)
    assert services.drill_start(student=ada, drill=drill) == first


def test_a_drill_cannot_be_started_before_it_opens():
    ada = person("ada", time_zone="Europe/Paris")
    now = timezone.now()
    drill = drill_for(class_of(teacher(), [ada]), opens_at=now + timedelta(days=1))
    with pytest.raises(services.ClassroomError, match="This drill opens"):
        services.drill_start(student=ada, drill=drill)


def test_retakes_until_the_due_date_then_the_best_score_stands():
    ada = person("ada")
    now = timezone.now()
    drill = drill_for(class_of(teacher(), [ada]), due_at=now + timedelta(hours=1), pass_mark=60)
    finish(services.drill_start(student=ada, drill=drill), right=False)
    second = services.drill_start(student=ada, drill=drill)  # a retake
    finish(second)
    [mine] = student_drills(ada, profile_for(ada).zone, now)
    assert mine.result.status is DrillStatus.PASSED
    assert mine.result.attempts == 2
    assert mine.action == "Try again"
    later = now + timedelta(hours=2)
    with pytest.raises(services.ClassroomError, match="cannot be retaken"):
        services.drill_start(student=ada, drill=drill, now=later)


def test_a_drill_not_done_by_its_due_date_can_still_be_done_late():
    ada = person("ada")
    now = timezone.now()
    drill = drill_for(class_of(teacher(), [ada]), due_at=now + timedelta(minutes=1))
    later = now + timedelta(hours=1)
    [mine] = student_drills(ada, profile_for(ada).zone, later)
    assert mine.result.status is DrillStatus.MISSED
    assert mine.action == "Start"
    late = services.drill_start(student=ada, drill=drill, now=later)
    finish(late, when=later + timedelta(minutes=2))
    [mine] = student_drills(ada, profile_for(ada).zone, later + timedelta(minutes=3))
    assert mine.result.status is DrillStatus.LATE
    assert mine.action is None


def test_drill_answers_schedule_cards_like_any_practice():
    ada = person("ada")
    drill = drill_for(class_of(teacher(), [ada]))
    finish(services.drill_start(student=ada, drill=drill))
    assert ada.cards.count() >= 1
