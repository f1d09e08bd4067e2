"""What the benchmarks share: a learner's history inserted in bulk (real quizzes from the
generator, answered right more often as time goes on), cards and tallies built from it, and
timings summed up and compared across history sizes. For the bench commands, never for
requests."""

from __future__ import annotations

import functools
import math
import random
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, reset_queries
from django.db.models import Count, F, Max, Model, Q, Window
from django.db.models.functions import RowNumber
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from fsrs import Rating

from accounts.models import Profile
from catalogue.models import Module
from catalogue.snapshot import Catalogue, get_catalogue
from config.kept import KEPT
from quizzes.generation import generate_quiz
from quizzes.memory import rating_for, replay
from quizzes.models import Answer, AskedQuestion, Attempt, Card
from quizzes.questions import Kind, Question, QuizSettings
from quizzes.services import attempts, tallies

HISTORY_DAYS = 300
QUIZ_LENGTH = 10
CHUNK = 500  # rows per INSERT: well under SQLite's limit on query parameters
PRACTICE_HOURS = (7, 8, 12, 13, 18, 19, 20, 21)
BENCH_TIME_ZONE = "Europe/Paris"


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: a value that was measured, even with two runs."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def bench_users(domain: str) -> Any:
    """The users one benchmark made: its own email domain marks them."""
    return User.objects.filter(email__endswith=f"@{domain}")


def bench_user_create(username: str, domain: str, role: str = Profile.Role.STUDENT) -> User:
    """A user of a benchmark, with no password (nobody logs in as one) and a profile."""
    user = User.objects.create_user(username, email=f"{username}@{domain}", password=None)
    Profile.objects.create(user=user, time_zone=BENCH_TIME_ZONE, role=role)
    return user


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


QUIZ_POOL = 2_000  # distinct quizzes generated per length; a longer history takes them again
ROWS_PER_WRITE = 5_000  # rows per executemany, so a million answers never sit in memory at once
REPLAYED_PER_MODULE = 30  # a module's latest answers replayed through FSRS for its card


def prepared(row: Model, *, leave: Iterable[str] = ()) -> dict[str, Any]:
    """The row's columns as the database takes them (JSON encoded, UUIDs as it stores them),
    by attribute name, but those to `leave` for the caller to fill in."""
    left = set(leave)
    return {
        field.attname: field.get_db_prep_save(getattr(row, field.attname), connection)
        for field in row._meta.concrete_fields
        if field.attname not in left
    }


def moment(value: datetime) -> Any:
    """A time as the database takes it."""
    return connection.ops.adapt_datetimefield_value(value)


class RowsWriter:
    """New rows of one model, each given the next free primary key and written with
    executemany ROWS_PER_WRITE at a time. Django's bulk_create spends ~0.15 ms a row preparing
    values, over five minutes for a million answers and their questions, where these arrive
    prepared. For a benchmark's database, which nothing else writes to meanwhile: the keys are
    counted on from the largest."""

    def __init__(self, model: type[Model]) -> None:
        fields = model._meta.concrete_fields
        quote = connection.ops.quote_name
        self.names = [field.attname for field in fields]
        self.sql = (
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        self.next_pk: int = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.rows: list[tuple[Any, ...]] = []

    def add(self, **columns: Any) -> int:
        """Queue a row (every column but the primary key); returns its primary key."""
        pk = self.next_pk
        self.next_pk += 1
        columns["id"] = pk
        self.rows.append(tuple(columns[name] for name in self.names))
        if len(self.rows) >= ROWS_PER_WRITE:
            self.write()
        return pk

    def write(self) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, self.rows)
        self.rows.clear()


@dataclass(frozen=True)
class PooledQuiz:
    """A generated quiz: its seed, the attempt's settings and each question's columns, as the
    database takes them (but the attempt, the key and the time shown), to show it again."""

    seed: int
    attempt: dict[str, Any]
    questions: list[tuple[Question, dict[str, Any]]]


