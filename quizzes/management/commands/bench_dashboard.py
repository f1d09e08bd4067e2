"""Benchmark the student dashboard for learners with short and long histories: how many SQL
queries one render makes, how long renders take, and whether the time stays flat as the
history grows a hundredfold. A benchmark to run by hand, not a test."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.benchmarking import (
    BENCH_TIME_ZONE,
    FLAT_LIMIT,
    HISTORY_DAYS,
    REPLAYED_PER_MODULE,
    answers_of,
    bench_user_create,
    cards_build,
    flatness,
    history_insert,
    pages_measure,
    summary,
    timed,
)
from quizzes.dashboard import learner_dashboard
from quizzes.models import Attempt, Card

BENCH_USERNAME = "bench-learner"  # one learner a size: bench-learner-10000, ...
# Marks the accounts this command made: it deletes those and never a real "bench-learner".
BENCH_DOMAIN = "bench.batteries.invalid"
NOT_A_BENCH_ACCOUNT = "Users named like the benchmark's exist and are not the benchmark's: {names}."
DEFAULT_ANSWERS = (10_000, 1_000_000)
DEFAULT_RUNS = 20


def bench_username(answers: int) -> str:
    return f"{BENCH_USERNAME}-{answers}"


def named_like_bench() -> QuerySet[User]:
    """Users with the benchmark's names, its own or not (the older single "bench-learner")."""
    return User.objects.filter(
        Q(username=BENCH_USERNAME) | Q(username__startswith=f"{BENCH_USERNAME}-")
    )


def bench_learners() -> QuerySet[User]:
    return named_like_bench().filter(email__endswith=f"@{BENCH_DOMAIN}")


@dataclass(frozen=True)
class Made:
    """How a learner's history was made, for the report."""

    attempts: int
    insert_seconds: float
    cards_seconds: float


def bench_learner_create(answers: int) -> Made:
    """A bench learner with `answers` answers over HISTORY_DAYS, their cards and tallies."""
    rng = random.Random(f"bench_dashboard-{answers}")
    username = bench_username(answers)
    started = time.perf_counter()
    with transaction.atomic():
        learner = bench_user_create(username, BENCH_DOMAIN)
        history = history_insert(learner, answers, rng)
    inserted = time.perf_counter()
    with transaction.atomic():
        cards_build(learner)
    return Made(history.attempts, inserted - started, time.perf_counter() - inserted)


class Command(BaseCommand):
    help = (
        "Benchmark the student dashboard: make (or reuse) a learner for each --answers size "
        f"(default {' and '.join(f'{n:,}' for n in DEFAULT_ANSWERS)}), render each one's "
        "dashboard --runs times, in turn, and report its SQL queries, median / p95 / max "
        "render times and, for two sizes or more, the largest's median over the smallest's: "
        f"PASS within {FLAT_LIMIT}x, else FAIL. A million answers take a few minutes to make, "
        "once: a learner with exactly the answers asked for is reused. The class dashboard's "
        "figures come from `manage.py bench_class`, which compares class sizes the same way."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--answers",
            type=int,
            nargs="+",
            default=list(DEFAULT_ANSWERS),
            help="Answers in each learner's history, one learner a size "
            f"(default {' '.join(str(n) for n in DEFAULT_ANSWERS)}).",
        )
        parser.add_argument(
            "--runs",
            type=int,
            default=DEFAULT_RUNS,
            help=f"Renders to time for each size (default {DEFAULT_RUNS}).",
        )
        parser.add_argument(
            "--cleanup", action="store_true", help="Delete the bench learners and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        strangers = named_like_bench().exclude(email__endswith=f"@{BENCH_DOMAIN}")
        if strangers.exists():
            names = ", ".join(strangers.values_list("username", flat=True)[:5])
            raise CommandError(NOT_A_BENCH_ACCOUNT.format(names=names))
        if options["cleanup"]:
            deleted = bench_learners().count()
            bench_learners().delete()
            self.stdout.write(f"Deleted {deleted} bench learners.")
            return
        sizes: list[int] = sorted(set(options["answers"]))
        runs: int = options["runs"]
        if sizes[0] < 1 or runs < 1:
            raise CommandError("--answers and --runs must be at least 1.")
        self.stdout.write(f"Database: {connection.vendor}.")
        learners = [self.learner_ready(answers) for answers in sizes]
        url = reverse("quizzes:dashboard")
        pages = pages_measure([(learner, url) for learner in learners], runs)
        render_ms = {}
        for answers, learner, page in zip(sizes, learners, pages, strict=True):
            data_queries, data_ms = learner_dashboard_measure(learner, runs)
            self.stdout.write(
                f"{bench_username(answers)}: {answers:,} answers, "
                f"{Attempt.objects.filter(learner=learner).count():,} attempts, "
                f"{Card.objects.filter(learner=learner).count()} cards."
            )
            self.stdout.write(
                f"  Queries per dashboard render: {page.queries} ({data_queries} in "
                "learner_dashboard, the rest session, user, profile, drills, classes)."
            )
            self.stdout.write(summary(f"  Render, {runs} runs", page.render_ms))
            self.stdout.write(summary("    of which learner_dashboard()", data_ms))
            render_ms[answers] = page.render_ms
        if len(sizes) > 1:
            self.stdout.write(flatness("Student dashboard", render_ms))

    def learner_ready(self, answers: int) -> User:
        """The bench learner of this size, with exactly `answers` answers: reused if there,
        else made."""
        username = bench_username(answers)
        learner = bench_learners().filter(username=username).first()
        if learner is not None and answers_of(learner) == answers:
            self.stdout.write(f"Reusing {username}.")
            return learner
        if learner is not None:
            learner.delete()
        made = bench_learner_create(answers)
        self.stdout.write(
            f"Made {username}: {answers:,} answers in {made.attempts:,} attempts over "
            f"{HISTORY_DAYS} days, bulk-inserted in {made.insert_seconds:.1f} s; cards (the "
            f"last {REPLAYED_PER_MODULE} answers of each module through FSRS) and tallies in "
            f"{made.cards_seconds:.1f} s."
        )
        return User.objects.get(username=username)


def learner_dashboard_measure(learner: User, runs: int) -> tuple[int, list[float]]:
    """learner_dashboard() alone: its queries, and `runs` timings."""
    zone = ZoneInfo(BENCH_TIME_ZONE)
    reset_queries()
    with CaptureQueriesContext(connection) as data:
        learner_dashboard(learner, zone, timezone.now())
    return len(data), timed(lambda: learner_dashboard(learner, zone, timezone.now()), runs)
