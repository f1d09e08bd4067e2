"""Benchmark the teacher's pages for a class with a long history: a class of --students, their
--answers between them (bulk-inserted real quizzes, cards replayed from them), two drills, and
the class dashboard, items report and a student's page rendered --runs times each. A benchmark
to run by hand, not a test."""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from catalogue.models import Category
from classrooms import services
from classrooms.models import Classroom, Membership
from quizzes.benchmarking import (
    BENCH_TIME_ZONE,
    cards_replay,
    history_insert,
    page_measure,
    summary,
)
from quizzes.models import Answer, Attempt
from quizzes.questions import Difficulty, Kind

# Marks the accounts this command made: it deletes those and never a real "bench-teacher".
BENCH_DOMAIN = "bench-class.batteries.invalid"
BENCH_TEACHER = "bench-teacher"
BENCH_CLASS = "Bench class"
NOT_BENCH_ACCOUNTS = "Users named like the benchmark's exist and are not its own: {names}."
DEFAULT_STUDENTS = 30
DEFAULT_ANSWERS = 100_000
DEFAULT_RUNS = 20
# Skills from weak to strong, so the items report has students to tell apart.
SKILL_RANGE = (-0.3, 0.25)


def student_name(number: int) -> str:
    return f"bench-student-{number:02d}"


def bench_users() -> Any:
    return User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")


def bench_user_create(username: str, role: str) -> User:
    user = User.objects.create_user(username, email=f"{username}@{BENCH_DOMAIN}", password=None)
    Profile.objects.create(user=user, time_zone=BENCH_TIME_ZONE, role=role)
    return user


def bench_class_create(students: int, answers: int, stdout: Any) -> Classroom:
    """The teacher, the class, its students with their histories and cards, and two drills:
    one past due, done by two students in three (their last quiz counts as the drill), and one
    open."""
    rng = random.Random("bench_class")
    teacher = bench_user_create(BENCH_TEACHER, Profile.Role.TEACHER)
    classroom = services.classroom_create(teacher=teacher, name=BENCH_CLASS)
    now = timezone.now()
    categories = list(Category.objects.order_by("pk")[:2])
    past, _open = (
        services.drill_assign(
            classroom=classroom,
            title=title,
            categories=categories,
            kinds=list(Kind),
            difficulty=Difficulty.EASY,
            question_count=10,
            opens_at=now + timedelta(days=opens),
            due_at=now + timedelta(days=opens + 7),
            pass_mark=60,
        )
        for title, opens in (("Past due", -400), ("Open", -1))
    )
    low, high = SKILL_RANGE
    each = answers // students
    started = time.perf_counter()
    for number in range(students):
        with transaction.atomic():
            student = bench_user_create(student_name(number + 1), Profile.Role.STUDENT)
            Membership.objects.create(classroom=classroom, student=student, joined_at=now)
            skill = low + (high - low) * number / max(1, students - 1)
            share = each + (answers % students if number == 0 else 0)
            made = history_insert(student, share, rng, skill=skill)
            if number % 3:
                Attempt.objects.filter(pk=made[-1].pk).update(
                    drill=past, purpose=Attempt.Purpose.DRILL
                )
            cards_replay(student)
        stdout.write(
            f"\r  {number + 1}/{students} students made ({time.perf_counter() - started:.0f} s)",
            ending="",
        )
        stdout.flush()
    stdout.write("")
    return classroom


class Command(BaseCommand):
    help = (
        "Benchmark the class dashboard: make (or reuse) a class of --students with --answers "
        "between them, render the teacher's pages --runs times each, report their SQL queries "
        "and median / p95 / max render times."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=DEFAULT_STUDENTS)
        parser.add_argument("--answers", type=int, default=DEFAULT_ANSWERS)
        parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
        parser.add_argument(
            "--cleanup", action="store_true", help="Delete the bench class's accounts and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.check_names()
        if options["cleanup"]:
            deleted = bench_users().count()
            bench_users().delete()
            self.stdout.write(f"Deleted {deleted} bench accounts.")
            return
        students, answers, runs = options["students"], options["answers"], options["runs"]
        if not 1 <= students <= 200 or answers < students or runs < 1:
            raise CommandError(
                "--students must be 1 to 200, --answers at least --students, --runs at least 1."
            )
        classroom = self.classroom_ready(students, answers)
        teacher = classroom.teacher
        first = classroom.memberships.earliest("student__username").student_id
        self.stdout.write(
            f"Database: {connection.vendor}. {BENCH_CLASS}: {students} students, "
            f"{self.class_answers(classroom)} answers."
        )
        pages = {
            "Class dashboard": classroom.get_absolute_url(),
            "Items report": reverse("classrooms:items", args=[classroom.pk]),
            "A student's page": reverse("classrooms:student", args=[classroom.pk, first]),
        }
        for label, url in pages.items():
            timings = page_measure(teacher, url, runs)
            self.stdout.write(summary(f"{label}, {timings.queries} queries", timings.render_ms))

    def check_names(self) -> None:
        names = [BENCH_TEACHER, *(student_name(n + 1) for n in range(200))]
        strangers = User.objects.filter(username__in=names).exclude(
            email__endswith=f"@{BENCH_DOMAIN}"
        )
        if strangers.exists():
            found = ", ".join(strangers.values_list("username", flat=True)[:5])
            raise CommandError(NOT_BENCH_ACCOUNTS.format(names=found))

    def class_answers(self, classroom: Classroom) -> int:
        return Answer.objects.filter(
            question__attempt__learner__memberships__classroom=classroom
        ).count()

    def classroom_ready(self, students: int, answers: int) -> Classroom:
        """The bench class as asked for: reused if there, else made anew."""
        classroom = Classroom.objects.filter(
            teacher__username=BENCH_TEACHER, teacher__email__endswith=f"@{BENCH_DOMAIN}"
        ).first()
        if (
            classroom is not None
            and classroom.memberships.count() == students
            and self.class_answers(classroom) == answers
        ):
            self.stdout.write(f"Reusing {BENCH_CLASS}.")
            return classroom
        bench_users().delete()
        started = time.perf_counter()
        classroom = bench_class_create(students, answers, self.stdout)
        self.stdout.write(
            f"Made {BENCH_CLASS}: {students} students, {answers} answers, cards and tallies "
            f"in {time.perf_counter() - started:.1f} s."
        )
        return classroom
