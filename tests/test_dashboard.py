"""The student dashboard as the learner sees it, "Review now", "Weak spots", and its queries."""

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from fsrs import Card as FsrsCard
from fsrs import Scheduler, State

from catalogue.models import Module
from quizzes.models import Attempt, Card
from quizzes.progress import local_day
from quizzes.questions import Kind, QuizSettings
from quizzes.services import attempts, cards
from tests import quiz_helpers
from tests.quiz_helpers import right_response, right_value, signed_in, wrong_value

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DATE_AND_TIME = ("calendar", "datetime", "time", "zoneinfo")  # the whole category

# The dashboard's learners live in Paris unless a test says otherwise.
make_user = partial(quiz_helpers.make_user, time_zone="Europe/Paris")


def answered_quiz(
    user: User, modules: tuple[str, ...], when: datetime, *, wrong: tuple[str, ...] = ()
) -> Attempt:
    """A finished quiz of these modules (one question each), answered a second apart."""
    attempt = unfinished_quiz(user, modules, when)
    questions = attempt.questions.select_related("module").order_by("position")
    for offset, asked in enumerate(questions):
        response = wrong_value(asked) if asked.module.name in wrong else right_value(asked)
        attempts.answer_record(asked=asked, response=response, now=when + timedelta(seconds=offset))
    attempt.refresh_from_db()
    assert attempt.is_finished
    return attempt


def unfinished_quiz(user: User, modules: tuple[str, ...], when: datetime) -> Attempt:
    return attempts.attempt_start(
        learner=user,
        visitor=None,
        quiz_settings=QuizSettings(count=len(modules), kinds=(Kind.WHICH_MODULE,), modules=modules),
        order=list(modules),
        now=when,
    )


def local_noon(day: date, zone: ZoneInfo = PARIS) -> datetime:
    return datetime.combine(day, time(12), tzinfo=zone).astimezone(UTC)


def today(zone: ZoneInfo = PARIS) -> date:
    return local_day(timezone.now(), zone)


def set_card(
    user: User,
    module: str,
    *,
    due: datetime,
    stability: float = 3.0,
    last_review: datetime | None = None,
    state: State = State.Review,
) -> None:
    """Move a card in time: as if FSRS had scheduled it so."""
    Card.objects.update_or_create(
        learner=user,
        module=Module.objects.get(name=module),
        defaults={
            "state": int(state),
            "step": None if state == State.Review else 0,
            "stability": stability,
            "difficulty": 5.0,
            "due": due,
            "last_review": last_review or due - timedelta(days=stability),
        },
    )


