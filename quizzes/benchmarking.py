"""What the benchmarks share: a learner's history inserted in bulk (real quizzes from the
generator, answered right more often as time goes on), cards replayed from it exactly as
answers schedule them, and timings summed up. For the bench commands, never for requests."""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from catalogue.models import Module
from catalogue.snapshot import Catalogue, get_catalogue
from quizzes.generation import generate_quiz
from quizzes.memory import rating_for
from quizzes.models import Answer, AskedQuestion, Attempt
from quizzes.questions import Kind, Question, QuizSettings
from quizzes.services import attempts, cards, tallies

HISTORY_DAYS = 300
QUIZ_LENGTH = 10
CHUNK = 500  # rows per INSERT: well under SQLite's limit on query parameters
PRACTICE_HOURS = (7, 8, 12, 13, 18, 19, 20, 21)
BENCH_TIME_ZONE = "Europe/Paris"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: a value that was measured, even with two runs."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def answers_of(learner: User) -> int:
    return Answer.objects.filter(question__attempt__learner=learner).count()


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


def right_chance(progress: float, skill: float) -> float:
    """Accuracy improving by 25 points over the history, from 60% plus the learner's skill."""
    return min(0.97, max(0.05, 0.6 + skill + 0.25 * progress))


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
    """Real quizzes from the generator (seeds from `rng`), one per start time."""
    lengths = list(quiz_lengths(answers))
    plan = []
    for length, started in zip(lengths, start_times(len(lengths), now, rng), strict=True):
        quiz_settings = QuizSettings(count=length)
        seed = rng.randrange(2**31)
        questions = generate_quiz(catalogue, quiz_settings, seed=seed)
        attempt = Attempt(
            learner=learner,
            settings=quiz_settings.to_json(),
            seed=seed,
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


def history_insert(
    learner: User, answers: int, rng: random.Random, *, skill: float = 0.0
) -> list[Attempt]:
    """Attempts, questions and answers in bulk, each quiz answered in full, right more often
    for a higher `skill` (-0.5 to 0.4); returns the attempts, oldest first."""
    catalogue = get_catalogue()
    plan = quizzes_plan(learner, answers, catalogue, timezone.now(), rng)
    module_ids = dict(Module.objects.values_list("name", "pk"))
    rows = [
        row
        for number, quiz in enumerate(plan)
        for row in quiz_answer(quiz, module_ids, rng, right_chance(number / len(plan), skill))
    ]
    # Each bulk_create sets the primary keys the next one's foreign keys take.
    Attempt.objects.bulk_create([quiz.attempt for quiz in plan], batch_size=CHUNK)
    AskedQuestion.objects.bulk_create([asked for asked, _answer in rows], batch_size=CHUNK)
    Answer.objects.bulk_create([answer for _asked, answer in rows], batch_size=CHUNK)
    return [quiz.attempt for quiz in plan]


def cards_replay(learner: User) -> None:
    """Every answer through cards.card_review, oldest first, exactly as answer_record
    schedules cards, then the learner's tallies counted; call in a transaction
    (card_review locks the card's row)."""
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
    tallies.tallies_rebuild([learner.pk])


@dataclass(frozen=True)
class PageTimings:
    queries: int  # in one render
    render_ms: list[float]


def page_measure(user: User, url: str, runs: int) -> PageTimings:
    """Get the page through the test client, signed in as `user`, as a browser would: the
    queries of one render, then `runs` timed renders after one to warm up."""
    client = Client()
    client.force_login(user)

    def render() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}, not 200.")

    # The client's requests come from "testserver", which settings need not allow.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        render()  # warm up: templates compiled, catalogue snapshot read
        # CaptureQueriesContext counts by the length of the connection's query log, which
        # stops growing at 9,000 entries: making the history can fill it, so empty it first.
        reset_queries()
        with CaptureQueriesContext(connection) as page:
            render()
        return PageTimings(len(page), timed(render, runs))


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call of `action`, `runs` times."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def summary(label: str, values: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(values):.1f} ms, "
        f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"
    )
