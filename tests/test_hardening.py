"""HEAD wherever GET, private pages kept out of caches, a content security policy, the
demo accounts protected, and abandoned practice pruned."""

import io
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accounts import services as account_services
from accounts.models import Profile, Session
from quizzes.management.commands.seed_demo import DEMO_PASSWORD
from quizzes.models import Attempt
from quizzes.questions import Kind
from tests.factories import AttemptFactory, UserFactory
from tests.quiz_helpers import PASSWORD, finish, logs_in, signed_in, start

pytestmark = pytest.mark.django_db


# --- HEAD ------------------------------------------------------------------------------------


def get_pages(client: Client) -> list[str]:
    attempt = start(client)
    return [
        reverse("catalogue:home"),
        reverse("catalogue:search") + "?q=json",
        reverse("catalogue:category", args=["networking"]),
        reverse("catalogue:module", args=["json"]),
        reverse("catalogue:lookalikes"),
        reverse("quizzes:practice"),
        reverse("quizzes:dashboard"),
        reverse("quizzes:attempt", args=[attempt.public_id]),
        reverse("quizzes:question", args=[attempt.public_id, 1]),
        reverse("settings"),
        reverse("password_change"),
        reverse("login"),
        reverse("signup"),
        reverse("password_reset"),
        reverse("catalogue:module", args=["no-such-module"]),
    ]


def test_head_answers_wherever_get_does():
    client = signed_in(UserFactory.create())
    for url in get_pages(client):
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == get.status_code, url
        assert head.content == b"", url


def test_head_does_not_start_the_clock_on_a_question():
    client = Client()
    attempt = start(client)
    client.head(reverse("quizzes:question", args=[attempt.public_id, 1]))
    assert attempt.questions.get(position=1).shown_at is None


# --- Caching and content security policy ----------------------------------------------------


def test_learner_pages_are_private_and_never_stored():
    client = signed_in(UserFactory.create())
    attempt = start(client)
    for url in [
        reverse("quizzes:dashboard"),
        reverse("quizzes:question", args=[attempt.public_id, 1]),
        reverse("settings"),
        reverse("catalogue:home"),  # it names the learner in its header
    ]:
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control, url
        assert "no-store" in cache_control, url


def test_a_visitors_quiz_is_private_too():
    client = Client()
    attempt = start(client)
    response = client.get(reverse("quizzes:question", args=[attempt.public_id, 1]))
    assert "no-store" in response["Cache-Control"]


def test_a_private_page_has_the_headers_djangos_never_cache_gives(monkeypatch):
    """The headers are written out rather than worked out (config.middleware): the same."""
    monkeypatch.setattr(time, "time", lambda: 1_790_000_000.75)
    expected = HttpResponse()
    add_never_cache_headers(expected)
    response = signed_in(UserFactory.create()).get(reverse("quizzes:dashboard"))
    for header in ("Cache-Control", "Expires"):
        assert response[header] == expected[header], header


def test_a_first_visit_to_the_catalogue_shares_nothing_private():
    response = Client().get(reverse("catalogue:home"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_has_a_content_security_policy_without_inline_scripts():
    policy = Client().get(reverse("catalogue:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


# --- Demo accounts ---------------------------------------------------------------------------


@pytest.fixture
def demo_student() -> User:
    return UserFactory.create(
        username="ada",
        email="ada@" + account_services.DEMO_EMAIL_DOMAIN,
        password=DEMO_PASSWORD,
        profile__is_demo=True,
    )


def test_sign_up_refuses_the_demo_email_domain(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "mallory",
            "email": "Mallory@" + account_services.DEMO_EMAIL_DOMAIN.upper(),
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "student",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 400
    message = account_services.DEMO_EMAIL_REFUSED.format(domain=account_services.DEMO_EMAIL_DOMAIN)
    assert message in response.context["form"].errors["email"]
    assert not User.objects.filter(username="mallory").exists()


def test_a_demo_account_cannot_change_its_password(demo_student):
    client = signed_in(demo_student)
    page = client.get(reverse("password_change"))
    assert page.status_code == 403
    assert account_services.DEMO_ACCOUNT_LOCKED in page.content.decode().replace("&#x27;", "'")
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 403
    assert logs_in("ada", DEMO_PASSWORD)


def test_a_demo_account_gets_no_password_reset_mail(demo_student, client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": demo_student.email})
    assert response.status_code == 302  # the same answer as for any address
    assert mailoutbox == []


def test_seed_demo_reset_deletes_only_accounts_marked_as_demo(demo_student):
    # A real account whose address happens to be at the demo domain (made before sign-up
    # refused it) is not a demo account: only the flag says so.
    UserFactory.create(username="mallory", email="mallory@" + account_services.DEMO_EMAIL_DOMAIN)
    call_command("seed_demo", "--reset", "--days", "1", stdout=io.StringIO())
    assert User.objects.filter(username="mallory").exists()
    assert Profile.objects.filter(is_demo=True).count() == 5
    assert not Profile.objects.filter(user__username="mallory", is_demo=True).exists()


# --- Pruning ---------------------------------------------------------------------------------


def test_prune_deletes_abandoned_visitor_quizzes_and_expired_sessions():
    now = timezone.now()
    old_visit = Client()
    old = start(old_visit)
    Attempt.objects.filter(pk=old.pk).update(started_at=now - timedelta(days=31))
    recent = start(Client())
    # A learner's quiz, however old.
    kept = AttemptFactory.create(kinds=(Kind.RECALL,), started_at=now - timedelta(days=400))
    Session.objects.update(expire_date=now - timedelta(days=1))
    current = Client()
    finish(current, start(current))  # a current session, kept

    out = io.StringIO()
    call_command("prune", stdout=out)

    assert set(Attempt.objects.values_list("pk", flat=True)) >= {recent.pk, kept.pk}
    assert not Attempt.objects.filter(pk=old.pk).exists()
    assert Session.objects.filter(expire_date__gt=now).exists()
    assert not Session.objects.filter(expire_date__lt=now).exists()
    assert "Deleted 1 visitors' quizzes older than 30 days" in out.getvalue()


def test_prune_takes_an_age():
    start(Client())
    Attempt.objects.update(started_at=timezone.now() - timedelta(days=3))
    call_command("prune", "--days", "7", stdout=io.StringIO())
    assert Attempt.objects.count() == 1
    call_command("prune", "--days", "2", stdout=io.StringIO())
    assert Attempt.objects.count() == 0


# --- NUL bytes -------------------------------------------------------------------------------


def test_a_form_holding_a_nul_byte_is_a_400_and_saves_nothing(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "nul\x00",
            "email": "nul@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "student",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(username__startswith="nul").exists()


def test_an_address_holding_a_nul_byte_is_the_friendly_404(client):
    response = client.get("/modules/%00/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()
