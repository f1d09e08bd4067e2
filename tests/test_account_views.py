"""Accounts as a browser without JavaScript uses them: sign up, log in and out, passwords,
settings, and that practice done as a visitor comes along; nobody reaches another's attempts."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.forms import SignupForm
from accounts.models import Profile
from quizzes.models import Answer, Attempt, Card
from tests.factories import UserFactory
from tests.quiz_helpers import PASSWORD, finish, logs_in, right_response, signed_in, start

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Other-Staple-9-Correct"


def signup_data(**fields) -> dict[str, str]:
    return {
        "username": "grace",
        "email": "grace@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "student",
        "time_zone": "Europe/Paris",
        **fields,
    }


def page_text(response) -> str:
    return response.content.decode()


# --- signing up -----------------------------------------------------------------------------


def test_signup_page_offers_the_form(client):
    response = client.get(reverse("signup"))
    html = page_text(response)
    assert response.status_code == 200
    for name in ("username", "email", "password1", "password2", "role"):
        assert f'name="{name}"' in html
    assert 'type="hidden" name="time_zone"' in html
    assert "Student" in html
    assert "Teacher" in html


@pytest.mark.parametrize("role", ["student", "teacher"])
def test_signing_up_stores_role_and_time_zone_and_signs_in(client, role):
    response = client.post(reverse("signup"), signup_data(role=role))

    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:dashboard")
    user = User.objects.get(username="grace")
    assert user.email == "grace@example.com"
    assert user.check_password(PASSWORD)
    profile = Profile.objects.get(user=user)
    assert (profile.role, profile.time_zone) == (role, "Europe/Paris")
    dashboard = client.get(response["Location"])
    assert dashboard.status_code == 200
    assert "Welcome to Batteries, grace!" in page_text(dashboard)


def test_signed_in_people_are_sent_from_signup_to_their_dashboard():
    client = signed_in(UserFactory.create())
    response = client.get(reverse("signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:dashboard")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password2": "Tr1cky-Battery-Hors"}, "The two password fields didn"),
        ({"password1": "password123", "password2": "password123"}, "This password is too common."),
        ({"password1": "x7", "password2": "x7"}, "This password is too short."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"username": ""}, "This field is required."),
        ({"role": "headmaster"}, "Select a valid choice."),
    ],
)
def test_invalid_signups_are_a_400_and_make_no_user(client, fields, message):
    response = client.post(reverse("signup"), signup_data(**fields))
    assert response.status_code == 400
    assert escape(message) in page_text(response)
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_a_taken_username_is_a_400_whatever_its_case(client):
    UserFactory.create(username="grace")
    response = client.post(reverse("signup"), signup_data(username="Grace"))
    assert response.status_code == 400
    assert "A user with that username already exists." in page_text(response)
    assert User.objects.count() == 1


def test_an_unknown_time_zone_is_a_400_and_makes_no_user(client):
    response = client.post(reverse("signup"), signup_data(time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 400
    assert not User.objects.exists()


def test_an_unknown_time_zone_says_what_is_wrong(client):
    response = client.post(reverse("signup"), signup_data(time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 400
    assert "is not a time zone we know" in page_text(response)


def test_the_email_is_optional_and_the_form_says_what_it_is_for(client):
    html = page_text(client.get(reverse("signup")))
    assert "Email (optional)" in html
    assert escape(SignupForm.base_fields["email"].help_text) in html
    assert "forgotten password cannot be reset" in html


def test_signing_up_without_an_email(client):
    response = client.post(reverse("signup"), signup_data(email=""))
    assert response.status_code == 302
    user = User.objects.get(username="grace")
    assert user.email == ""
    assert Profile.objects.filter(user=user).exists()


def test_any_number_of_accounts_may_have_no_email():
    UserFactory.create(username="ada", email="")
    for username in ("grace", "linus"):
        response = Client().post(reverse("signup"), signup_data(username=username, email=""))
        assert response.status_code == 302, page_text(response)
    assert User.objects.filter(email="").count() == 3


def test_the_reset_page_says_accounts_without_an_email_cannot_reset(client, mailoutbox):
    UserFactory.create(username="ada", email="")
    page = page_text(client.get(reverse("password_reset")))
    assert "Accounts made without an email address can't reset their password by mail." in page
    response = client.post(reverse("password_reset"), {"email": ""})
    assert "This field is required." in page_text(response)
    assert mailoutbox == []


# --- practice as a visitor comes along --------------------------------------------------------


def test_signing_up_after_practising_keeps_the_practice(client):
    attempt = start(client, count=5)
    finish(client, attempt, wrong_positions={2})
    second = start(client, count=5)  # started, not finished
    first_modules = list(attempt.questions.values_list("module__name", flat=True))

    response = client.post(reverse("signup"), signup_data(), follow=True)

    user = User.objects.get(username="grace")
    assert set(Attempt.objects.values_list("learner", flat=True)) == {user.pk}
    assert not Attempt.objects.filter(visitor_id__isnull=False).exists()
    cards = set(Card.objects.filter(learner=user).values_list("module__name", flat=True))
    assert cards == set(first_modules)
    html = page_text(response)
    assert "Your practice so far (2 quizzes) is saved to your account." in html
    assert reverse("quizzes:summary", args=[attempt.public_id]) in html
    assert reverse("quizzes:attempt", args=[second.public_id]) in html
    assert "Welcome! Let" not in html  # not the first-run page


def test_the_visitors_unfinished_quiz_goes_on_in_the_account(client):
    attempt = start(client, count=5)
    finish_two = attempt.questions.order_by("position")[:2]
    for asked in finish_two:
        url = reverse("quizzes:answer", args=[attempt.public_id, asked.position])
        client.post(url, right_response(asked))
    client.post(reverse("signup"), signup_data())

    third = attempt.questions.get(position=3)
    url = reverse("quizzes:answer", args=[attempt.public_id, 3])
    assert client.post(url, right_response(third)).status_code == 302
    user = User.objects.get(username="grace")
    assert Card.objects.filter(learner=user).count() == len(
        {q.module_id for q in attempt.questions.filter(position__lte=3)}
    )


def test_logging_in_after_practising_claims_the_practice_too(client):
    user = UserFactory.create(username="ada")
    attempt = start(client, count=5)
    finish(client, attempt)

    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("quizzes:dashboard")
    attempt.refresh_from_db()
    assert attempt.learner == user
    assert attempt.visitor_id is None
    assert Card.objects.filter(learner=user).count() == len(
        set(attempt.questions.values_list("module", flat=True))
    )
    html = page_text(response)
    assert "Your practice so far (1 quiz) is saved to your account." in html
    assert reverse("quizzes:summary", args=[attempt.public_id]) in html


def test_a_wrong_password_is_a_400_and_claims_nothing(client):
    UserFactory.create(username="ada")
    attempt = start(client, count=5)
    response = client.post(reverse("login"), {"username": "ada", "password": "nope"})
    assert response.status_code == 400
    assert "Please enter a correct username and password" in page_text(response)
    attempt.refresh_from_db()
    assert attempt.learner is None
    assert "_auth_user_id" not in client.session


def test_login_page_offers_signup_and_password_reset(client):
    html = page_text(client.get(reverse("login")))
    assert reverse("signup") in html
    assert reverse("password_reset") in html


# --- logging out ----------------------------------------------------------------------------


def test_logging_out_takes_a_post_and_signs_out():
    client = signed_in(UserFactory.create())
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("quizzes:dashboard")).status_code == 200  # still signed in

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:home")
    after = client.get(reverse("quizzes:dashboard"))
    assert after.status_code == 302
    assert after["Location"].startswith(reverse("login"))


def test_after_logging_out_the_accounts_attempts_are_out_of_reach():
    user = UserFactory.create()
    client = signed_in(user)
    attempt = start(client, count=5)
    client.post(reverse("logout"))
    url = reverse("quizzes:question", args=[attempt.public_id, 1])
    assert client.get(url).status_code == 404


# --- passwords ------------------------------------------------------------------------------


def test_changing_the_password_checks_the_old_one_and_the_new_ones():
    user = UserFactory.create()
    client = signed_in(user)
    url = reverse("password_change")
    assert client.get(url).status_code == 200

    wrong_old = client.post(
        url,
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    mismatch = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "different"},
    )
    common = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert "Your old password was entered incorrectly." in page_text(wrong_old)
    assert escape("The two password fields didn\u2019t match.") in page_text(mismatch)
    assert "This password is too common." in page_text(common)
    # Django's own view redisplays the form with a 200 (sign-up and log-in say 400).
    assert [r.status_code for r in (wrong_old, mismatch, common)] == [200, 200, 200]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_the_password_keeps_you_signed_in_and_the_new_one_works():
    user = UserFactory.create(username="ada")
    client = signed_in(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Your password has been changed." in page_text(response)
    assert client.get(reverse("quizzes:dashboard")).status_code == 200
    assert logs_in("ada", NEW_PASSWORD)
    assert not logs_in("ada", PASSWORD)


def test_password_change_is_for_signed_in_people(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_mails_a_link_that_sets_a_new_password(client, mailoutbox):
    UserFactory.create(username="ada")
    response = client.post(reverse("password_reset"), {"email": "ada@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert "Check your email" in page_text(client.get(response["Location"]))

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ada@example.com"]
    assert mail.subject == "Reset your Batteries password"
    assert "Hello ada," in mail.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/[^/\s]+/[^/\s]+/)", mail.body)
    assert link, mail.body

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in page_text(form_page)
    set_password_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": "different"}
    )
    assert "didn" in page_text(mismatch)
    done = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "Your new password is set." in page_text(done)

    login = Client().post(reverse("login"), {"username": "ada", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert login["Location"] == reverse("quizzes:dashboard")
    assert not logs_in("ada", PASSWORD)

    # The link is good once.
    again = client.get(link.group(1), follow=True)
    assert "This reset link has expired or has already been used." in page_text(again)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    UserFactory.create(username="ada")
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "Check your email" in page_text(response)
    assert mailoutbox == []


# --- settings -------------------------------------------------------------------------------


def test_settings_change_the_time_zone():
    user = UserFactory.create(profile__time_zone="UTC")
    client = signed_in(user)
    page = client.get(reverse("settings"))
    assert page.status_code == 200
    assert '<option value="UTC" selected>' in page_text(page)

    response = client.post(
        reverse("settings"), {"time_zone": "Asia/Tokyo", "daily_goal": "35"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("settings")
    assert "Settings saved." in page_text(response)
    assert '<option value="Asia/Tokyo" selected>' in page_text(response)
    profile = Profile.objects.get(user=user)
    assert (profile.time_zone, profile.daily_goal) == ("Asia/Tokyo", 35)


@pytest.mark.parametrize("goal", ["", "4", "201", "-1", "twenty", "9" * 50])
def test_a_daily_goal_out_of_range_is_a_400_and_changes_nothing(goal):
    user = UserFactory.create(profile__time_zone="UTC")
    response = signed_in(user).post(
        reverse("settings"), {"time_zone": "Asia/Tokyo", "daily_goal": goal}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["daily_goal"]
    profile = Profile.objects.get(user=user)
    assert (profile.time_zone, profile.daily_goal) == ("UTC", 20)


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        ("Mars/Olympus_Mons", "Select a valid choice. Mars/Olympus_Mons is not one of"),
        ("asia/tokyo", "Select a valid choice. asia/tokyo is not one of"),
        ("", "This field is required."),
    ],
)
def test_an_invalid_time_zone_in_settings_is_a_400_and_changes_nothing(zone, message):
    user = UserFactory.create(profile__time_zone="Europe/Paris")
    client = signed_in(user)
    response = client.post(reverse("settings"), {"time_zone": zone})
    assert response.status_code == 400
    assert message in page_text(response)
    assert Profile.objects.get(user=user).time_zone == "Europe/Paris"


def test_settings_give_a_profile_to_accounts_made_without_one():
    user = UserFactory.create(username="root", profile=None)
    client = signed_in(user)
    assert client.get(reverse("settings")).status_code == 200
    assert Profile.objects.get(user=user).time_zone == "UTC"


# --- only your own --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "quizzes:dashboard"),
        ("post", "quizzes:review"),
        ("post", "quizzes:weak_spots"),
        ("get", "settings"),
        ("post", "settings"),
    ],
)
def test_anonymous_people_are_sent_to_log_in(client, method, name):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse(name)}"
    assert not Attempt.objects.exists()


def test_another_learners_attempt_is_a_404_and_nothing_is_written():
    owner = UserFactory.create(username="ada")
    owner_client = signed_in(owner)
    attempt = start(owner_client)
    finish(owner_client, attempt, wrong_positions={1})
    unfinished = start(owner_client)
    stranger = UserFactory.create(username="eve")
    eve = signed_in(stranger)
    answers_before = Answer.objects.count()
    attempts_before = Attempt.objects.count()

    for target in (attempt, unfinished):
        asked = target.questions.get(position=1)
        assert eve.get(reverse("quizzes:attempt", args=[target.public_id])).status_code == 404
        assert eve.get(reverse("quizzes:question", args=[target.public_id, 1])).status_code == 404
        url = reverse("quizzes:answer", args=[target.public_id, 1])
        assert eve.post(url, right_response(asked)).status_code == 404
        assert eve.get(reverse("quizzes:summary", args=[target.public_id])).status_code == 404
        assert (
            eve.post(reverse("quizzes:practise_again", args=[target.public_id])).status_code == 404
        )

    assert Answer.objects.count() == answers_before
    assert Attempt.objects.count() == attempts_before
    assert not Card.objects.filter(learner=stranger).exists()
    unfinished.refresh_from_db()
    assert unfinished.answered_count == 0
    assert unfinished.questions.get(position=1).shown_at is None


def test_a_learners_dashboard_never_shows_anothers_attempts():
    ada = UserFactory.create(username="ada")
    ada_client = signed_in(ada)
    ada_attempt = start(ada_client, count=5)
    finish(ada_client, ada_attempt)
    eve = UserFactory.create(username="eve")
    eve_client = signed_in(eve)
    eve_attempt = start(eve_client, count=5)
    finish(eve_client, eve_attempt, wrong_positions={1, 2, 3})

    ada_response = ada_client.get(reverse("quizzes:dashboard"))
    eve_response = eve_client.get(reverse("quizzes:dashboard"))

    ada_dash, eve_dash = ada_response.context["dash"], eve_response.context["dash"]
    assert list(ada_dash.attempts) == [ada_attempt]
    assert list(eve_dash.attempts) == [eve_attempt]
    assert (ada_dash.overall_percent, ada_dash.total_answers) == (100, 5)
    assert (eve_dash.overall_percent, eve_dash.total_answers) == (40, 5)
    ada_page, eve_page = page_text(ada_response), page_text(eve_response)
    assert str(ada_attempt.public_id) in ada_page
    assert str(eve_attempt.public_id) not in ada_page
    assert str(eve_attempt.public_id) in eve_page
    assert str(ada_attempt.public_id) not in eve_page
