"""The student dashboard as the learner sees it, "Review now", "Weak spots", and its queries."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from fsrs import State

from catalogue.models import Module
from catalogue.snapshot import get_catalogue
from quizzes.dashboard import CategoryMastery, Dashboard, WeakModule
from quizzes.memory import Mastery
from quizzes.models import Attempt, Card
from quizzes.progress import local_day, moment_words
from quizzes.services import attempts, cards
from tests.factories import AttemptFactory, CardFactory, UserFactory
from tests.quiz_helpers import right_response, right_value, signed_in

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DATE_AND_TIME = ("calendar", "datetime", "time", "zoneinfo")  # the whole category


@pytest.fixture
def learner() -> User:
    """The dashboard's learners live in Paris unless a test says otherwise."""
    return UserFactory.create(profile__time_zone="Europe/Paris")


def card_of(user: User, module: str) -> Card:
    return Card.objects.get(learner=user, module__name=module)


def local_noon(day: date, zone: ZoneInfo = PARIS) -> datetime:
    return datetime.combine(day, time(12), tzinfo=zone).astimezone(UTC)


def today(zone: ZoneInfo = PARIS) -> date:
    return local_day(timezone.now(), zone)


def dashboard(client: Client) -> tuple[Dashboard, str]:
    """What the dashboard shows, as the view hands it to the template, and the page itself:
    for a first view after a change, which computes it (a repeat view is served as kept)."""
    response = client.get(reverse("quizzes:dashboard"))
    assert response.status_code == 200
    assert "dash" in response.context, "served as kept: nothing changed since the last view"
    return response.context["dash"], response.content.decode()


