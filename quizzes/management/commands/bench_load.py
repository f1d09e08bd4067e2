"""Load-benchmark the hot paths as production serves them (`make bench`): gunicorn with DEBUG
off, driven by wrk, each endpoint set beside a bare Django view measured by the same server in
the same run. A benchmark to run by hand, not a test."""

from __future__ import annotations

import os
import random
import secrets
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.sessions import SessionStore
from accounts.visitors import VISITOR_SESSION_KEY
from catalogue.models import Module
from catalogue.snapshot import get_catalogue
from classrooms.management.commands.bench_class import BENCH_DOMAIN as CLASS_DOMAIN
from classrooms.management.commands.bench_class import teacher_name
from classrooms.models import Classroom
from config.loadbench import (
    WRK_MISSING,
    Load,
    Request,
    Result,
    Run,
    Server,
    gunicorn_serving,
    healthy_wait,
    production_environment,
    status_of,
    table,
    wrk_path,
    wrk_run,
)
from quizzes.benchmarking import (
    answers_of,
    bench_user_create,
    bench_users,
    cards_build,
    history_insert,
)
from quizzes.generation import generate_quiz
from quizzes.models import AskedQuestion, Attempt
from quizzes.questions import MAX_QUESTIONS, Kind, QuizSettings
from quizzes.services import attempts

# Marks the accounts this command made: it deletes those, never anyone else's.
BENCH_DOMAIN = "bench-load.batteries.invalid"
DASHBOARD_ANSWERS = 10_000
LEARNER_ANSWERS = 300  # each answering learner's history: they have cards
CONNECTIONS = 16
DEFAULT_SECONDS = 8
DEFAULT_ROUNDS = 3
DEFAULT_PORT = 8765
DEFAULT_WORKERS = 2
# Answers prepared per run: enough for this many a second (a run that runs out fails).
ANSWER_CEILING = 1_500
RIGHT_SHARE = 0.7
NOT_A_MODULE = "definitely-not-a-module"
BACKEND = "accounts.backends.ProfileModelBackend"

# Least shares of bare, from the issue that asked for `make bench`.
TARGETS = {
    "question, full page": 0.25,
    "question, HTMX fragment": 0.25,
    "answer POST (HTMX), visitor": 0.20,
    "answer POST (HTMX), signed in": 0.20,
    "catalogue home": 0.25,
    "module page": 0.25,
    "search": 0.15,
    "dashboard, 10,000 answers": 0.10,
    "class dashboard, 30 students": 0.05,
}


