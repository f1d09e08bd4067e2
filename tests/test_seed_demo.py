import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Profile
from classrooms.models import Classroom
from classrooms.progress import DrillStatus
from classrooms.reports import class_dashboard
from quizzes.dashboard import learner_dashboard
from quizzes.management.commands.bench_dashboard import BENCH_USERNAME, bench_username
from quizzes.management.commands.seed_demo import (
    ALREADY_PRESENT,
    CLASS_NAME,
    DEMO_PASSWORD,
    STUDENTS,
    TEACHER,
)
from quizzes.models import Answer, AskedQuestion, Attempt, Card
from tests.factories import UserFactory
from tests.quiz_helpers import logs_in

pytestmark = pytest.mark.django_db

# Less history than the default four weeks keeps the tests quick; still enough for streaks.
DAYS = "10"


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--days", DAYS, *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "attempts": Attempt.objects.count(),
        "answers": Answer.objects.count(),
        "cards": Card.objects.count(),
    }


def profile(user: User) -> Profile:
    return Profile.objects.get(user=user)


def practice_days(user: User) -> set:
    zone = profile(user).zone
    moments = Answer.objects.filter(question__attempt__learner=user).values_list(
        "answered_at", flat=True
    )
    return {moment.astimezone(zone).date() for moment in moments}


def test_seed_demo_creates_a_teacher_and_four_students_who_can_log_in(client):
    seed()

    assert profile(User.objects.get(username=TEACHER)).role == Profile.Role.TEACHER
    for student in STUDENTS:
        student_profile = profile(User.objects.get(username=student.username))
        assert student_profile.role == Profile.Role.STUDENT
        assert student_profile.time_zone == student.time_zone
    assert len({student.time_zone for student in STUDENTS}) == len(STUDENTS)
    assert logs_in(STUDENTS[0].username, DEMO_PASSWORD)


def test_every_student_has_history_cards_and_their_own_accuracy_and_streak():
    seed()

    streaks, accuracies = [], []
    for student in STUDENTS:
        user = User.objects.get(username=student.username)
        assert len(practice_days(user)) >= 3, student.username
        answered_modules = (
            AskedQuestion.objects.filter(attempt__learner=user, answer__isnull=False)
            .values("module")
            .distinct()
            .count()
        )
        assert Card.objects.filter(learner=user).count() == answered_modules > 0
        assert not Answer.objects.filter(
            question__attempt__learner=user, answered_at__gt=timezone.now()
        ).exists()
        dash = learner_dashboard(user, profile(user).zone, timezone.now())
        streaks.append(dash.streak)
        assert dash.overall_percent is not None
        accuracies.append(dash.overall_percent)
    assert max(streaks) >= 2
    assert 0 in streaks  # and one who has let it lapse
    assert max(accuracies) - min(accuracies) >= 10  # some students are stronger than others
    assert Attempt.objects.filter(purpose=Attempt.Purpose.REVIEW).exists()


def test_running_again_creates_nothing_and_prints_the_logins():
    first = seed()
    before = row_counts()

    second = seed()

    assert row_counts() == before
    assert ALREADY_PRESENT in second
    for output in (first, second):
        assert DEMO_PASSWORD in output
        for username in [TEACHER, *(student.username for student in STUDENTS)]:
            assert username in output


def test_reset_recreates_the_demo_accounts():
    seed()
    old_ids = set(User.objects.filter(username=TEACHER).values_list("pk", flat=True))

    output = seed("--reset")

    assert "Deleted 5 demo accounts" in output
    assert ALREADY_PRESENT not in output
    assert User.objects.get(username=TEACHER).pk not in old_ids
    assert Attempt.objects.filter(learner__username=STUDENTS[0].username).exists()


def test_a_real_account_with_a_demo_name_is_never_touched():
    UserFactory.create(username=STUDENTS[0].username, email="someone@example.org")

    with pytest.raises(CommandError, match="not a demo account"):
        seed("--reset")

    assert User.objects.get(username=STUDENTS[0].username).email == "someone@example.org"


def test_bench_dashboard_reports_queries_and_timings_and_cleans_up():
    out = io.StringIO()
    call_command("bench_dashboard", "--answers", "300", "--runs", "2", stdout=out)
    report = out.getvalue()

    assert "300 answers" in report
    assert "Queries per dashboard render:" in report
    assert "median" in report
    assert "p95" in report
    learner = User.objects.get(username=bench_username(300))
    answered = AskedQuestion.objects.filter(attempt__learner=learner, answer__isnull=False)
    assert Card.objects.filter(learner=learner).count() == (
        answered.values("module").distinct().count()
    )

    call_command("bench_dashboard", "--cleanup", stdout=io.StringIO())

    assert not User.objects.filter(username=bench_username(300)).exists()


def test_bench_dashboard_never_touches_a_real_account_of_its_name():
    UserFactory.create(username=BENCH_USERNAME, email="someone@example.org")

    with pytest.raises(CommandError, match="not the benchmark's"):
        call_command("bench_dashboard", "--cleanup", stdout=io.StringIO())

    assert User.objects.filter(username=BENCH_USERNAME).exists()


def test_the_teacher_has_a_class_of_the_four_with_one_drill_past_due_and_one_open():
    seed()

    [classroom] = Classroom.objects.filter(teacher__username=TEACHER)
    assert classroom.name == CLASS_NAME
    dashboard = class_dashboard(classroom, timezone.now())
    assert {s.username for s in dashboard.students} == {s.username for s in STUDENTS}
    results = {
        summary.drill.title: {r.student.username: r.result for r in summary.results}
        for summary in dashboard.drills
    }
    past, open_ = results["Dates and times"], results["Strings and files"]
    # Done on time (passed or not: a pass mark of 70%), ada twice; linus never; guido late.
    assert {past["ada"].status, past["grace"].status} <= {DrillStatus.PASSED, DrillStatus.DONE}
    assert (past["ada"].attempts, past["grace"].attempts) == (2, 1)
    assert past["linus"].status is DrillStatus.MISSED
    assert past["guido"].status is DrillStatus.LATE
    assert {name: result.status for name, result in open_.items()} == {
        "ada": DrillStatus.DONE,  # no pass mark
        "grace": DrillStatus.NOT_STARTED,
        "linus": DrillStatus.NOT_STARTED,
        "guido": DrillStatus.IN_PROGRESS,
    }
    assert dashboard.hardest  # enough answers to show the class's hardest modules
