"""The bench commands' history, made in bulk, and their verdict on whether a page's render time
stays flat as the history grows: PASS within the limit, FAIL beyond it."""

import io
import random
import time

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

import classrooms.views
import quizzes.views
from catalogue.snapshot import get_catalogue
from classrooms.management.commands.bench_class import class_name
from quizzes import benchmarking
from quizzes.benchmarking import FLAT_LIMIT, cards_build, flatness, history_insert
from quizzes.generation import generate_quiz
from quizzes.management.commands.bench_dashboard import bench_username
from quizzes.memory import rating_for, replay
from quizzes.models import Answer, AskedQuestion, Attempt, Card, DayTally, ItemTally
from quizzes.questions import Kind, QuizSettings
from tests.factories import AttemptFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_flatness_passes_up_to_the_limit_and_fails_beyond_it():
    assert flatness("Page", {10: [10.0, 12.0, 8.0], 1000: [15.0, 14.0, 16.0]}).startswith("PASS")
    failed = flatness("Page", {1000: [15.1, 15.1], 10: [10.0, 10.0]})
    assert failed.startswith("FAIL: Page")
    assert "1,000 answers / at 10: 1.51x" in failed
    assert f"within {FLAT_LIMIT}x" in failed


@pytest.fixture
def slowed(monkeypatch):
    """slowed(function, seconds_for): `function` taking as long again as seconds_for(its first
    argument) says, on the benchmarks' clock, which is set ahead rather than waited for."""
    ahead = [0.0]
    monkeypatch.setattr(benchmarking, "clock", lambda: time.perf_counter() + ahead[0])

    def slowed(function, seconds_for):
        def slow(subject, *args, **kwargs):
            ahead[0] += seconds_for(subject)
            return function(subject, *args, **kwargs)

        return slow

    return slowed


def test_bench_dashboard_reports_each_size_and_passes_when_renders_take_as_long(
    monkeypatch, slowed
):
    # Both dashboards take a minute longer: next to that, they take the same time.
    monkeypatch.setattr(
        quizzes.views,
        "learner_dashboard",
        slowed(quizzes.views.learner_dashboard, lambda _user: 60.0),
    )
    out = io.StringIO()
    call_command("bench_dashboard", "--answers", "50", "200", "--runs", "3", stdout=out)
    report = out.getvalue()

    for answers in (50, 200):
        assert f"Made {bench_username(answers)}: {answers} answers" in report
        assert f"{bench_username(answers)}: {answers} answers, " in report
    assert report.count("Queries per dashboard render:") == 2
    assert report.count("p95") == 4  # the page and learner_dashboard(), for each size
    assert "PASS: Student dashboard, median render at 200 answers / at 50:" in report

    again = io.StringIO()
    call_command("bench_dashboard", "--answers", "200", "50", "--runs", "1", stdout=again)
    assert f"Reusing {bench_username(50)}." in again.getvalue()
    assert f"Reusing {bench_username(200)}." in again.getvalue()


def test_bench_dashboard_fails_when_the_longer_history_renders_slower(monkeypatch, slowed):
    monkeypatch.setattr(
        quizzes.views,
        "learner_dashboard",
        slowed(
            quizzes.views.learner_dashboard,
            lambda user: 60.0 if user.username == bench_username(200) else 0.0,
        ),
    )
    out = io.StringIO()
    call_command("bench_dashboard", "--answers", "50", "200", "--runs", "2", stdout=out)

    assert "FAIL: Student dashboard, median render at 200 answers / at 50:" in out.getvalue()


def test_bench_dashboard_with_one_size_gives_no_verdict():
    out = io.StringIO()
    call_command("bench_dashboard", "--answers", "30", "--runs", "1", stdout=out)

    assert "median" in out.getvalue()
    assert "PASS" not in out.getvalue()
    assert "FAIL" not in out.getvalue()