class QuizPool:
    """Real quizzes from the generator, up to QUIZ_POOL of each length; past that, one already
    made is drawn again. Generating takes ~5 ms a quiz, too long for 100,000 of them; an
    attempt drawn again keeps the seed and settings that generate its questions exactly."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.module_ids = dict(Module.objects.values_list("name", "pk"))
        self.made: dict[int, list[PooledQuiz]] = {}

    def draw(self, length: int, rng: random.Random) -> PooledQuiz:
        made = self.made.setdefault(length, [])
        if len(made) >= QUIZ_POOL:
            return rng.choice(made)
        seed = rng.randrange(2**31)
        quiz_settings = QuizSettings(count=length)
        attempt = Attempt(
            settings=quiz_settings.to_json(),
            seed=seed,
            catalogue_version=self.catalogue.version,
            question_count=length,
            answered_count=length,
        )
        questions = generate_quiz(self.catalogue, quiz_settings, seed=seed)
        made.append(
            PooledQuiz(
                seed=seed,
                attempt=prepared(attempt, leave=ATTEMPT_OWN),
                questions=[
                    (
                        question,
                        prepared(
                            attempts.asked_question(
                                question,
                                attempt=attempt,
                                position=position,
                                module_id=self.module_ids[question.module],
                            ),
                            leave=("id", "attempt_id", "shown_at"),
                        ),
                    )
                    for position, question in enumerate(questions, start=1)
                ],
            )
        )
        return made[-1]


# What each attempt has of its own; the rest comes from the quiz drawn.
ATTEMPT_OWN = ("id", "public_id", "learner_id", "correct_count", "started_at", "finished_at")


@dataclass(frozen=True)
class History:
    """What history_insert made: how many attempts, and the latest one's key."""

    attempts: int
    last_attempt_id: int


def history_insert(
    learner: User,
    answers: int,
    rng: random.Random,
    *,
    skill: float = 0.0,
    pool: QuizPool | None = None,
) -> History:
    """Attempts, questions and answers in bulk, each quiz answered in full (an answer every
    ~40 s, as answer_record would store it), right more often for a higher `skill` (-0.5 to
    0.4). Call in a transaction."""
    pool = pool or QuizPool(get_catalogue())
    public_id = Attempt._meta.get_field("public_id")
    attempt_rows, asked_rows, answer_rows = (
        RowsWriter(model) for model in (Attempt, AskedQuestion, Answer)
    )
    lengths = list(quiz_lengths(answers))
    starts = start_times(len(lengths), timezone.now(), rng)
    attempt_id = 0
    for number, (length, started) in enumerate(zip(lengths, starts, strict=True)):
        quiz = pool.draw(length, rng)
        chance = right_chance(number / len(lengths), skill)
        attempt_id = attempt_rows.next_pk
        shown, answered, right = started, started, 0
        for question, columns in quiz.questions:
            asked_id = asked_rows.add(**columns, attempt_id=attempt_id, shown_at=moment(shown))
            is_correct = rng.random() < chance
            seconds = rng.uniform(4, 14) if is_correct else rng.uniform(6, 30)
            given, chosen = response_for(question, is_correct, rng)
            answered = shown + timedelta(seconds=seconds)
            answer_rows.add(
                question_id=asked_id,
                given=given,
                chosen_module=chosen,
                is_correct=is_correct,
                answered_at=moment(answered),
                response_ms=int(seconds * 1000),
                gave_up=False,
                corrected_at=None,
            )
            right += is_correct
            shown = answered + timedelta(seconds=rng.uniform(2, 8))
        attempt_rows.add(
            **quiz.attempt,
            public_id=public_id.get_db_prep_save(
                uuid.UUID(int=rng.getrandbits(128), version=4), connection
            ),
            learner_id=learner.pk,
            correct_count=right,
            started_at=moment(started),
            finished_at=moment(answered),
        )
    # Attempts first: their questions and answers refer to them.
    for rows in (attempt_rows, asked_rows, answer_rows):
        rows.write()
    # PostgreSQL's sequences count on from the keys given here (SQLite's do by themselves).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Attempt, AskedQuestion, Answer]):
            cursor.execute(sql)
    return History(len(lengths), attempt_id)