def dashboard_html(client: Client) -> str:
    response = client.get(reverse("quizzes:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    match = re.search(rf'aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, heading_id
    return match.group(0)


def mastery_label(html: str, category: str) -> str:
    row = re.search(rf">{re.escape(category)}</a></th>(.*?)</tr>", html, re.S)
    assert row, category
    return row.group(1)


def d(day: date | datetime, format_string: str) -> str:
    return dateformat.format(day, format_string)


# --- first run ------------------------------------------------------------------------------


def test_a_learner_with_no_history_sees_the_welcome_and_no_chart():
    html = dashboard_html(signed_in(make_user()))

    assert "Welcome! Let's find out what you know" in html
    assert "Take your first quiz" in html
    assert "<svg" not in html
    assert "Your accuracy appears here once you have answered some questions." in html
    assert "Nothing to review yet" in html
    assert "No quizzes yet." in html
    assert "-day streak" not in html
    assert "No streak yet" not in html
    assert reverse("quizzes:review") not in html
    assert reverse("quizzes:weak_spots") not in html
    # Every category is listed, nothing practised yet.
    assert "0 / 4" in mastery_label(html, "Date and Time")
    assert "Not started: 4, Attempted: 0" in mastery_label(html, "Date and Time")


# --- with history ---------------------------------------------------------------------------


@pytest.fixture
def learner_with_history() -> tuple[User, dict[str, Attempt]]:
    """Three days of practice in Paris (today, yesterday, the day before) and one quiz left
    half done, with its cards then moved to known places in time."""
    user = make_user()
    now = timezone.now()
    day = today()
    quizzes = {
        "two_days_ago": answered_quiz(user, DATE_AND_TIME[:3], local_noon(day - timedelta(2))),
        "yesterday": answered_quiz(
            user, ("json", "os"), local_noon(day - timedelta(1)), wrong=("os",)
        ),
        "today": answered_quiz(user, ("re",), now - timedelta(seconds=5)),
    }
    unfinished = unfinished_quiz(user, ("sys", "math"), now - timedelta(seconds=2))
    first = unfinished.questions.get(position=1)
    attempts.answer_record(asked=first, response=right_value(first), now=now)
    quizzes["unfinished"] = unfinished
    # Mastery: calendar stays Attempted (a Learning card); datetime Proficient; time Mastered.
    set_card(user, "datetime", due=local_noon(day + timedelta(2)), stability=10.0)
    set_card(user, "time", due=local_noon(day + timedelta(5)), stability=40.0)
    set_card(user, "calendar", due=now - timedelta(days=1), state=State.Learning, stability=0.5)
    # Due now: calendar, json and os; coming up: datetime, time, re, sys.
    set_card(user, "json", due=now - timedelta(days=1), stability=0.8)
    set_card(user, "os", due=now - timedelta(hours=2), stability=0.3)
    set_card(user, "re", due=local_noon(day + timedelta(2)), stability=2.0)
    set_card(user, "sys", due=local_noon(day + timedelta(7)), stability=6.0)
    return user, quizzes


def test_mastery_by_category_counts_each_level(learner_with_history):
    user, _attempts = learner_with_history
    html = dashboard_html(signed_in(user))

    date_and_time = mastery_label(html, "Date and Time")
    assert "3 / 4" in date_and_time
    assert (
        'aria-label="Not started: 1, Attempted: 1, Familiar: 0, Proficient: 1, Mastered: 1"'
        in date_and_time
    )
    string_handling = mastery_label(html, "String Handling")
    assert "1 / 5" in string_handling  # re, Familiar (stability 2 days)
    assert "Not started: 4, Attempted: 0, Familiar: 1, Proficient: 0, Mastered: 0" in (
        string_handling
    )
    assert "0 / 4" in mastery_label(html, "Data Science")
    assert "Welcome!" not in html


def test_reviews_due_now_and_coming_up(learner_with_history):
    user, _attempts = learner_with_history
    html = dashboard_html(signed_in(user))

    reviews = section(html, "reviews-heading")
    assert '<p class="big-number">3</p><p>modules due now.</p>' in reviews
    assert "Review now (3 due)" in html
    day = today()
    upcoming = dict(re.findall(r"<li><span>([^<]+)</span><span>(\d+)</span></li>", reviews))
    assert upcoming == {
        "Later today": "0",
        d(day + timedelta(1), "D j M"): "0",
        d(day + timedelta(2), "D j M"): "2",  # datetime and re
        d(day + timedelta(3), "D j M"): "0",
        d(day + timedelta(4), "D j M"): "0",
        d(day + timedelta(5), "D j M"): "1",  # time
        d(day + timedelta(6), "D j M"): "0",
        d(day + timedelta(7), "D j M"): "1",  # sys
    }


def test_streak_and_accuracy(learner_with_history):
    user, _attempts = learner_with_history
    html = dashboard_html(signed_in(user))

    assert '<strong class="streak">3-day streak</strong>.' in html
    assert "practise today to keep it going" not in html
    accuracy = section(html, "accuracy-heading")
    # 3 + 2 + 1 + 1 answers, os wrong.
    assert re.search(r"86% right over (all your )?7 answers\.", accuracy)
    assert accuracy.count('class="bar"') == 3  # three days with practice
    assert "<td>3</td><td>3</td>" in accuracy
    assert "<td>1</td><td>2</td>" in accuracy


def test_a_streak_not_yet_extended_today_asks_for_practice():
    user = make_user()
    day = today()
    answered_quiz(user, ("json",), local_noon(day - timedelta(1)))
    answered_quiz(user, ("os",), local_noon(day - timedelta(2)))
    html = dashboard_html(signed_in(user))
    assert "2-day streak</strong> — practise today to keep it going." in html


def test_a_broken_streak_is_no_streak():
    user = make_user()
    answered_quiz(user, ("json",), local_noon(today() - timedelta(3)))
    html = dashboard_html(signed_in(user))
    assert "No streak yet: practise today to start one." in html


def test_days_are_counted_in_the_learners_time_zone():
    # 23:30 and 00:30 in Paris: two days there, one day in UTC.
    paris_today = today(PARIS)
    late = datetime.combine(paris_today - timedelta(2), time(23, 30), tzinfo=PARIS)
    early = datetime.combine(paris_today - timedelta(1), time(0, 30), tzinfo=PARIS)
    paris_learner = make_user("pierre", time_zone="Europe/Paris")
    utc_learner = make_user("una", time_zone="UTC")
    for user in (paris_learner, utc_learner):
        answered_quiz(user, ("json",), late.astimezone(UTC))
        answered_quiz(user, ("os",), early.astimezone(UTC))

    assert "2-day streak" in dashboard_html(signed_in(paris_learner))
    assert "2-day streak" not in dashboard_html(signed_in(utc_learner))


def test_weakest_modules_come_least_likely_remembered_first(learner_with_history):
    user, _attempts = learner_with_history
    now = timezone.now()
    # Chance of remembering falls with days since review over stability.
    set_card(user, "json", due=now, stability=1.0, last_review=now - timedelta(days=60))
    set_card(user, "os", due=now, stability=1.0, last_review=now - timedelta(days=20))
    set_card(user, "calendar", due=now, stability=2.0, last_review=now - timedelta(days=10))
    html = dashboard_html(signed_in(user))

    weakest = section(html, "weak-heading")
    names = re.findall(r"<code>([^<]+)</code>", weakest)
    assert len(names) == 5
    # time: 35 days on a 40-day stability; datetime: 8 days on 10; re and sys: reviewed today.
    assert names == ["json", "os", "calendar", "time", "datetime"]
    expected = FsrsCard(
        card_id=0,
        state=State.Review,
        stability=1.0,
        difficulty=5.0,
        due=now,
        last_review=now - timedelta(days=60),
    )
    chance = round(100 * Scheduler(enable_fuzzing=False).get_card_retrievability(expected, now))
    assert f"{chance}% likely remembered" in weakest


def test_history_lists_quizzes_newest_first_with_links(learner_with_history):
    user, attempts = learner_with_history
    html = dashboard_html(signed_in(user))

    history = html[html.index('id="history-heading"') :]
    order = [
        attempts["unfinished"],
        attempts["today"],
        attempts["yesterday"],
        attempts["two_days_ago"],
    ]
    positions = [history.index(str(a.public_id)) for a in order]
    assert positions == sorted(positions)
    for key in ("today", "yesterday", "two_days_ago"):
        assert reverse("quizzes:summary", args=[attempts[key].public_id]) in history
    assert reverse("quizzes:attempt", args=[attempts["unfinished"].public_id]) in history
    assert "(1 answered)" in history
    assert "1 / 2" in history  # yesterday's score
    # Times read in the learner's zone: noon in Paris.
    summary_url = reverse("quizzes:summary", args=[attempts["yesterday"].public_id])
    row = re.search(rf"<tr>((?:(?!</tr>).)*{summary_url}.*?)</tr>", history, re.S)
    assert row, history
    assert d(today() - timedelta(1), "j M") in row.group(1)
    assert "12:00" in row.group(1)

    summary = signed_in(user).get(
        reverse("quizzes:summary", args=[attempts["yesterday"].public_id])
    )
    assert summary.status_code == 200


# --- review now -----------------------------------------------------------------------------


def test_review_now_builds_a_quiz_of_the_due_modules_most_overdue_first(learner_with_history):
    user, _attempts = learner_with_history
    client = signed_in(user)
    now = timezone.now()
    set_card(user, "os", due=now - timedelta(days=3))
    set_card(user, "calendar", due=now - timedelta(hours=5))
    set_card(user, "json", due=now - timedelta(days=1))
    before = set(Attempt.objects.values_list("pk", flat=True))

    response = client.post(reverse("quizzes:review"))

    review = Attempt.objects.exclude(pk__in=before).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:question", args=[review.public_id, 1])
    assert review.learner == user
    assert review.purpose == Attempt.Purpose.REVIEW
    asked = list(review.questions.order_by("position").values_list("module__name", flat=True))
    assert asked == ["os", "json", "calendar"]
    page = client.get(response["Location"])
    assert "Question 1 of 3" in page.content.decode()

    # Answering the review reschedules the cards: nothing is due any more.
    for question in review.questions.order_by("position"):
        url = reverse("quizzes:answer", args=[review.public_id, question.position])
        assert client.post(url, right_response(question)).status_code == 302
    html = dashboard_html(client)
    assert "Review now" not in html
    assert "Nothing is due now." in html
    assert "<td>Review</td>" in html  # the finished review is in the history
    assert reverse("quizzes:summary", args=[review.public_id]) in html


def test_review_now_takes_at_most_twenty_most_overdue():
    user = make_user()
    now = timezone.now()
    names = list(Module.objects.askable().order_by("name").values_list("name", flat=True)[:25])
    for hours, name in enumerate(names):
        # The first name is the least overdue, the last the most.
        set_card(user, name, due=now - timedelta(hours=hours + 1))
    response = signed_in(user).post(reverse("quizzes:review"))
    assert response.status_code == 302
    review = Attempt.objects.get(purpose=Attempt.Purpose.REVIEW)
    asked = list(review.questions.order_by("position").values_list("module__name", flat=True))
    assert asked == list(reversed(names))[:20]


def test_review_now_with_nothing_due_says_when_the_next_review_is():
    user = make_user()
    client = signed_in(user)
    next_due = local_noon(today() + timedelta(3)) + timedelta(minutes=45)
    set_card(user, "json", due=next_due)
    set_card(user, "os", due=next_due + timedelta(days=2))

    response = client.post(reverse("quizzes:review"), follow=True)

    assert response.redirect_chain == [(reverse("quizzes:dashboard"), 302)]
    html = response.content.decode()
    assert escape(cards.NOTHING_DUE) in html
    when = d(next_due.astimezone(PARIS), "l j F, H:i")
    assert when.endswith("12:45")
    assert f"Your next review is <strong>{when}</strong>." in html
    assert not Attempt.objects.exists()


# --- weak spots -----------------------------------------------------------------------------


def test_weak_spots_builds_a_quiz_of_the_least_likely_remembered_modules():
    user = make_user()
    client = signed_in(user)
    now = timezone.now()
    names = list(Module.objects.askable().order_by("name").values_list("name", flat=True)[:14])
    for days, name in enumerate(names):
        # The later in the list, the longer ago it was reviewed: the less likely remembered.
        set_card(user, name, due=now, stability=2.0, last_review=now - timedelta(days=days + 1))

    response = client.post(reverse("quizzes:weak_spots"))

    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("quizzes:question", args=[attempt.public_id, 1])
    assert attempt.purpose == Attempt.Purpose.WEAK_SPOTS
    asked = list(attempt.questions.order_by("position").values_list("module__name", flat=True))
    assert asked == list(reversed(names))[:10]
    assert "Question 1 of 10" in client.get(response["Location"]).content.decode()


def test_weak_spots_right_after_a_quiz_asks_the_modules_just_missed():
    user = make_user()
    client = signed_in(user)
    names = tuple(Module.objects.askable().order_by("name").values_list("name", flat=True)[:12])
    missed = names[-2:]  # last by name: ranking by name would leave them out
    answered_quiz(user, names, timezone.now() - timedelta(minutes=5), wrong=missed)

    html = dashboard_html(client)
    weakest = re.findall(r"<code>([^<]+)</code>", section(html, "weak-heading"))
    response = client.post(reverse("quizzes:weak_spots"))

    assert response.status_code == 302
    attempt = Attempt.objects.get(purpose=Attempt.Purpose.WEAK_SPOTS)
    asked = list(attempt.questions.order_by("position").values_list("module__name", flat=True))
    assert set(asked[:2]) == set(missed)
    assert set(weakest[:2]) == set(missed)


def test_weak_spots_without_any_cards_says_to_practise_first():
    client = signed_in(make_user())
    response = client.post(reverse("quizzes:weak_spots"), follow=True)
    assert response.redirect_chain == [(reverse("quizzes:dashboard"), 302)]
    assert escape(cards.NO_CARDS_YET) in response.content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("name", ["quizzes:review", "quizzes:weak_spots"])
def test_review_and_weak_spots_take_only_posts(name, learner_with_history):
    user, _attempts = learner_with_history
    before = Attempt.objects.count()
    assert signed_in(user).get(reverse(name)).status_code == 405
    assert Attempt.objects.count() == before


def test_dashboard_takes_only_gets():
    assert signed_in(make_user()).post(reverse("quizzes:dashboard")).status_code == 405


# --- queries --------------------------------------------------------------------------------

# Session, user, profile, catalogue version, cards, answers per day of the chart, answer
# totals, recent attempts.
DASHBOARD_QUERIES = 8
# A streak as long as the chart reads further back for its start: one query more.
LONG_STREAK_QUERIES = DASHBOARD_QUERIES + 1


def practise_on(user: User, days_ago: range) -> None:
    """A two-question quiz at noon on each of those days, each of other modules."""
    modules = list(Module.objects.askable().order_by("name").values_list("name", flat=True)[:60])
    for n in days_ago:
        picked = (modules[(2 * n) % 60], modules[(2 * n + 1) % 60])
        answered_quiz(user, picked, local_noon(today() - timedelta(n)))


def test_the_dashboards_query_count_is_pinned_and_does_not_grow_with_history(
    django_assert_max_num_queries,
):
    user = make_user()
    client = signed_in(user)
    answered_quiz(user, ("json", "os", "re"), timezone.now() - timedelta(minutes=1))
    dashboard_html(client)  # warm the catalogue cache, as a running app would

    with django_assert_max_num_queries(DASHBOARD_QUERIES) as one_quiz:
        html = dashboard_html(client)
    assert "1-day streak" in html

    practise_on(user, range(2, 62, 2))  # 30 more quizzes on 30 other days, every other day

    with django_assert_max_num_queries(DASHBOARD_QUERIES) as thirty_one_quizzes:
        html = dashboard_html(client)
    assert "1-day streak" in html
    assert re.search(r"right over (all your )?63 answers", html)
    assert html.count("Summary<span") == 20  # the most recent twenty, however many there are
    assert len(thirty_one_quizzes) == len(one_quiz)


def test_a_long_streak_costs_one_query_more_however_long_it_is(django_assert_max_num_queries):
    user = make_user()
    client = signed_in(user)
    answered_quiz(user, ("json",), timezone.now() - timedelta(minutes=1))
    practise_on(user, range(1, 31))
    dashboard_html(client)

    with django_assert_max_num_queries(LONG_STREAK_QUERIES) as month:
        html = dashboard_html(client)
    assert "31-day streak" in html

    practise_on(user, range(31, 91))
    with django_assert_max_num_queries(LONG_STREAK_QUERIES) as quarter:
        html = dashboard_html(client)
    assert "91-day streak" in html
    assert len(quarter) == len(month)
