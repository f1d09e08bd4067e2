"""Benchmark the student dashboard for a learner with a long history: how many SQL queries one
render makes and how long renders take. A benchmark to run by hand, not a test."""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from catalogue.models import Module
from catalogue.snapshot import Catalogue, get_catalogue
from quizzes.dashboard import learner_dashboard
from quizzes.generation import generate_quiz
from quizzes.memory import rating_for
from quizzes.models import Answer, AskedQuestion, Attempt, Card
from quizzes.questions import Kind, Question, QuizSettings
from quizzes.services import attempts, cards

BENCH_USERNAME = "bench-learner"
# Marks the account this command made: it deletes that one and never a real "bench-learner".
BENCH_EMAIL = "bench-learner@bench.batteries.invalid"
NOT_A_BENCH_ACCOUNT = f"A user named {BENCH_USERNAME!r} exists and is not the benchmark's."
BENCH_TIME_ZONE = "Europe/Paris"
DEFAULT_ANSWERS = 10_000
DEFAULT_RUNS = 20
HISTORY_DAYS = 300
QUIZ_LENGTH = 10
CHUNK = 500  # rows per INSERT: well under SQLite's limit on query parameters
PRACTICE_HOURS = (7, 8, 12, 13, 18, 19, 20, 21)


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


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: a value that was measured, even with two runs."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def answers_of(learner: User) -> int:
    return Answer.objects.filter(question__attempt__learner=learner).count()


# --- The learner's history, bulk-inserted ----------------------------------------------------


def quiz_lengths(answers: int) -> Iterator[int]:
    """Quizzes of QUIZ_LENGTH questions; the last one takes what is left."""
    full, rest = divmod(answers, QUIZ_LENGTH)
    yield from [QUIZ_LENGTH] * full
    if rest:
        yield rest


