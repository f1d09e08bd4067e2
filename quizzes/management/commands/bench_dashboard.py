"""Benchmark the student dashboard for a learner with a long history: how many SQL queries one
render makes and how long renders take. A benchmark to run by hand, not a test."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from quizzes.benchmarking import (
    BENCH_TIME_ZONE,
    HISTORY_DAYS,
    answers_of,
    cards_replay,
    history_insert,
    page_measure,
    summary,
    timed,
)
from quizzes.dashboard import learner_dashboard
from quizzes.models import Attempt, Card

BENCH_USERNAME = "bench-learner"
# Marks the account this command made: it deletes that one and never a real "bench-learner".
BENCH_EMAIL = "bench-learner@bench.batteries.invalid"
NOT_A_BENCH_ACCOUNT = f"A user named {BENCH_USERNAME!r} exists and is not the benchmark's."
DEFAULT_ANSWERS = 10_000
DEFAULT_RUNS = 20


@dataclass(frozen=True)
class Made:
    """How the learner's history was made, for the report."""

    attempts: int
    insert_seconds: float
    replay_seconds: float


@dataclass(frozen=True)
class Timings:
    """Render times in milliseconds, and the queries of one render."""

    queries: int
    dashboard_queries: int
    render_ms: list[float]
    dashboard_ms: list[float]


def bench_learner_create(answers: int) -> Made:
    """The bench learner with `answers` answers over HISTORY_DAYS, and their cards."""
    rng = random.Random("bench_dashboard")
    started = time.perf_counter()
    with transaction.atomic():
        learner = User.objects.create_user(BENCH_USERNAME, email=BENCH_EMAIL, password=None)
        Profile.objects.create(user=learner, time_zone=BENCH_TIME_ZONE)
        attempts = len(history_insert(learner, answers, rng))
    inserted = time.perf_counter()
    with transaction.atomic():
        cards_replay(learner)
    return Made(attempts, inserted - started, time.perf_counter() - inserted)


# --- Measuring -------------------------------------------------------------------------------


def dashboard_measure(learner: User, runs: int) -> Timings:
    """Render the page through the test client, as a browser would get it, `runs` times; and
    learner_dashboard() alone."""
    page = page_measure(learner, reverse("quizzes:dashboard"), runs)
    zone = ZoneInfo(BENCH_TIME_ZONE)
    reset_queries()
    with CaptureQueriesContext(connection) as data:
        learner_dashboard(learner, zone, timezone.now())
    dashboard_ms = timed(lambda: learner_dashboard(learner, zone, timezone.now()), runs)
    return Timings(page.queries, len(data), page.render_ms, dashboard_ms)


class Command(BaseCommand):
    help = (
        "Benchmark the student dashboard: make (or reuse) a learner with many answers, render "
        "the page --runs times, report its SQL queries and median / p95 / max render times."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--answers",
            type=int,
            default=DEFAULT_ANSWERS,
            help=f"Answers in the learner's history (default {DEFAULT_ANSWERS}).",
        )
        parser.add_argument(
            "--runs",
            type=int,
            default=DEFAULT_RUNS,
            help=f"Renders to time (default {DEFAULT_RUNS}).",
        )
        parser.add_argument(
            "--cleanup", action="store_true", help=f"Delete {BENCH_USERNAME} and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=BENCH_USERNAME).exclude(email=BENCH_EMAIL).exists():
            raise CommandError(NOT_A_BENCH_ACCOUNT)
        if options["cleanup"]:
            deleted = User.objects.filter(username=BENCH_USERNAME).delete()[0] > 0
            self.stdout.write(f"Deleted {BENCH_USERNAME}." if deleted else "Nothing to delete.")
            return
        answers: int = options["answers"]
        runs: int = options["runs"]
        if answers < 1 or runs < 1:
            raise CommandError("--answers and --runs must be at least 1.")
        learner = self.learner_ready(answers)
        cards = Card.objects.filter(learner=learner).count()
        self.stdout.write(
            f"Database: {connection.vendor}. {BENCH_USERNAME}: {answers_of(learner)} answers, "
            f"{Attempt.objects.filter(learner=learner).count()} attempts, {cards} cards."
        )
        timings = dashboard_measure(learner, runs)
        self.stdout.write(
            f"Queries per dashboard render: {timings.queries} "
            f"({timings.dashboard_queries} in learner_dashboard, the rest session, user, "
            "profile)."
        )
        self.stdout.write(summary(f"Render, {runs} runs", timings.render_ms))
        self.stdout.write(summary("  of which learner_dashboard()", timings.dashboard_ms))

    def learner_ready(self, answers: int) -> User:
        """The bench learner with exactly `answers` answers: reused if there, else made."""
        learner = User.objects.filter(username=BENCH_USERNAME).first()
        if learner is not None and answers_of(learner) == answers:
            self.stdout.write(f"Reusing {BENCH_USERNAME} ({answers} answers).")
            return learner
        if learner is not None:
            learner.delete()
        made = bench_learner_create(answers)
        self.stdout.write(
            f"Made {BENCH_USERNAME}: {answers} answers in {made.attempts} attempts over "
            f"{HISTORY_DAYS} days, bulk-inserted in {made.insert_seconds:.1f} s; cards from "
            f"every answer replayed through cards.card_review in {made.replay_seconds:.1f} s."
        )
        return User.objects.get(username=BENCH_USERNAME)
