"""Reasons to come back, and ways back in: the learner's days (DayTally), the daily goal and
personal bests, usual settings, "Practise this", the quiz left unfinished, the whole history a
page at a time, and a review capped at twenty that says so."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.services import visitor_claim
from accounts.visitors import VISITOR_SESSION_KEY
from catalogue.models import Module
from quizzes.dashboard import goal_moment
from quizzes.models import Answer, Attempt, DayTally
from quizzes.questions import Difficulty, Kind, QuizSettings
from quizzes.services import cards, tallies
from quizzes.services.practice import SESSION_KEY, usual_settings
from tests.factories import AttemptFactory, CardFactory, UserFactory
from tests.quiz_helpers import finish, signed_in, start

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def days_of(user: User) -> dict:
    return {
        day: (right, answered)
        for day, right, answered in DayTally.objects.filter(learner=user).values_list(
            "day", "right", "answered"
        )
    }


# --- the learner's days ---------------------------------------------------------------------


def test_each_answer_counts_on_the_learners_own_day():
    user = UserFactory.create(profile__time_zone="Asia/Tokyo")
    # 23:30 UTC is already the next morning in Tokyo.
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    AttemptFactory.create(
        learner=user, modules=("json", "os", "re"), started_at=late, answered=True,
        answered__wrong=("os",),
    )  # fmt: skip

    assert days_of(user) == {late.astimezone(TOKYO).date(): (2, 3)}


def test_a_visitors_answers_count_on_their_days_once_they_sign_up():
    visitor = AttemptFactory.create(learner=None, modules=("json", "os"), answered=True)
    user = UserFactory.create(profile__time_zone="UTC")

    visitor_claim(user=user, visitor=visitor.visitor_id)

    assert days_of(user) == {visitor.started_at.astimezone(UTC).date(): (2, 2)}


def test_rebuilding_the_days_gives_what_the_answers_counted():
    user = UserFactory.create(profile__time_zone="Europe/Paris")
    for days_ago in (0, 1, 1, 5):
        AttemptFactory.create(
            learner=user,
            modules=("json", "os"),
            started_at=timezone.now() - timedelta(days=days_ago, minutes=5),
            answered=True,
            answered__wrong=("json",) if days_ago == 1 else (),
        )
    counted = days_of(user)

    tallies.tallies_rebuild([user.pk])

    assert days_of(user) == counted
    assert sum(answered for _right, answered in counted.values()) == Answer.objects.count()
    assert DayTally.objects.aggregate(right=Sum("right"))["right"] == 6


# --- the daily goal -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "quiz", "reached_now", "best"),
    [
        (10, 10, False, False),  # halfway
        (20, 10, True, False),  # this quiz reached it...
        (30, 10, False, False),  # ...not this one: it was reached before
        (45, 30, True, True),  # reached it, and beat the best day (40) as well
        (41, 25, True, True),
        (40, 25, True, False),  # equal to the best is no new best
        (43, 5, False, True),  # the best beaten by this quiz, the goal long reached
        (50, 5, False, False),  # the best beaten before this quiz: celebrated then
    ],
)
def test_the_goal_moment(today, quiz, reached_now, best):
    day = datetime(2026, 5, 10).date()
    days = {day - timedelta(days=3): (30, 40), day: (today - 1, today)}

    moment = goal_moment(days, day, 20, quiz)

    assert (moment.answered_today, moment.reached_now, moment.personal_best) == (
        today,
        reached_now,
        best,
    )


def test_a_first_day_is_never_a_personal_best():
    day = datetime(2026, 5, 10).date()
    assert not goal_moment({day: (25, 25)}, day, 20, 25).personal_best


def test_the_dashboard_shows_todays_progress_towards_the_goal():
    user = UserFactory.create(profile__time_zone="UTC", profile__daily_goal=10)
    AttemptFactory.create(learner=user, modules=("json", "os", "re", "sys"), answered=True)

    response = signed_in(user).get(reverse("quizzes:dashboard"))

    dash = response.context["dash"]
    assert (dash.today_answered, dash.daily_goal, dash.goal_percent) == (4, 10, 40)
    assert not dash.goal_reached
    assert "4 of 10 questions today." in response.content.decode()


def test_the_summary_celebrates_the_goal_reached_and_a_personal_best():
    user = UserFactory.create(profile__time_zone="UTC", profile__daily_goal=5)
    yesterday = timezone.now() - timedelta(days=1)
    AttemptFactory.create(
        learner=user, modules=("json", "os", "re"), started_at=yesterday, answered=True
    )
    client = signed_in(user)
    attempt = start(client, count=5)
    finish(client, attempt)

    response = client.get(reverse("quizzes:summary", args=[attempt.public_id]))

    goal = response.context["goal"]
    assert (goal.answered_today, goal.reached_now, goal.personal_best) == (5, True, True)
    html = response.content.decode()
    assert "A new personal best!" in html
    assert "Goal reached:" in html


def test_an_old_quizs_summary_celebrates_nothing():
    user = UserFactory.create(profile__time_zone="UTC")
    old = AttemptFactory.create(
        learner=user, modules=("json",), started_at=timezone.now() - timedelta(days=3),
        answered=True,
    )  # fmt: skip
    response = signed_in(user).get(reverse("quizzes:summary", args=[old.public_id]))
    assert response.context["goal"] is None


def test_a_visitors_summary_offers_to_keep_the_progress(client):
    attempt = start(client, count=5)
    finish(client, attempt)

    response = client.get(reverse("quizzes:summary", args=[attempt.public_id]))

    assert response.context["goal"] is None
    html = response.content.decode()
    assert "Keep your progress" in html
    assert f'href="{reverse("signup")}"' in html


# --- usual settings -------------------------------------------------------------------------


def test_the_practice_form_remembers_a_learners_last_settings():
    user = UserFactory.create()
    client = signed_in(user)
    start(client, count=7, kinds=[Kind.RECALL, Kind.STDLIB], difficulty="hard")

    form = client.get(reverse("quizzes:practice")).context["form"]

    assert form["count"].value() == 7
    assert form["kinds"].value() == [Kind.RECALL, Kind.STDLIB]
    assert form["difficulty"].value() == Difficulty.HARD
    assert not form["categories"].value()  # categories are chosen afresh each time
    assert Profile.objects.get(user=user).practice_settings["count"] == 7


def test_a_visitors_usual_settings_live_in_their_session(client):
    start(client, count=6, kinds=[Kind.WHAT_FOR])
    assert client.session[SESSION_KEY]["count"] == 6
    form = client.get(reverse("quizzes:practice")).context["form"]
    assert (form["count"].value(), form["kinds"].value()) == (6, [Kind.WHAT_FOR])


@pytest.mark.parametrize(
    "stored",
    [
        {"count": 7, "kinds": ["nonsense"], "difficulty": "easy"},
        {"count": 999, "kinds": ["recall"], "difficulty": "easy"},
        {"count": 7, "kinds": [], "difficulty": "easy"},
        {"count": "x", "kinds": ["recall"], "difficulty": "easy"},
        {"kinds": ["recall"]},
        ["not", "a", "dict"],
    ],
)
def test_unreadable_usual_settings_give_the_defaults(stored):
    user = UserFactory.create(profile__practice_settings=stored)
    assert usual_settings(Profile.objects.get(user=user), Client().session) == QuizSettings()
    assert signed_in(user).get(reverse("quizzes:practice")).status_code == 200


def test_the_categories_are_folded_away_unless_some_are_ticked(client):
    folded = client.get(reverse("quizzes:practice")).content.decode()
    assert '<details class="categories">' in folded
    assert "Categories: all" in folded
    refused = client.post(
        reverse("quizzes:practice"),
        {"categories": ["date-and-time", "networking"], "count": 2, "kinds": ["recall"]},
    )
    assert refused.status_code == 400  # too few questions: the form comes back, unfolded
    html = refused.content.decode()
    assert '<details class="categories" open>' in html
    assert "Categories: 2 chosen" in html


# --- practise this --------------------------------------------------------------------------


def test_practise_this_category_starts_a_quiz_of_it_with_the_usual_settings():
    user = UserFactory.create(
        profile__practice_settings={"count": 5, "kinds": ["which_module"], "difficulty": "hard"}
    )
    response = signed_in(user).post(reverse("quizzes:practise_this"), {"category": "date-and-time"})

    attempt = Attempt.objects.get(learner=user)
    assert response["Location"] == reverse("quizzes:question", args=[attempt.public_id, 1])
    settings = QuizSettings.from_json(attempt.settings)
    assert settings == QuizSettings(
        count=5, kinds=(Kind.WHICH_MODULE,), difficulty=Difficulty.HARD,
        categories=("date-and-time",),
    )  # fmt: skip
    assert set(attempt.questions.values_list("module__categories__slug", flat=True)) >= {
        "date-and-time"
    }


def test_practise_this_module_asks_only_that_module(client):
    response = client.post(reverse("quizzes:practise_this"), {"module": "json"})

    attempt = Attempt.objects.get()
    assert response.status_code == 302
    assert attempt.learner is None
    assert attempt.visitor_id is not None
    assert str(attempt.visitor_id) == client.session[VISITOR_SESSION_KEY]
    assert set(attempt.questions.values_list("module__name", flat=True)) == {"json"}
    assert attempt.question_count >= 3  # its clues, in several kinds


def test_practise_this_module_keeps_the_usual_kinds_while_they_ask_something():
    user = UserFactory.create(
        profile__practice_settings={"count": 10, "kinds": ["recall"], "difficulty": "easy"}
    )
    signed_in(user).post(reverse("quizzes:practise_this"), {"module": "json"})
    assert set(Attempt.objects.get().questions.values_list("kind", flat=True)) == {Kind.RECALL}


def test_practise_this_module_falls_back_on_every_kind_when_the_usual_ones_ask_nothing():
    # A lookalike is only ever asked "standard library or not?".
    assert Module.objects.get(name="Flask").is_lookalike
    user = UserFactory.create(
        profile__practice_settings={"count": 10, "kinds": ["recall"], "difficulty": "easy"}
    )
    response = signed_in(user).post(reverse("quizzes:practise_this"), {"module": "Flask"})
    assert response.status_code == 302
    assert set(Attempt.objects.get().questions.values_list("kind", flat=True)) == {Kind.STDLIB}


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),
        ({"category": "date-and-time", "module": "json"}, 400),
        ({"category": "no-such-category"}, 404),
        ({"module": "no_such_module"}, 404),
        ({"module": "x" * 5000}, 404),
        ({"category": "\x00"}, 400),
    ],
)
def test_practise_this_refuses_nonsense_and_starts_nothing(client, data, status):
    response = client.post(reverse("quizzes:practise_this"), data)
    assert response.status_code == status
    assert not Attempt.objects.exists()


def test_practise_this_takes_only_posts(client):
    assert client.get(reverse("quizzes:practise_this")).status_code == 405


def test_catalogue_pages_and_mastery_rows_offer_practise_this(client):
    action = f'action="{reverse("quizzes:practise_this")}"'
    category = client.get(reverse("catalogue:category", args=["date-and-time"])).content.decode()
    assert action in category
    assert '<input type="hidden" name="category" value="date-and-time">' in category
    module = client.get(reverse("catalogue:module", args=["json"])).content.decode()
    assert '<input type="hidden" name="module" value="json">' in module
    user = UserFactory.create()
    AttemptFactory.create(learner=user, modules=("json",), answered=True)
    dashboard = signed_in(user).get(reverse("quizzes:dashboard")).content.decode()
    # One form, and a button per category row that posts it with the row's category.
    assert dashboard.count(action) == 1
    assert dashboard.count('form="practise-category" name="category"') >= 24


# --- the quiz left unfinished ---------------------------------------------------------------


def test_a_visitor_is_offered_their_unfinished_quiz_on_the_practice_page(client):
    attempt = start(client, count=5)
    page = client.get(reverse("quizzes:practice"))
    assert page.context["unfinished"] == attempt
    assert "Continue your quiz" in page.content.decode()
    assert reverse("quizzes:attempt", args=[attempt.public_id]) in page.content.decode()

    finish(client, attempt)
    assert client.get(reverse("quizzes:practice")).context["unfinished"] is None


def test_a_learner_is_offered_only_their_own_unfinished_quiz():
    ada, grace = UserFactory.create(), UserFactory.create()
    AttemptFactory.create(learner=grace, modules=("json", "os"))
    mine = AttemptFactory.create(learner=ada, modules=("json", "os"))
    client = signed_in(ada)
    assert client.get(reverse("quizzes:dashboard")).context["unfinished"] == mine
    assert client.get(reverse("quizzes:practice")).context["unfinished"] == mine
    assert Client().get(reverse("quizzes:practice")).context["unfinished"] is None


# --- the whole history ----------------------------------------------------------------------


def test_the_history_pages_through_every_quiz_newest_first(django_assert_max_num_queries):
    user = UserFactory.create()
    now = timezone.now()
    made = [
        AttemptFactory.create(learner=user, modules=("json",), started_at=now - timedelta(hours=n))
        for n in range(30)
    ]
    AttemptFactory.create(learner=UserFactory.create(), modules=("json",))  # someone else's
    client = signed_in(user)
    url = reverse("quizzes:history")

    with django_assert_max_num_queries(5):  # session, user, count, the page, no more
        first = client.get(url)
    second = client.get(url, {"page": 2})

    assert list(first.context["page"].object_list) == made[:25]
    assert list(second.context["page"].object_list) == made[25:]
    assert "Page 1 of 2" in first.content.decode()
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("page", ["0", "3", "abc", "-1", "9" * 40, ""])
def test_a_history_page_that_does_not_exist_is_a_404(page):
    user = UserFactory.create()
    AttemptFactory.create(learner=user, modules=("json",))
    assert signed_in(user).get(reverse("quizzes:history"), {"page": page}).status_code == 404


def test_the_dashboard_links_to_the_whole_history_when_there_is_more():
    user = UserFactory.create()
    for n in range(21):
        AttemptFactory.create(
            learner=user, modules=("json",), started_at=timezone.now() - timedelta(hours=n)
        )
    html = signed_in(user).get(reverse("quizzes:dashboard")).content.decode()
    assert f'href="{reverse("quizzes:history")}"' in html


def test_the_history_is_for_learners(client):
    response = client.get(reverse("quizzes:history"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- a review capped at twenty --------------------------------------------------------------


def test_a_review_capped_at_twenty_says_so_and_offers_the_rest():
    user = UserFactory.create()
    now = timezone.now()
    names = ["json", "os", "re", "sys", "time", "datetime", "calendar", "math", "random"]
    names += ["pathlib", "shutil", "glob", "csv", "sqlite3", "zipfile", "gzip", "hashlib"]
    names += ["secrets", "logging", "unittest", "argparse", "subprocess", "threading"]
    for n, name in enumerate(names):
        CardFactory.create(learner=user, module_name=name, due=now - timedelta(hours=n + 1))
    client = signed_in(user)

    dashboard = client.get(reverse("quizzes:dashboard"))
    assert dashboard.context["dash"].review_capped
    html = dashboard.content.decode()
    assert f"Review {cards.REVIEW_SIZE} of {len(names)} due" in html
    assert "the next review takes the next 20" in html

    review = client.post(reverse("quizzes:review"))
    attempt = Attempt.objects.get(purpose=Attempt.Purpose.REVIEW)
    assert review.status_code == 302
    assert attempt.question_count == cards.REVIEW_SIZE
    finish(client, attempt)
    summary = client.get(reverse("quizzes:summary", args=[attempt.public_id]))
    assert summary.context["still_due"] == len(names) - cards.REVIEW_SIZE
    assert "3 more modules due" in summary.content.decode()
    assert "Review the next 3" in summary.content.decode()
