"""Throttling: wrong passwords lock an account and then an address; quizzes start at a human
pace. Each limit answers with a clear page and a 429, and changes nothing."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.throttling import ACCOUNT_LOCKED, ADDRESS_LOCKED, cooloff_minutes
from quizzes.models import Attempt
from tests.factories import UserFactory
from tests.quiz_helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")


def log_in(client: Client, username: str, password: str, url: str = LOGIN):
    return client.post(url, {"username": username, "password": password})


def test_an_account_is_locked_at_the_fifth_wrong_password_even_for_the_right_one():
    UserFactory.create(username="ada")
    client = Client()
    for _ in range(4):
        assert log_in(client, "ada", "wrong").status_code == 400  # the form's own error
    assert log_in(client, "ada", "wrong").status_code == 429

    response = log_in(client, "ada", PASSWORD)

    assert response.status_code == 429
    assert ACCOUNT_LOCKED.format(minutes=cooloff_minutes()) in response.content.decode()
    assert response["Retry-After"] == str(cooloff_minutes() * 60)
    assert "_auth_user_id" not in client.session
    # Another account on the same address is not locked by it.
    UserFactory.create(username="grace")
    assert log_in(Client(), "grace", PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off():
    UserFactory.create(username="ada")
    for _ in range(5):
        log_in(Client(), "ada", "wrong")
    assert log_in(Client(), "ada", PASSWORD).status_code == 429

    past = timezone.now() - timedelta(minutes=cooloff_minutes() + 1)
    AccessAttempt.objects.update(attempt_time=past)

    assert log_in(Client(), "ada", PASSWORD).status_code == 302


def test_a_right_password_before_the_limit_starts_the_count_again():
    UserFactory.create(username="ada")
    for _ in range(4):
        log_in(Client(), "ada", "wrong")
    assert log_in(Client(), "ada", PASSWORD).status_code == 302
    for _ in range(4):
        log_in(Client(), "ada", "wrong")
    assert log_in(Client(), "ada", PASSWORD).status_code == 302


def test_the_admin_log_in_locks_the_account_too():
    UserFactory.create(username="root", is_staff=True, is_superuser=True, profile=None)
    for _ in range(4):
        assert log_in(Client(), "root", "wrong", ADMIN_LOGIN).status_code == 200
    assert log_in(Client(), "root", "wrong", ADMIN_LOGIN).status_code == 429
    response = log_in(Client(), "root", PASSWORD, ADMIN_LOGIN)
    assert response.status_code == 429
    assert ACCOUNT_LOCKED.format(minutes=cooloff_minutes()) in response.content.decode()


@override_settings(LOGIN_FAILURES_PER_ADDRESS=8)
def test_an_address_is_paused_after_many_failures_across_accounts():
    UserFactory.create(username="ada")
    for number in range(8):
        # A different (unknown) account each time: no single account gets locked.
        log_in(Client(), f"guess{number}", "wrong")

    response = log_in(Client(), "ada", PASSWORD)

    assert response.status_code == 429
    assert ADDRESS_LOCKED.format(minutes=cooloff_minutes()) in response.content.decode()
    # Another address can still log in.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert log_in(other, "ada", PASSWORD).status_code == 302


@override_settings(QUIZ_STARTS_PER_SESSION="3/m")
def test_starting_quizzes_is_limited_per_session_with_a_friendly_page():
    client = Client()
    data = {"count": 5, "kinds": ["recall"], "difficulty": "easy"}
    for _ in range(3):
        assert client.post(reverse("quizzes:practice"), data).status_code == 302

    response = client.post(reverse("quizzes:practice"), data)

    assert response.status_code == 429
    assert "One moment, please" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert Attempt.objects.count() == 3
    # Another browser is not held back by this one.
    assert Client().post(reverse("quizzes:practice"), data).status_code == 302


@override_settings(QUIZ_STARTS_PER_ADDRESS="4/m")
def test_starting_quizzes_is_limited_per_address():
    data = {"count": 5, "kinds": ["recall"], "difficulty": "easy"}
    statuses = [Client().post(reverse("quizzes:practice"), data).status_code for _ in range(6)]
    assert statuses == [302] * 4 + [429] * 2
    assert Attempt.objects.count() == 4


@override_settings(QUIZ_STARTS_PER_SESSION="1/m")
def test_every_way_of_starting_a_quiz_is_limited():
    learner = UserFactory.create()
    client = Client()
    client.force_login(learner)
    data = {"count": 5, "kinds": ["recall"], "difficulty": "easy"}
    assert client.post(reverse("quizzes:practice"), data).status_code == 302
    for name in ["quizzes:review", "quizzes:weak_spots"]:
        assert client.post(reverse(name)).status_code == 429
    assert Attempt.objects.count() == 1


def test_reading_pages_is_not_limited():
    client = Client()
    for _ in range(30):
        assert client.get(reverse("quizzes:practice")).status_code == 200
