"""Benchmark the teacher's pages for classes with short and long histories: for each --answers
size a class of --students, those answers between them (bulk-inserted real quizzes, cards and
tallies built from them), two drills; the class dashboard, items report and a student's page
rendered --runs times each, and whether their times stay flat as the history grows. A
benchmark to run by hand, not a test."""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from catalogue.models import Category
from catalogue.snapshot import get_catalogue
from classrooms import services
from classrooms.models import Classroom, Membership
from quizzes.benchmarking import (
    FLAT_LIMIT,
    QuizPool,
    bench_user_create,
    bench_users,
    cards_build,
    flatness,
    history_insert,
    pages_measure,
    summary,
)
from quizzes.models import Answer, Attempt
from quizzes.questions import Difficulty, Kind

# Marks the accounts this command made: it deletes those and never a real "bench-teacher".
BENCH_DOMAIN = "bench-class.batteries.invalid"
BENCH_TEACHER = "bench-teacher"  # one class a size, taught by bench-teacher-10000, ...
BENCH_STUDENT = "bench-student"
NOT_BENCH_ACCOUNTS = "Users named like the benchmark's exist and are not its own: {names}."
DEFAULT_STUDENTS = 30
DEFAULT_ANSWERS = (10_000, 1_000_000)
DEFAULT_RUNS = 20
# Skills from weak to strong, so the items report has students to tell apart.
SKILL_RANGE = (-0.3, 0.25)
PAGES = ("Class dashboard", "Items report", "A student's page")


def teacher_name(answers: int) -> str:
    return f"{BENCH_TEACHER}-{answers}"


def student_name(answers: int, number: int) -> str:
    return f"{BENCH_STUDENT}-{answers}-{number:02d}"


def class_name(answers: int) -> str:
    return f"Bench class, {answers:,} answers"


def named_like_bench() -> QuerySet[User]:
    """Users with the benchmark's names, its own or not."""
    return User.objects.filter(
        Q(username=BENCH_TEACHER)
        | Q(username__startswith=f"{BENCH_TEACHER}-")
        | Q(username__startswith=f"{BENCH_STUDENT}-")
    )


def bench_class_create(students: int, answers: int, stdout: Any) -> Classroom:
    """The teacher, the class, its students with their histories, cards and tallies, and two
    drills: one past due, done by two students in three (their last quiz counts as the drill),
    and one open."""
    rng = random.Random(f"bench_class-{answers}")
    teacher = bench_user_create(teacher_name(answers), BENCH_DOMAIN, Profile.Role.TEACHER)
    classroom = services.classroom_create(teacher=teacher, name=class_name(answers))
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
    pool = QuizPool(get_catalogue())  # the class's quizzes drawn from one pool
    started = time.perf_counter()
    for number in range(students):
        with transaction.atomic():
            student = bench_user_create(
                student_name(answers, number + 1), BENCH_DOMAIN, Profile.Role.STUDENT
            )
            Membership.objects.create(classroom=classroom, student=student, joined_at=now)
            skill = low + (high - low) * number / max(1, students - 1)
            share = each + (answers % students if number == 0 else 0)
            history = history_insert(student, share, rng, skill=skill, pool=pool)
            if number % 3:
                Attempt.objects.filter(pk=history.last_attempt_id).update(
                    drill=past, purpose=Attempt.Purpose.DRILL
                )
            cards_build(student)
        stdout.write(
            f"\r  {number + 1}/{students} students made ({time.perf_counter() - started:.0f} s)",
            ending="",
        )
        stdout.flush()
    stdout.write("")
    return classroom


class Command(BaseCommand):
    help = (
        "Benchmark the teacher's pages: make (or reuse) a class of --students for each "
        f"--answers size, all its students' answers together (default "
        f"{' and '.join(f'{n:,}' for n in DEFAULT_ANSWERS)}); render each class's dashboard, "
        "items report and a student's page --runs times, the sizes in turn; report their SQL "
        "queries, median / p95 / max render times and, for two sizes or more, each page's "
        f"median at the largest over the smallest: PASS within {FLAT_LIMIT}x, else FAIL. A "
        "class with exactly the students and answers asked for is reused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=DEFAULT_STUDENTS)
        parser.add_argument(
            "--answers",
            type=int,
            nargs="+",
            default=list(DEFAULT_ANSWERS),
            help="The answers of the whole class, one class a size "
            f"(default {' '.join(str(n) for n in DEFAULT_ANSWERS)}).",
        )
        parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
        parser.add_argument(
            "--cleanup", action="store_true", help="Delete the bench classes' accounts and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.check_names()
        if options["cleanup"]:
            deleted = bench_users(BENCH_DOMAIN).count()
            bench_users(BENCH_DOMAIN).delete()
            self.stdout.write(f"Deleted {deleted} bench accounts.")
            return
        students, runs = options["students"], options["runs"]
        sizes: list[int] = sorted(set(options["answers"]))
        if not 1 <= students <= 200 or sizes[0] < students or runs < 1:
            raise CommandError(
                "--students must be 1 to 200, --answers at least --students, --runs at least 1."
            )
        self.stdout.write(f"Database: {connection.vendor}.")
        classrooms = [self.classroom_ready(students, answers) for answers in sizes]
        render_ms: dict[str, dict[int, list[float]]] = {label: {} for label in PAGES}
        for label in PAGES:
            pages = [(c.teacher, self.page_url(label, c)) for c in classrooms]
            for answers, timings in zip(sizes, pages_measure(pages, runs), strict=True):
                render_ms[label][answers] = timings.render_ms
                self.stdout.write(
                    summary(
                        f"{class_name(answers)}: {label}, {timings.queries} queries",
                        timings.render_ms,
                    )
                )
        if len(sizes) > 1:
            for label in PAGES:
                self.stdout.write(flatness(label, render_ms[label]))

    def page_url(self, label: str, classroom: Classroom) -> str:
        if label == "Class dashboard":
            return classroom.get_absolute_url()
        if label == "Items report":
            return reverse("classrooms:items", args=[classroom.pk])
        first = classroom.memberships.earliest("student__username").student_id
        return reverse("classrooms:student", args=[classroom.pk, first])

    def check_names(self) -> None:
        strangers = named_like_bench().exclude(email__endswith=f"@{BENCH_DOMAIN}")
        if strangers.exists():
            found = ", ".join(strangers.values_list("username", flat=True)[:5])
            raise CommandError(NOT_BENCH_ACCOUNTS.format(names=found))

    def class_answers(self, classroom: Classroom) -> int:
        return Answer.objects.filter(
            question__attempt__learner__memberships__classroom=classroom
        ).count()

    def classroom_ready(self, students: int, answers: int) -> Classroom:
        """The bench class of this size as asked for: reused if there, else made anew."""
        classroom = Classroom.objects.filter(
            teacher__username=teacher_name(answers),
            teacher__email__endswith=f"@{BENCH_DOMAIN}",
        ).first()
        if (
            classroom is not None
            and classroom.memberships.count() == students
            and self.class_answers(classroom) == answers
        ):
            self.stdout.write(f"Reusing {class_name(answers)}: {students} students.")
            return classroom
        bench_users(BENCH_DOMAIN).filter(
            Q(username=teacher_name(answers))
            | Q(username__startswith=f"{BENCH_STUDENT}-{answers}-")
        ).delete()
        started = time.perf_counter()
        classroom = bench_class_create(students, answers, self.stdout)
        self.stdout.write(
            f"Made {class_name(answers)}: {students} students, histories, cards and tallies in "
            f"{time.perf_counter() - started:.1f} s."
        )
        return classroom