def start_times(quizzes: int, now: datetime, rng: random.Random) -> list[datetime]:
    """Quiz starts spread evenly over HISTORY_DAYS, oldest first, at local practice hours."""
    zone = ZoneInfo(BENCH_TIME_ZONE)
    today = now.astimezone(zone).date()
    starts = []
    for number in range(quizzes):
        day = today - timedelta(days=HISTORY_DAYS - 1 - number * HISTORY_DAYS // quizzes)
        hour = rng.choice(PRACTICE_HOURS)
        local = datetime(day.year, day.month, day.day, hour, rng.randrange(50), tzinfo=zone)
        starts.append(min(local.astimezone(UTC), now - timedelta(hours=1)))
    return sorted(starts)


def right_chance(progress: float) -> float:
    """Accuracy improving from 60% to 85% over the history."""
    return 0.6 + 0.25 * progress


def response_for(question: Question, right: bool, rng: random.Random) -> tuple[str, str]:
    """What the learner gave and the module it stands for, as interpret_response reads it."""
    if question.kind == Kind.RECALL:
        return (question.answer, question.module) if right else ("definitely-not-a-module", "")
    wrong = [i for i, option in enumerate(question.options) if option != question.answer]
    index = question.options.index(question.answer) if right else rng.choice(wrong)
    modules = question.option_modules
    chosen = modules[index] if index < len(modules) else None
    return question.options[index], chosen or ""


def answer_for(
    question: Question, asked: AskedQuestion, shown: datetime, rng: random.Random, chance: float
) -> Answer:
    """An answer as answer_record would store it: right or wrong, timed 4 to 30 s."""
    right = rng.random() < chance
    seconds = rng.uniform(4, 14) if right else rng.uniform(6, 30)
    given, chosen = response_for(question, right, rng)
    return Answer(
        question=asked,
        given=given,
        chosen_module=chosen,
        is_correct=right,
        answered_at=shown + timedelta(seconds=seconds),
        response_ms=int(seconds * 1000),
    )


@dataclass
class Quiz:
    """One attempt and its questions before they are inserted."""

    attempt: Attempt
    questions: list[Question]


def quizzes_plan(
    learner: User, answers: int, catalogue: Catalogue, now: datetime, rng: random.Random
) -> list[Quiz]:
    """Real quizzes from the generator (fixed seeds), one per start time."""
    lengths = list(quiz_lengths(answers))
    plan = []
    for number, (length, started) in enumerate(
        zip(lengths, start_times(len(lengths), now, rng), strict=True)
    ):
        quiz_settings = QuizSettings(count=length)
        questions = generate_quiz(catalogue, quiz_settings, seed=number)
        attempt = Attempt(
            learner=learner,
            settings=quiz_settings.to_json(),
            seed=number,
            catalogue_version=catalogue.version,
            question_count=length,
            answered_count=length,
            started_at=started,
        )
        plan.append(Quiz(attempt, questions))
    return plan


def quiz_answer(
    quiz: Quiz, module_ids: dict[str, int], rng: random.Random, chance: float
) -> list[tuple[AskedQuestion, Answer]]:
    """The quiz's questions as shown and their answers, one every ~40 s; fills in the
    attempt's counts as answer_record would have."""
    rows = []
    moment = quiz.attempt.started_at
    for position, question in enumerate(quiz.questions, start=1):
        asked = attempts.asked_question(
            question,
            attempt=quiz.attempt,
            position=position,
            module_id=module_ids[question.module],
        )
        asked.shown_at = moment
        answer = answer_for(question, asked, moment, rng, chance)
        rows.append((asked, answer))
        moment = answer.answered_at + timedelta(seconds=rng.uniform(2, 8))
    quiz.attempt.correct_count = sum(answer.is_correct for _asked, answer in rows)
    quiz.attempt.finished_at = rows[-1][1].answered_at
    return rows


def history_insert(learner: User, answers: int, rng: random.Random) -> int:
    """Attempts, questions and answers in bulk, each quiz answered in full; returns attempts."""
    catalogue = get_catalogue()
    plan = quizzes_plan(learner, answers, catalogue, timezone.now(), rng)
    module_ids = dict(Module.objects.values_list("name", "pk"))
    rows = [
        row
        for number, quiz in enumerate(plan)
        for row in quiz_answer(quiz, module_ids, rng, right_chance(number / len(plan)))
    ]
    # Each bulk_create sets the primary keys the next one's foreign keys take.
    Attempt.objects.bulk_create([quiz.attempt for quiz in plan], batch_size=CHUNK)
    AskedQuestion.objects.bulk_create([asked for asked, _answer in rows], batch_size=CHUNK)
    Answer.objects.bulk_create([answer for _asked, answer in rows], batch_size=CHUNK)
    return len(plan)


def cards_replay(learner: User) -> None:
    """Every answer through cards.card_review, oldest first, exactly as answer_record
    schedules cards; in one transaction (card_review locks the card's row)."""
    answers = (
        Answer.objects.filter(question__attempt__learner=learner)
        .order_by("answered_at", "pk")
        .values_list(
            "question__kind", "question__module_id", "is_correct", "response_ms", "answered_at"
        )
    )
    for kind, module_id, is_correct, response_ms, answered_at in answers.iterator(CHUNK):
        rating = rating_for(kind=Kind(kind), is_correct=is_correct, response_ms=response_ms)
        cards.card_review(
            learner_id=learner.pk, module_id=module_id, rating=rating, when=answered_at
        )


def bench_learner_create(answers: int) -> Made:
    """The bench learner with `answers` answers over HISTORY_DAYS, and their cards."""
    rng = random.Random("bench_dashboard")
    started = time.perf_counter()
    with transaction.atomic():
        learner = User.objects.create_user(BENCH_USERNAME, email=BENCH_EMAIL, password=None)
        Profile.objects.create(user=learner, time_zone=BENCH_TIME_ZONE)
        attempts = history_insert(learner, answers, rng)
    inserted = time.perf_counter()
    with transaction.atomic():
        cards_replay(learner)
    return Made(attempts, inserted - started, time.perf_counter() - inserted)


# --- Measuring -------------------------------------------------------------------------------


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call of `action`, `runs` times."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def dashboard_measure(learner: User, runs: int) -> Timings:
    """Render the page through the test client, as a browser would get it, `runs` times."""
    client = Client()
    client.force_login(learner)
    url = reverse("quizzes:dashboard")
    zone = ZoneInfo(BENCH_TIME_ZONE)

    def render() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"The dashboard answered {response.status_code}, not 200.")

    # The client's requests come from "testserver", which settings need not allow.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        render()  # warm up: templates compiled, catalogue snapshot read
        # CaptureQueriesContext counts by the length of the connection's query log, which
        # stops growing at 9,000 entries: making the history can fill it, so empty it first.
        reset_queries()
        with CaptureQueriesContext(connection) as page:
            render()
        reset_queries()
        with CaptureQueriesContext(connection) as data:
            learner_dashboard(learner, zone, timezone.now())
        render_ms = timed(render, runs)
    dashboard_ms = timed(lambda: learner_dashboard(learner, zone, timezone.now()), runs)
    return Timings(len(page), len(data), render_ms, dashboard_ms)


def summary(label: str, values: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(values):.1f} ms, "
        f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"
    )


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