def dashboard_html(client: Client) -> str:
    response = client.get(reverse("quizzes:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def category(dash: Dashboard, slug: str) -> CategoryMastery:
    return next(row for row in dash.categories if row.slug == slug)


def levels(
    not_started: int, attempted: int, familiar: int, proficient: int, mastered: int
) -> tuple[tuple[Mastery, int], ...]:
    """A category's count of modules at each mastery level, every level named."""
    counts = (not_started, attempted, familiar, proficient, mastered)
    return tuple(zip(Mastery, counts, strict=True))


def d(day: date | datetime, format_string: str) -> str:
    return dateformat.format(day, format_string)


# --- first run ------------------------------------------------------------------------------


def test_a_learner_with_no_history_sees_the_welcome_and_no_chart(learner):
    dash, html = dashboard(signed_in(learner))

    assert dash.is_new
    assert (dash.streak, dash.total_answers, dash.due_now) == (0, 0, 0)
    assert dash.next_due is None
    assert dash.weakest == ()
    assert list(dash.attempts) == []
    # Every category is listed, nothing practised yet.
    date_and_time = category(dash, "date-and-time")
    assert (date_and_time.practised, date_and_time.total) == (0, 4)
    assert date_and_time.counts == levels(4, 0, 0, 0, 0)

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
    assert "Date and Time</a></th>" in html


# --- with history ---------------------------------------------------------------------------


@pytest.fixture
def learner_with_history(learner) -> tuple[User, dict[str, Attempt]]:
    """Three days of practice in Paris (today, yesterday, the day before) and one quiz left
    half done, with its cards then moved to known places in time."""
    now = timezone.now()
    day = today()
    quizzes = {
        "two_days_ago": AttemptFactory.create(
            learner=learner,
            modules=DATE_AND_TIME[:3],
            started_at=local_noon(day - timedelta(2)),
            answered=True,
        ),
        "yesterday": AttemptFactory.create(
            learner=learner,
            modules=("json", "os"),
            started_at=local_noon(day - timedelta(1)),
            answered=True,
            answered__wrong=("os",),
        ),
        "today": AttemptFactory.create(
            learner=learner, modules=("re",), started_at=now - timedelta(seconds=5), answered=True
        ),
    }
    unfinished = AttemptFactory.create(
        learner=learner, modules=("sys", "math"), started_at=now - timedelta(seconds=2)
    )
    first = unfinished.questions.get(position=1)
    attempts.answer_record(asked=first, response=right_value(first), now=now)
    quizzes["unfinished"] = unfinished
    # Mastery: calendar stays Attempted (a Learning card); datetime Proficient; time Mastered.
    CardFactory.create(
        learner=learner, module_name="datetime", due=local_noon(day + timedelta(2)), stability=10.0
    )
    CardFactory.create(
        learner=learner, module_name="time", due=local_noon(day + timedelta(5)), stability=40.0
    )
    CardFactory.create(
        learner=learner,
        module_name="calendar",
        due=now - timedelta(days=1),
        state=State.Learning,
        stability=0.5,
    )
    # Due now: calendar, json and os; coming up: datetime, time, re, sys.
    CardFactory.create(
        learner=learner, module_name="json", due=now - timedelta(days=1), stability=0.8
    )
    CardFactory.create(
        learner=learner, module_name="os", due=now - timedelta(hours=2), stability=0.3
    )
    CardFactory.create(
        learner=learner, module_name="re", due=local_noon(day + timedelta(2)), stability=2.0
    )
    CardFactory.create(
        learner=learner, module_name="sys", due=local_noon(day + timedelta(7)), stability=6.0
    )
    return learner, quizzes


def test_mastery_by_category_counts_each_level(learner_with_history):
    user, _quizzes = learner_with_history
    dash, html = dashboard(signed_in(user))

    date_and_time = category(dash, "date-and-time")
    assert (date_and_time.practised, date_and_time.total) == (3, 4)
    assert date_and_time.counts == levels(1, 1, 0, 1, 1)
    string_handling = category(dash, "string-handling")
    assert (string_handling.practised, string_handling.total) == (1, 5)
    assert string_handling.counts == levels(4, 0, 1, 0, 0)  # re, Familiar (stability 2 days)
    data_science = category(dash, "data-science")
    assert (data_science.practised, data_science.total) == (0, 4)
    assert not dash.is_new

    assert "Welcome!" not in html
    assert '<td class="practised">3 / 4 ' in html
    assert 'aria-label="Not started: 1, Attempted: 1, Familiar: 0, Proficient: 1, Mastered: 1"' in (
        html
    )


def test_reviews_due_now_and_coming_up(learner_with_history):
    user, _quizzes = learner_with_history
    dash, html = dashboard(signed_in(user))

    assert dash.due_now == 3
    day = today()
    assert [(upcoming.day, upcoming.count) for upcoming in dash.upcoming] == [
        (day, 0),
        (day + timedelta(1), 0),
        (day + timedelta(2), 2),  # datetime and re
        (day + timedelta(3), 0),
        (day + timedelta(4), 0),
        (day + timedelta(5), 1),  # time
        (day + timedelta(6), 0),
        (day + timedelta(7), 1),  # sys
    ]

    assert '<p class="big-number">3</p><p>modules due now.</p>' in html
    assert "Review now (3 due)" in html
    assert "<li><span>Later today</span><span>0</span></li>" in html
    assert f"<li><span>{d(day + timedelta(5), 'D j M')}</span><span>1</span></li>" in html


def test_streak_and_accuracy(learner_with_history):
    user, _quizzes = learner_with_history
    dash, html = dashboard(signed_in(user))

    assert (dash.streak, dash.practised_today) == (3, True)
    # 3 + 2 + 1 + 1 answers, os wrong.
    assert (dash.total_right, dash.total_answers, dash.overall_percent) == (6, 7, 86)
    day = today()
    practised = {(a.day, a.right, a.total) for a in dash.accuracy if a.total}
    assert practised == {(day - timedelta(2), 3, 3), (day - timedelta(1), 1, 2), (day, 2, 2)}
    assert [bar.day for bar in dash.chart if bar.total] == sorted(a[0] for a in practised)

    assert '<strong class="streak">3-day streak</strong>.' in html
    assert "practise today to keep it going" not in html
    assert "86% right over all your 7 answers." in html
    assert html.count('class="bar"') == 3  # a bar for each day with practice
    assert "<td>3</td><td>3</td>" in html
    assert "<td>1</td><td>2</td>" in html


def test_a_streak_not_yet_extended_today_asks_for_practice(learner):
    day = today()
    AttemptFactory.create(
        learner=learner, modules=("json",), started_at=local_noon(day - timedelta(1)), answered=True
    )
    AttemptFactory.create(
        learner=learner, modules=("os",), started_at=local_noon(day - timedelta(2)), answered=True
    )

    dash, html = dashboard(signed_in(learner))

    assert (dash.streak, dash.practised_today) == (2, False)
    assert "2-day streak</strong> — practise today to keep it going." in html


def test_a_broken_streak_says_how_long_the_longest_was_and_when_it_ended(learner):
    practise_on(learner, range(3, 6))  # three days in a row, the last three days ago
    practise_on(learner, range(8, 10))

    dash, html = dashboard(signed_in(learner))

    assert dash.streak == 0
    assert dash.longest is not None
    assert (dash.longest.days, dash.longest_ended) == (3, "3 days ago")
    assert "No streak right now. Your longest streak: 3 days, ended 3 days ago." in html


def test_a_learner_who_never_practised_has_no_streak_yet(learner):
    dash, html = dashboard(signed_in(learner))

    assert (dash.streak, dash.longest) == (0, None)
    assert "Welcome!" in html


def test_days_are_counted_in_the_learners_time_zone():
    # 23:30 and 00:30 in Paris: two days there, one day in UTC.
    paris_today = today(PARIS)
    late = datetime.combine(paris_today - timedelta(2), time(23, 30), tzinfo=PARIS)
    early = datetime.combine(paris_today - timedelta(1), time(0, 30), tzinfo=PARIS)
    paris_learner = UserFactory.create(username="pierre", profile__time_zone="Europe/Paris")
    utc_learner = UserFactory.create(username="una", profile__time_zone="UTC")
    for user in (paris_learner, utc_learner):
        AttemptFactory.create(
            learner=user, modules=("json",), started_at=late.astimezone(UTC), answered=True
        )
        AttemptFactory.create(
            learner=user, modules=("os",), started_at=early.astimezone(UTC), answered=True
        )

    paris_dash, paris_html = dashboard(signed_in(paris_learner))
    utc_dash, _utc_html = dashboard(signed_in(utc_learner))

    assert paris_dash.streak == 2
    assert "2-day streak" in paris_html
    assert utc_dash.streak <= 1


def test_weakest_modules_are_the_lowest_mastery_then_the_shortest_memory(learner_with_history):
    user, _quizzes = learner_with_history
    now = timezone.now()
    CardFactory.create(learner=user, module_name="json", due=now, stability=1.5)
    CardFactory.create(learner=user, module_name="os", due=now + timedelta(days=2), stability=1.2)
    CardFactory.create(learner=user, module_name="calendar", due=now, stability=1.8)

    dash, html = dashboard(signed_in(user))

    # All Familiar but time (Mastered) and datetime (Proficient); of the Familiar ones, os,
    # json and calendar have the shortest memories, then re (2 days) and sys (6).
    assert [weak.name for weak in dash.weakest] == ["os", "json", "calendar", "re", "sys"]
    ranks = [(weak.mastery, card_of(user, weak.name).stability) for weak in dash.weakest]
    assert ranks == sorted(ranks)
    assert dash.weakest[0].back == f"back {moment_words(now + timedelta(days=2), now, PARIS)}"
    assert dash.weakest[1].back == "due now"
    assert escape(dash.weakest_explanation) in html
    assert "likely remembered" not in html


def test_a_module_just_answered_wrong_is_weakest_and_shows_when_it_comes_back(learner):
    modules = ("json", "os", "re", "sys", "time")
    AttemptFactory.create(learner=learner, modules=modules, answered=True)
    AttemptFactory.create(
        learner=learner, modules=("json",), answered=True, answered__wrong=("json",)
    )

    dash, html = dashboard(signed_in(learner))

    json = card_of(learner, "json")
    assert dash.weakest[0] == WeakModule(
        "json", Mastery.ATTEMPTED, f"back {moment_words(json.due, timezone.now(), PARIS)}"
    )
    assert json.due - timezone.now() < timedelta(minutes=15)  # soon: it is relearnt today
    assert f'json</code></a> <span class="help">Attempted · {dash.weakest[0].back}' in html


def test_history_lists_quizzes_newest_first_with_links(learner_with_history):
    user, quizzes = learner_with_history
    response = signed_in(user).get(reverse("quizzes:dashboard"))
    dash, html = response.context["dash"], response.content.decode()

    newest_first = ["unfinished", "today", "yesterday", "two_days_ago"]
    assert list(dash.attempts) == [quizzes[key] for key in newest_first]
    shown = {key: dash.attempts[i] for i, key in enumerate(newest_first)}
    assert (shown["unfinished"].answered_count, shown["unfinished"].is_finished) == (1, False)
    assert (shown["yesterday"].correct_count, shown["yesterday"].question_count) == (1, 2)
    for key in ("today", "yesterday", "two_days_ago"):
        assert reverse("quizzes:summary", args=[quizzes[key].public_id]) in html
    assert reverse("quizzes:attempt", args=[quizzes["unfinished"].public_id]) in html
    assert "(1 answered)" in html
    assert "<td>1 / 2</td>" in html  # yesterday's score
    # Times read in the learner's zone: noon in Paris.
    assert f'<td class="when">{d(today() - timedelta(1), "j M")}, 12:00</td>' in html

    summary = signed_in(user).get(reverse("quizzes:summary", args=[quizzes["yesterday"].public_id]))
    assert summary.status_code == 200


# --- review now -----------------------------------------------------------------------------


def test_review_now_builds_a_quiz_of_the_due_modules_most_overdue_first(learner_with_history):
    user, _quizzes = learner_with_history
    client = signed_in(user)
    now = timezone.now()
    CardFactory.create(learner=user, module_name="os", due=now - timedelta(days=3))
    CardFactory.create(learner=user, module_name="calendar", due=now - timedelta(hours=5))
    CardFactory.create(learner=user, module_name="json", due=now - timedelta(days=1))
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
    dash, html = dashboard(client)
    assert dash.due_now == 0
    assert dash.attempts[0] == review  # the finished review is in the history
    assert dash.attempts[0].is_finished
    assert "Review now" not in html
    assert "Nothing is due now." in html
    assert "<td>Review</td>" in html
    assert reverse("quizzes:summary", args=[review.public_id]) in html


def test_review_now_takes_at_most_twenty_most_overdue(learner):
    now = timezone.now()
    names = list(Module.objects.askable().order_by("name").values_list("name", flat=True)[:25])
    for hours, name in enumerate(names):
        # The first name is the least overdue, the last the most.
        CardFactory.create(learner=learner, module_name=name, due=now - timedelta(hours=hours + 1))
    response = signed_in(learner).post(reverse("quizzes:review"))
    assert response.status_code == 302
    review = Attempt.objects.get(purpose=Attempt.Purpose.REVIEW)
    asked = list(review.questions.order_by("position").values_list("module__name", flat=True))
    assert asked == list(reversed(names))[:20]


def test_review_now_with_nothing_due_says_when_the_next_review_is(learner):
    client = signed_in(learner)
    next_due = local_noon(today() + timedelta(3)) + timedelta(minutes=45)
    CardFactory.create(learner=learner, module_name="json", due=next_due)
    CardFactory.create(learner=learner, module_name="os", due=next_due + timedelta(days=2))

    response = client.post(reverse("quizzes:review"), follow=True)

    assert response.redirect_chain == [(reverse("quizzes:dashboard"), 302)]
    dash = response.context["dash"]
    assert (dash.due_now, dash.next_due) == (0, next_due)
    html = response.content.decode()
    assert escape(cards.NOTHING_DUE) in html
    when = d(next_due.astimezone(PARIS), "l j F, H:i")
    assert when.endswith("12:45")
    assert f"Your next review is <strong>{when}</strong>." in html
    assert not Attempt.objects.exists()


# --- weak spots -----------------------------------------------------------------------------


def test_weak_spots_builds_a_quiz_of_the_weakest_modules(learner):
    client = signed_in(learner)
    now = timezone.now()
    names = list(Module.objects.askable().order_by("name").values_list("name", flat=True)[:14])
    for n, name in enumerate(names):
        # The later in the list, the shorter the memory: the weaker (the dashboard's rule).
        CardFactory.create(learner=learner, module_name=name, due=now, stability=30.0 - n)

    response = client.post(reverse("quizzes:weak_spots"))

    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("quizzes:question", args=[attempt.public_id, 1])
    assert attempt.purpose == Attempt.Purpose.WEAK_SPOTS
    asked = list(attempt.questions.order_by("position").values_list("module__name", flat=True))
    assert asked == list(reversed(names))[:10]
    assert "Question 1 of 10" in client.get(response["Location"]).content.decode()


def test_weak_spots_right_after_a_quiz_asks_the_modules_just_missed(learner):
    client = signed_in(learner)
    names = tuple(Module.objects.askable().order_by("name").values_list("name", flat=True)[:12])
    missed = names[-2:]  # last by name: ranking by name would leave them out
    AttemptFactory.create(
        learner=learner,
        modules=names,
        started_at=timezone.now() - timedelta(minutes=5),
        answered=True,
        answered__wrong=missed,
    )

    dash, _html = dashboard(client)
    weakest = [weak.name for weak in dash.weakest]
    response = client.post(reverse("quizzes:weak_spots"))

    assert response.status_code == 302
    attempt = Attempt.objects.get(purpose=Attempt.Purpose.WEAK_SPOTS)
    asked = list(attempt.questions.order_by("position").values_list("module__name", flat=True))
    assert set(asked[:2]) == set(missed)
    assert set(weakest[:2]) == set(missed)


def test_weak_spots_without_any_cards_says_to_practise_first(learner):
    client = signed_in(learner)
    response = client.post(reverse("quizzes:weak_spots"), follow=True)
    assert response.redirect_chain == [(reverse("quizzes:dashboard"), 302)]
    assert escape(cards.NO_CARDS_YET) in response.content.decode()
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("name", ["quizzes:review", "quizzes:weak_spots"])
def test_review_and_weak_spots_take_only_posts(name, learner_with_history):
    user, _quizzes = learner_with_history
    before = Attempt.objects.count()
    assert signed_in(user).get(reverse(name)).status_code == 405
    assert Attempt.objects.count() == before


def test_dashboard_takes_only_gets(learner):
    assert signed_in(learner).post(reverse("quizzes:dashboard")).status_code == 405


# --- queries --------------------------------------------------------------------------------

# Session, user with its profile, catalogue version, cards, the learner's days (a row a day),
# recent attempts, the quiz left unfinished, the learner's drills, their classes. (Their
# attempts at the drills make one more when there are drills: see test_classrooms_views.)
DASHBOARD_QUERIES = 9


def practise_on(user: User, days_ago: range) -> None:
    """A two-question quiz at noon on each of those days, each of other modules."""
    modules = list(Module.objects.askable().order_by("name").values_list("name", flat=True)[:60])
    for n in days_ago:
        picked = (modules[(2 * n) % 60], modules[(2 * n + 1) % 60])
        AttemptFactory.create(
            learner=user,
            modules=picked,
            started_at=local_noon(today() - timedelta(n)),
            answered=True,
        )


def test_the_dashboards_query_count_is_pinned_and_does_not_grow_with_history(
    learner, django_assert_max_num_queries
):
    client = signed_in(learner)
    AttemptFactory.create(
        learner=learner,
        modules=("json", "os", "re"),
        started_at=timezone.now() - timedelta(minutes=1),
        answered=True,
    )
    get_catalogue()  # the catalogue read once, as in a running app

    with django_assert_max_num_queries(DASHBOARD_QUERIES) as one_quiz:
        dash, html = dashboard(client)
    assert dash.streak == 1
    assert "1-day streak" in html

    practise_on(learner, range(2, 62, 2))  # 30 more quizzes on 30 other days, every other day

    with django_assert_max_num_queries(DASHBOARD_QUERIES) as thirty_one_quizzes:
        dash, html = dashboard(client)
    assert dash.streak == 1
    assert dash.total_answers == 63
    assert len(dash.attempts) == 20  # the most recent twenty, however many there are
    assert all(attempt.is_finished for attempt in dash.attempts)
    assert len(thirty_one_quizzes) == len(one_quiz)


def test_a_long_streak_costs_no_query_more_however_long_it_is(
    learner, django_assert_max_num_queries
):
    client = signed_in(learner)
    AttemptFactory.create(
        learner=learner,
        modules=("json",),
        started_at=timezone.now() - timedelta(minutes=1),
        answered=True,
    )
    practise_on(learner, range(1, 31))
    get_catalogue()

    with django_assert_max_num_queries(DASHBOARD_QUERIES) as month:
        dash, html = dashboard(client)
    assert dash.streak == 31
    assert "31-day streak" in html

    practise_on(learner, range(31, 91))
    with django_assert_max_num_queries(DASHBOARD_QUERIES) as quarter:
        dash, html = dashboard(client)
    assert dash.streak == 91
    assert "91-day streak" in html
    assert len(quarter) == len(month)


def test_the_mastery_table_is_rendered_once_for_its_rows_and_afresh_when_they_change(learner):
    """The table is kept rendered, keyed by its rows: a learner whose mastery changed, or
    another learner, never sees a table rendered for other rows."""
    CardFactory.create(learner=learner, module_name="datetime", stability=40)
    client = signed_in(learner)
    _dash, first = dashboard(client)
    assert '<td class="practised">1 / 4 ' in first
    assert dashboard_html(client).count('<td class="practised">1 / 4 ') == 1  # kept, the same

    CardFactory.create(learner=learner, module_name="zoneinfo", stability=40)
    _dash, after = dashboard(client)
    assert '<td class="practised">2 / 4 ' in after
    assert '<td class="practised">1 / 4 ' not in after

    other = UserFactory.create()
    _dash, theirs = dashboard(signed_in(other))
    assert '<td class="practised">0 / 4 ' in theirs
    assert '<td class="practised">2 / 4 ' not in theirs


def test_each_rows_practise_button_posts_the_one_form_outside_the_table(learner):
    CardFactory.create(learner=learner, module_name="datetime", stability=40)
    client = signed_in(learner)
    _dash, html = dashboard(client)
    form = html.index('<form id="practise-category"')
    assert form < html.index('class="breakdown mastery-table"')
    assert 'form="practise-category" name="category" value="date-and-time"' in html
    response = client.post(reverse("quizzes:practise_this"), {"category": "date-and-time"})
    assert response.status_code == 302
    started = Attempt.objects.get(learner=learner)
    assert started.settings["categories"] == ["date-and-time"]
