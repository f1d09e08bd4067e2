"""bench_class: the class it makes, what it reports, and what it never touches."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from classrooms.management.commands.bench_class import BENCH_DOMAIN, BENCH_TEACHER, teacher_name
from classrooms.models import Classroom
from quizzes.models import Answer, Card, ItemTally
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bench(*args: str) -> str:
    out = io.StringIO()
    call_command("bench_class", *args, stdout=out)
    return out.getvalue()


def test_bench_class_makes_the_class_reports_each_page_and_cleans_up(catalogue_db):
    report = bench("--students", "3", "--answers", "95", "--runs", "2")

    classroom = Classroom.objects.get(teacher__username=teacher_name(95))
    students = User.objects.filter(memberships__classroom=classroom)
    assert students.count() == 3
    answers = Answer.objects.filter(question__attempt__learner__in=students)
    assert answers.count() == 95
    # Cards and tallies as live answers would have left them.
    assert Card.objects.filter(learner__in=students).count() == (
        answers.values("question__attempt__learner", "question__module").distinct().count()
    )
    assert sum(ItemTally.objects.values_list("asked", flat=True)) == 95
    for page in ("Class dashboard", "Items report", "A student's page"):
        assert f"{page}, " in report
    assert report.count("median") == 3

    again = bench("--students", "3", "--answers", "95", "--runs", "1")
    assert "Reusing" in again

    bench("--cleanup")
    assert not User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").exists()


def test_bench_class_never_touches_a_real_account_of_its_names():
    UserFactory.create(username=BENCH_TEACHER, email="someone@example.org")

    with pytest.raises(CommandError, match="not its own"):
        bench("--cleanup")

    assert User.objects.filter(username=BENCH_TEACHER).exists()


@pytest.mark.parametrize("args", [["--students", "0"], ["--answers", "2"], ["--runs", "0"]])
def test_bench_class_refuses_nonsense(args):
    with pytest.raises(CommandError):
        bench(*args)