def cards_build(learner: User) -> None:
    """The learner's cards from their answers, then their tallies counted; call in a
    transaction.

    Approximated, so that a million answers take seconds rather than an hour through
    cards.card_review: each card is FSRS's schedule from only the module's last
    REPLAYED_PER_MODULE answers, replayed oldest first as answer_record schedules them (as if
    the first of them were the module's first answer), with `reviews` and `lapses` counted from
    all its answers. Stability and difficulty after thirty reviews hang mostly on those
    reviews, so mastery levels come out near what a full replay gives, and exactly that for a
    module answered no more than thirty times. The dashboards' cost does not depend on the
    values: they read one card row per module answered either way, as many as a full replay
    leaves."""
    answers = Answer.objects.filter(question__attempt__learner=learner)
    module = F("question__module_id")
    counts = {
        row["module"]: row
        for row in answers.values(module=module).annotate(
            reviews=Count("pk"), lapses=Count("pk", filter=Q(is_correct=False))
        )
    }
    latest = (
        answers.annotate(
            rank=Window(
                RowNumber(), partition_by=module, order_by=[F("answered_at").desc(), F("pk").desc()]
            )
        )
        .filter(rank__lte=REPLAYED_PER_MODULE)
        .values_list(module, "question__kind", "is_correct", "response_ms", "answered_at", "pk")
    )
    recent: dict[int, list[tuple[datetime, int, Rating]]] = defaultdict(list)
    for module_id, kind, is_correct, response_ms, answered_at, pk in latest:
        rating = rating_for(kind=Kind(kind), is_correct=is_correct, response_ms=response_ms)
        recent[module_id].append((answered_at, pk, rating))
    made = []
    for module_id, rated in recent.items():
        replayed = replay((rating, when) for when, _pk, rating in sorted(rated))
        assert replayed is not None, "a module with answers"
        card = Card(
            learner=learner,
            module_id=module_id,
            reviews=counts[module_id]["reviews"],
            lapses=counts[module_id]["lapses"],
        )
        card.take(replayed.card)
        made.append(card)
    Card.objects.bulk_create(made, batch_size=CHUNK)
    tallies.tallies_rebuild([learner.pk])


@dataclass(frozen=True)
class PageTimings:
    queries: int  # in one render
    render_ms: list[float]


def pages_measure(pages: Sequence[tuple[User, str]], runs: int) -> list[PageTimings]:
    """Get each page through the test client, signed in as its user, as a browser would: the
    queries of one render, then `runs` timed renders after one to warm up, taken in turn, one
    of each page a round, so that whatever else the machine does meanwhile slows them alike
    and their ratio holds."""
    renders = []
    for user, url in pages:
        client = Client()
        client.force_login(user)
        renders.append(functools.partial(page_get, client, url))
    # The client's requests come from "testserver", which settings need not allow.
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        counted = []
        for render in renders:
            render()  # warm up: templates compiled, catalogue snapshot read
            # CaptureQueriesContext counts by the length of the connection's query log, which
            # stops growing at 9,000 entries: making the history can fill it, so empty it first.
            reset_queries()
            with CaptureQueriesContext(connection) as page:
                render()
            counted.append(len(page))
        times: list[list[float]] = [[] for _ in renders]
        for _ in range(runs):
            for render, measured in zip(renders, times, strict=True):
                measured.extend(timed(render, 1))
    return [PageTimings(queries, ms) for queries, ms in zip(counted, times, strict=True)]


def page_get(client: Client, url: str) -> None:
    """The page as computed: what a dashboard keeps (config.kept) is forgotten first, so each
    render costs what the first view after an answer does, the cost the history could grow."""
    caches[KEPT].clear()
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}, not 200.")


def clock() -> float:
    """Seconds, for timing: the tests of the verdicts set it ahead to make a page slow."""
    return time.perf_counter()


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call of `action`, `runs` times."""
    times = []
    for _ in range(runs):
        started = clock()
        action()
        times.append((clock() - started) * 1000)
    return times


def summary(label: str, values: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(values):.1f} ms, "
        f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"
    )


FLAT_LIMIT = 1.5  # the most a page may take with the largest history, as a share of the least


def flatness(label: str, render_ms: Mapping[int, list[float]]) -> str:
    """Whether a page's median render time stays flat from the smallest history (answers ->
    render times) to the largest: PASS within FLAT_LIMIT times, else FAIL."""
    small, large = min(render_ms), max(render_ms)
    ratio = statistics.median(render_ms[large]) / statistics.median(render_ms[small])
    verdict = "PASS" if ratio <= FLAT_LIMIT else "FAIL"
    return (
        f"{verdict}: {label}, median render at {large:,} answers / at {small:,}: "
        f"{ratio:.2f}x (flat within {FLAT_LIMIT}x)."
    )