class Browser:
    """A browser's cookies for one session: its session key and its CSRF token."""

    def __init__(self, data: dict[str, str]) -> None:
        store = SessionStore()
        store.update(data)
        store.create()
        self.csrf = get_random_string(32)
        self.cookie = (
            f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf}"
        )

    @classmethod
    def of_learner(cls, user: User) -> Browser:
        return cls(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: BACKEND,
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )

    @classmethod
    def of_visitor(cls) -> tuple[Browser, uuid.UUID]:
        visitor = uuid.uuid4()
        return cls({VISITOR_SESSION_KEY: str(visitor)}), visitor

    def get(self, path: str, *, htmx: bool = False) -> Request:
        headers = {"Cookie": self.cookie}
        if htmx:
            headers["HX-Request"] = "true"
        return Request("GET", path, headers)

    def post(self, path: str, form: dict[str, str]) -> Request:
        headers = {
            "Cookie": self.cookie,
            "X-CSRFToken": self.csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return Request("POST", path, headers, urlencode(form))


def quizzes_unanswered(
    owner: User | uuid.UUID, questions: int, rng: random.Random
) -> list[list[AskedQuestion]]:
    """Real quizzes from the generator, started now and not answered, enough for `questions`
    answers; each quiz's questions in order."""
    catalogue = get_catalogue()
    module_ids = dict(Module.objects.values_list("name", "pk"))
    learner = owner if isinstance(owner, User) else None
    visitor = owner if isinstance(owner, uuid.UUID) else None
    plans: list[tuple[Attempt, list[AskedQuestion]]] = []
    made = 0
    while made < questions:
        quiz_settings = QuizSettings(count=MAX_QUESTIONS)
        seed = rng.randrange(2**31)
        generated = generate_quiz(catalogue, quiz_settings, seed=seed)
        attempt = Attempt(
            learner=learner,
            visitor_id=visitor,
            settings=quiz_settings.to_json(),
            seed=seed,
            catalogue_version=catalogue.version,
            question_count=len(generated),
            started_at=timezone.now(),
        )
        asked = [
            attempts.asked_question(
                question, attempt=attempt, position=number, module_id=module_ids[question.module]
            )
            for number, question in enumerate(generated, start=1)
        ]
        plans.append((attempt, asked))
        made += len(asked)
    with transaction.atomic():
        Attempt.objects.bulk_create([attempt for attempt, _asked in plans])
        for attempt, asked in plans:
            for question in asked:
                question.attempt = attempt
        AskedQuestion.objects.bulk_create([q for _attempt, asked in plans for q in asked])
    return [asked for _attempt, asked in plans]


def answer_form(asked: AskedQuestion, rng: random.Random) -> dict[str, str]:
    """What a learner posts: right most of the time, like the learners in the history."""
    right = rng.random() < RIGHT_SHARE
    if asked.kind == Kind.RECALL:
        return {"typed": asked.right_answer if right else NOT_A_MODULE}
    wrong = [i for i, option in enumerate(asked.options) if option != asked.right_answer]
    index = asked.options.index(asked.right_answer) if right else rng.choice(wrong)
    return {"choice": str(index)}


class Command(BaseCommand):
    help = (
        "Load-benchmark the hot paths: serve the app with gunicorn (DEBUG off, the README's "
        "production settings) or load a given --url, drive each page with wrk, and print "
        "requests per second, p50/p99 latency, non-200 answers and each page's share of a bare "
        "/healthz view measured in the same run. Answers are posted to real questions in order; "
        "any answer that is not 200 fails the run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            help="Load this deployment (e.g. http://10.0.0.5:8000) instead of starting gunicorn; "
            "it must use the database this command's settings point at.",
        )
        parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS)
        parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
        parser.add_argument("--port", type=int, default=DEFAULT_PORT)
        parser.add_argument(
            "--only", help="Comma-separated words: run only the endpoints whose label has one."
        )
        parser.add_argument(
            "--cleanup", action="store_true", help="Delete the bench's accounts and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cleanup"]:
            deleted = bench_users(BENCH_DOMAIN).count()
            bench_users(BENCH_DOMAIN).delete()
            self.stdout.write(f"Deleted {deleted} bench accounts and their quizzes.")
            return
        try:
            wrk_path()
        except FileNotFoundError:
            raise CommandError(WRK_MISSING) from None
        if options["seconds"] < 1 or options["rounds"] < 1 or options["workers"] < 1:
            raise CommandError("--seconds, --rounds and --workers must be at least 1.")
        self.rng = random.Random("bench_load")
        self.run_quizzes: list[int] = []
        self.seconds = float(options["seconds"])
        # Sessions and their users' hashes are signed with the server's key: a deployment's
        # own (this command then runs with its settings), else a fresh one for our gunicorn.
        secret_key = settings.SECRET_KEY if options["url"] else secrets.token_urlsafe(50)
        with override_settings(SECRET_KEY=secret_key):
            self.prepare()
        if options["url"]:
            url = options["url"].rstrip("/")
            healthy_wait(url, None)
            results = self.measure(url, None, options)
        else:
            environment = production_environment(database_environment(), secret_key)
            with gunicorn_serving(
                environment, workers=options["workers"], port=options["port"]
            ) as server:
                results = self.measure(server.url, server, options)
        Attempt.objects.filter(pk__in=self.run_quizzes).delete()
        self.report(results, options)

    # --- The data ----------------------------------------------------------------------------

    def prepare(self) -> None:
        """Accounts, sessions and the pages' fixed requests; reused accounts when there."""
        self.stdout.write(f"Database: {connection.vendor}. Preparing the bench's data…")
        learner = self.learner_with_history("bench-load-dashboard", DASHBOARD_ANSWERS)
        answering = [
            self.learner_with_history(f"bench-load-learner-{n:02d}", LEARNER_ANSWERS)
            for n in range(CONNECTIONS)
        ]
        self.answering = [(Browser.of_learner(user), user) for user in answering]
        self.visitors = [Browser.of_visitor() for _ in range(CONNECTIONS)]
        classroom, teacher = self.bench_class()
        reader, visitor = self.visitors[0]
        shown = quizzes_unanswered(visitor, 1, self.rng)[0][0]
        question = reverse("quizzes:question", args=[shown.attempt.public_id, 1])
        me = Browser.of_learner(learner)
        boss = Browser.of_learner(teacher)
        first = classroom.memberships.earliest("student__username").student_id
        self.pages: dict[str, Request] = {
            "bare /healthz": Request("GET", "/healthz"),
            "catalogue home": Request("GET", "/"),
            "module page": Request("GET", reverse("catalogue:module", args=["json"])),
            "search": Request("GET", reverse("catalogue:search") + "?q=compress"),
            "question, full page": reader.get(question),
            "question, HTMX fragment": reader.get(question, htmx=True),
            "dashboard, 10,000 answers": me.get(reverse("quizzes:dashboard")),
            "class dashboard, 30 students": boss.get(classroom.get_absolute_url()),
            "class items report": boss.get(reverse("classrooms:items", args=[classroom.pk])),
            "class student page": boss.get(
                reverse("classrooms:student", args=[classroom.pk, first])
            ),
        }

    def learner_with_history(self, username: str, answers: int) -> User:
        user = bench_users(BENCH_DOMAIN).filter(username=username).first()
        if user is not None and answers_of(user) == answers:
            return user
        if user is not None:
            user.delete()
        elif User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists and is not the bench's.")
        with transaction.atomic():
            user = bench_user_create(username, BENCH_DOMAIN)
            history_insert(user, answers, random.Random(username))
            cards_build(user)
        self.stdout.write(f"  made {username}: {answers} answers and their cards")
        return user

    def bench_class(self) -> tuple[Classroom, User]:
        """bench_class's class of 30 with DASHBOARD_ANSWERS answers, made (or reused) by that
        command, which also renders its pages once."""
        call_command(
            "bench_class", students=30, answers=[DASHBOARD_ANSWERS], runs=1, stdout=self.stdout
        )
        classroom = Classroom.objects.get(
            teacher__username=teacher_name(DASHBOARD_ANSWERS),
            teacher__email__endswith=f"@{CLASS_DOMAIN}",
        )
        return classroom, classroom.teacher

    def answers_load(self, browsers: Sequence[tuple[Browser, User | uuid.UUID]]) -> Load:
        """Fresh quizzes for one run: per connection, its owner's answers in order. The
        previous run's quizzes are deleted first (cards stay as answering left them), so the
        learners' histories keep the size the next `make bench` reuses them at."""
        Attempt.objects.filter(pk__in=self.run_quizzes).delete()
        self.run_quizzes = []
        each = int(ANSWER_CEILING * self.seconds / CONNECTIONS) + 1
        queues = []
        for browser, owner in browsers:
            queue = []
            for quiz in quizzes_unanswered(owner, each, self.rng):
                self.run_quizzes.append(quiz[0].attempt_id)
                for asked in quiz:
                    path = reverse("quizzes:answer", args=[asked.attempt.public_id, asked.position])
                    queue.append(browser.post(path, answer_form(asked, self.rng)))
            queues.append(queue)
        return Load(queues, once=True)

    def loads(self) -> dict[str, Callable[[], Load]]:
        """Every endpoint, by label: a page is one request sent again and again."""

        def page(request: Request) -> Callable[[], Load]:
            return lambda: Load([[request]] * CONNECTIONS)

        loads = {label: page(request) for label, request in self.pages.items()}
        loads["answer POST (HTMX), visitor"] = lambda: self.answers_load(self.visitors)
        loads["answer POST (HTMX), signed in"] = lambda: self.answers_load(self.answering)
        return loads

    # --- Measuring ---------------------------------------------------------------------------

    def measure(self, url: str, server: Server | None, options: dict[str, Any]) -> list[Result]:
        loads = self.loads()
        wanted = [w.strip() for w in (options["only"] or "").split(",") if w.strip()]
        labels = [
            label
            for label in loads
            if label == "bare /healthz" or not wanted or any(w in label for w in wanted)
        ]
        for label in labels:
            if label in self.pages:
                status = status_of(url, self.pages[label])
                if status != 200:
                    raise CommandError(f"{label} answered {status}, not 200: nothing measured.")
        runs: dict[str, list[Run]] = {label: [] for label in labels}
        postgres = connection.vendor == "postgresql" and database_local()
        for number in range(options["rounds"]):
            self.stdout.write(f"Round {number + 1} of {options['rounds']}:")
            for label in labels:
                run = wrk_run(url, loads[label](), self.seconds, server, postgres=postgres)
                runs[label].append(run)
                # Requests still queued when wrk stopped are served before the next endpoint's.
                healthy_wait(url, server.process if server else None, timeout=120)
                self.stdout.write(f"  {label}: {run.describe()}")
        bare = runs["bare /healthz"]
        return [Result(label, runs[label], bare, TARGETS.get(label)) for label in labels]

    def report(self, results: list[Result], options: dict[str, Any]) -> None:
        where = options["url"] or f"gunicorn, {options['workers']} sync workers, DEBUG off"
        self.stdout.write(
            f"\n{connection.vendor}, {where}; {CONNECTIONS} connections, "
            f"{options['rounds']} x {self.seconds:.0f} s per endpoint (medians of the rounds)\n"
        )
        self.stdout.write(table(results))
        failed = [result.label for result in results if result.failed]
        missed = [result.label for result in results if not result.meets_target]
        if missed:
            self.stdout.write(f"\nBelow target: {', '.join(missed)}.")
        if failed:
            raise CommandError(f"Requests failed (not 200) in: {', '.join(failed)}.")
        self.stdout.write("\nEvery request answered 200.")


def database_local() -> bool:
    """Whether the database runs on this machine, where its CPU can be read."""
    return settings.DATABASES["default"].get("HOST", "") in {"", "localhost", "127.0.0.1", "::1"}


def database_environment() -> dict[str, str]:
    """The database this command uses, for gunicorn: the bench's data is there."""
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": str(settings.DATABASES["default"]["NAME"])}
    return {"DATABASE_URL": os.environ["DATABASE_URL"]}
