"""Exactly once, under any interleaving: answers raced in real threads, each with its own
database connection, on SQLite and on PostgreSQL (CI runs both).

FSRS scheduling is slowed down inside the answer's transaction so that the racing requests
really overlap there: before the fix, two first answers about one module both found no card
and one of them failed on the unique constraint, losing the answer with a 500.
"""

import threading
import time
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from quizzes import memory
from quizzes.models import Answer, Attempt, Card
from quizzes.services import attempts, cards
from tests.factories import AttemptFactory, UserFactory
from tests.quiz_helpers import right_response, signed_in

pytestmark = pytest.mark.usefixtures("catalogue_db")

TRIALS = 6


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment in threads; return what each returned or raised."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results[index] = call()
        except Exception as error:  # the test asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def slow_scheduling(monkeypatch):
    """FSRS takes a while: a racing transaction catches up with this one inside it."""
    review = memory.review

    def slow_review(*args: Any, **kwargs: Any):
        time.sleep(0.05)
        return review(*args, **kwargs)

    monkeypatch.setattr(cards, "review", slow_review)


def post_answer(client: Client, attempt: Attempt) -> Callable[[], int]:
    asked = attempt.questions.get(position=1)
    url = reverse("quizzes:answer", args=[attempt.public_id, 1])
    data = right_response(asked)
    return lambda: client.post(url, data).status_code


@pytest.mark.usefixtures("slow_scheduling")
def test_two_quizzes_about_one_module_answered_at_once_both_count():
    for trial in range(TRIALS):
        learner = UserFactory.create()
        module = ["json", "re", "os", "csv", "math", "time"][trial]
        first, second = AttemptFactory.create_batch(2, learner=learner, modules=(module,))

        statuses = run_together(
            post_answer(signed_in(learner), first), post_answer(signed_in(learner), second)
        )

        assert statuses == [302, 302], statuses
        assert Answer.objects.filter(question__attempt__learner=learner).count() == 2
        card = Card.objects.get(learner=learner, module__name=module)
        assert card.reviews == 2  # once per answer, never lost, never twice


@pytest.mark.usefixtures("slow_scheduling")
def test_the_same_question_answered_at_once_is_recorded_once():
    for _trial in range(TRIALS):
        learner = UserFactory.create()
        attempt = AttemptFactory.create(learner=learner, modules=("json",))
        client = signed_in(learner)

        statuses = run_together(*(post_answer(client, attempt) for _ in range(3)))

        # One answer wins; the others are told it was answered already, and change nothing.
        assert sorted(statuses) == [302, 409, 409], statuses
        assert Answer.objects.filter(question__attempt=attempt).count() == 1
        assert Card.objects.get(learner=learner).reviews == 1
        attempt.refresh_from_db()
        assert (attempt.answered_count, attempt.correct_count) == (1, 1)


@pytest.mark.usefixtures("slow_scheduling")
def test_a_claim_on_log_in_racing_a_live_answer_counts_every_answer_once():
    for _trial in range(TRIALS):
        learner = UserFactory.create()
        visitor = uuid.uuid4()
        attempt = AttemptFactory.create(
            learner=None, visitor_id=visitor, modules=("json", "pickle")
        )
        first, second = attempt.questions.order_by("position")
        attempts.answer_record(asked=first, response=right_response(first)["choice"])
        second.refresh_from_db()

        response = right_response(second)["choice"]
        results = run_together(
            partial(account_services.visitor_claim, user=learner, visitor=visitor),
            partial(attempts.answer_record, asked=second, response=response),
        )

        assert results[0] == 1, results
        assert isinstance(results[1], Answer), results
        attempt.refresh_from_db()
        assert attempt.learner == learner
        assert attempt.answered_count == 2
        # Both answers scheduled the account's cards, each exactly once, whichever came first.
        cards = dict(Card.objects.filter(learner=learner).values_list("module__name", "reviews"))
        assert cards == {"json": 1, "pickle": 1}


def test_a_lost_race_for_a_card_is_never_a_server_error():
    """Even without the slow-down: a burst of first answers about one module."""
    learner = UserFactory.create()
    quizzes = AttemptFactory.create_batch(4, learner=learner, modules=("json",))
    clients = [signed_in(learner) for _ in quizzes]

    statuses = run_together(*(post_answer(c, q) for c, q in zip(clients, quizzes, strict=True)))

    assert statuses == [302] * 4
    assert Card.objects.get(learner=learner).reviews == 4