def test_bench_class_passes_or_fails_each_page_by_its_renders(monkeypatch, slowed):
    def slower_for_the_larger_class(classroom):
        return 60.0 if classroom.name == class_name(80) else 0.0

    monkeypatch.setattr(
        classrooms.views.reports,
        "class_dashboard",
        slowed(classrooms.views.reports.class_dashboard, slower_for_the_larger_class),
    )
    out = io.StringIO()
    call_command(
        "bench_class", "--students", "2", "--answers", "20", "80", "--runs", "2", stdout=out
    )
    report = out.getvalue()

    assert report.count("p95") == 6  # three pages, two classes
    assert "FAIL: Class dashboard, median render at 80 answers / at 20:" in report
    assert "Items report, median render at 80 answers / at 20:" in report
    assert User.objects.filter(memberships__classroom__name=class_name(80)).count() == 2
    class_answers = Answer.objects.filter(
        question__attempt__learner__memberships__classroom__name=class_name(80)
    )
    assert class_answers.count() == 80


def history(answers: int, **kwargs) -> User:
    learner = UserFactory.create()
    history_insert(learner, answers, random.Random(answers), **kwargs)
    return learner


def test_history_is_quizzes_answered_in_full_that_their_seeds_generate(monkeypatch):
    # Fewer quizzes in the pool than the history takes: some are drawn again.
    monkeypatch.setattr(benchmarking, "QUIZ_POOL", 3)
    learner = history(95)

    attempts = Attempt.objects.filter(learner=learner)
    assert attempts.count() == 10
    assert len(set(attempts.values_list("seed", flat=True))) == 4  # 3 of 10 questions, 1 of 5
    catalogue = get_catalogue()
    for attempt in attempts:
        asked = list(attempt.questions.select_related("answer", "module").order_by("position"))
        generated = generate_quiz(
            catalogue, QuizSettings.from_json(attempt.settings), seed=attempt.seed
        )
        assert [(q.module.name, q.prompt) for q in asked] == [
            (q.module, q.prompt) for q in generated
        ]
        assert attempt.question_count == attempt.answered_count == len(asked)
        assert attempt.correct_count == sum(q.answer.is_correct for q in asked)
        assert attempt.finished_at == asked[-1].answer.answered_at
    # Rows made the usual way afterwards take keys of their own.
    inserted = max(attempts.values_list("pk", flat=True))
    assert AttemptFactory.create(learner=learner, answered=True).pk > inserted


def test_cards_are_replayed_from_each_modules_last_answers_and_count_them_all(monkeypatch):
    monkeypatch.setattr(benchmarking, "REPLAYED_PER_MODULE", 2)
    learner = history(300)
    cards_build(learner)

    answers = Answer.objects.filter(question__attempt__learner=learner).order_by(
        "answered_at", "pk"
    )
    by_module: dict[int, list[Answer]] = {}
    for answer in answers.select_related("question"):
        by_module.setdefault(answer.question.module_id, []).append(answer)
    cards = {card.module_id: card for card in Card.objects.filter(learner=learner)}
    assert cards.keys() == by_module.keys()
    assert any(len(given) > 2 for given in by_module.values())
    for module_id, given in by_module.items():
        expected = replay(
            (
                rating_for(
                    kind=Kind(a.question.kind), is_correct=a.is_correct, response_ms=a.response_ms
                ),
                a.answered_at,
            )
            for a in given[-2:]
        )
        assert expected is not None
        card = cards[module_id]
        assert (card.stability, card.difficulty, card.due) == (
            expected.card.stability,
            expected.card.difficulty,
            expected.card.due,
        )
        assert card.reviews == len(given)
        assert card.lapses == sum(not a.is_correct for a in given)
    # The tallies count every answer.
    assert sum(ItemTally.objects.filter(learner=learner).values_list("asked", flat=True)) == 300
    assert sum(DayTally.objects.filter(learner=learner).values_list("answered", flat=True)) == 300
    shown = AskedQuestion.objects.filter(attempt__learner=learner)
    assert shown.count() == 300
    assert not shown.filter(Q(shown_at__isnull=True) | Q(shown_at__gte=timezone.now())).exists()
