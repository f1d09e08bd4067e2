"""The dashboards are computed once per change of what they show (config.kept): a repeat view
is served as kept, in a few queries, and every change a learner, a teacher or the clock makes
shows on the next view."""

import re
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

import pytest
from django.contrib.auth.models import User
from django.contrib.humanize.templatetags import humanize
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from catalogue.snapshot import get_catalogue
from classrooms import services
from classrooms.models import Classroom
from config.kept import LONGEST, soonest
from quizzes.models import AskedQuestion, Attempt
from quizzes.progress import ago_changes, next_midnight
from quizzes.questions import QuizSettings
from quizzes.services import attempts
from tests.classroom_helpers import class_of, drill_for, person, teacher
from tests.factories import CardFactory
from tests.quiz_helpers import (
    NOT_A_MODULE,
    right_response,
    right_value,
    signed_in,
    start,
)

pytestmark = pytest.mark.django_db

# Session, user with profile, and the catalogue's version; for a class, its row and its
# students' versions too.
KEPT_DASHBOARD_QUERIES = 3
KEPT_CLASS_QUERIES = 5
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def view(client: Client, url: str) -> tuple[bool, str]:
    """Whether the page was computed for this view (not served as kept), and the page without
    its CSRF tokens (each response masks the browser's secret afresh)."""
    response = client.get(url)
    assert response.status_code == 200
    return "dash" in response.context, TOKEN.sub("", response.content.decode())


def dashboard(client: Client) -> tuple[bool, str]:
    return view(client, reverse("quizzes:dashboard"))


def first_question(attempt: Attempt) -> AskedQuestion:
    return attempt.questions.get(position=1)


# --- The student dashboard -------------------------------------------------------------------


def test_a_repeat_view_is_the_same_page_in_three_queries(django_assert_max_num_queries):
    learner = person("ada")
    client = signed_in(learner)
    CardFactory.create(learner=learner, module_name="json", stability=40)
    get_catalogue()  # the catalogue read once, as in a running app
    computed, first = dashboard(client)
    assert computed

    with django_assert_max_num_queries(KEPT_DASHBOARD_QUERIES):
        computed, again = dashboard(client)
    assert not computed
    assert again == first


def answer_one(learner: User, client: Client) -> str:
    attempt = Attempt.objects.get(learner=learner)
    url = reverse("quizzes:answer", args=[attempt.public_id, 1])
    assert client.post(url, right_response(first_question(attempt))).status_code == 302
    return "1 of 5 questions answered"


def correct_one(learner: User, client: Client) -> str:
    attempt = Attempt.objects.get(learner=learner)
    url = reverse("quizzes:correct", args=[attempt.public_id, 1])
    assert client.post(url).status_code == 302
    return "100% right over all your 1 answer."


def start_another(learner: User, client: Client) -> str:
    start(client, count=7)
    return "0 of 7 questions answered"


def join_a_class(learner: User, client: Client) -> str:
    classroom = services.classroom_create(teacher=teacher(), name="Python club")
    response = client.post(reverse("classrooms:join"), {"code": classroom.join_code})
    assert response.status_code == 302
    return "Python club"


def leave_the_class(learner: User, client: Client) -> str:
    classroom = Classroom.objects.get()
    assert client.post(reverse("classrooms:leave", args=[classroom.pk])).status_code == 302
    return "-<li>Python club <span"  # gone from the list


def drill_assigned(learner: User, client: Client) -> str:
    drill_for(Classroom.objects.get())
    return "Your drills"


def class_renamed(learner: User, client: Client) -> str:
    classroom = Classroom.objects.get()
    edit = reverse("classrooms:edit", args=[classroom.pk])
    response = signed_in(classroom.teacher).post(edit, {"name": "Year 11", "description": ""})
    assert response.status_code == 302
    return "Year 11"


def goal_changed(learner: User, client: Client) -> str:
    response = client.post(reverse("settings"), {"time_zone": "UTC", "daily_goal": 35})
    assert response.status_code == 302
    return "of 35 questions today"


def renamed_in_the_admin(learner: User, client: Client) -> str:
    learner.username = "augusta"
    learner.save()
    return "Hello, augusta"


@pytest.mark.parametrize(
    "change",
    [
        answer_one,
        correct_one,
        start_another,
        join_a_class,
        leave_the_class,
        drill_assigned,
        class_renamed,
        goal_changed,
        renamed_in_the_admin,
    ],
)
def test_every_change_shows_on_the_next_view(change: Callable[[User, Client], str]):
    learner = person("ada")
    client = signed_in(learner)
    quiz = start(client, count=5, kinds=["recall"])
    if change is correct_one:  # a typo to correct
        url = reverse("quizzes:answer", args=[quiz.public_id, 1])
        assert client.post(url, {"typed": NOT_A_MODULE}).status_code == 302
    if change in (leave_the_class, drill_assigned, class_renamed):
        class_of(teacher(), [learner], name="Python club")
    dashboard(client)
    computed, before = dashboard(client)
    assert not computed

    shown = change(learner, client)
    computed, after = dashboard(client)
    assert computed
    if shown.startswith("-"):  # what the change takes away
        assert shown[1:] in before
        assert shown[1:] not in after
    else:
        assert shown not in before
        assert shown in after


def test_a_review_falling_due_shows_without_any_answer(monkeypatch):
    learner = person("ada")
    client = signed_in(learner)
    soon = timezone.now() + timedelta(minutes=2)
    CardFactory.create(learner=learner, module_name="json", due=soon)
    _computed, before = dashboard(client)
    assert "Nothing is due now" in before
    assert dashboard(client)[0] is False  # kept, until the card falls due

    later = soon + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    computed, after = dashboard(client)
    assert computed
    assert "Review now (1 due)" in after


def clock_at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """The views' clock, and naturaltime's ("5 minutes ago"), which asks `datetime` itself."""

    class Stopped(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return moment.astimezone(tz)

    monkeypatch.setattr(timezone, "now", lambda: moment)
    monkeypatch.setattr(humanize, "datetime", Stopped)


def test_a_quiz_left_unfinished_reads_its_age_afresh(monkeypatch):
    learner = person("ada")
    client = signed_in(learner)
    quiz = start(client, count=5)
    now = quiz.started_at + timedelta(minutes=5, seconds=30)
    clock_at(monkeypatch, now)
    assert "started 5\xa0minutes ago" in dashboard(client)[1]
    clock_at(monkeypatch, now + timedelta(seconds=20))
    assert dashboard(client)[0] is False  # still "5 minutes ago"
    clock_at(monkeypatch, now + timedelta(seconds=31))
    assert "started 6\xa0minutes ago" in dashboard(client)[1]


def test_another_browser_of_the_same_learner_gets_forms_it_can_post():
    """The kept page carries CSRF tokens: each browser has its own copy, with its own."""
    learner = person("ada")
    CardFactory.create(learner=learner, module_name="json")
    browsers = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        browsers.append(client)
    for client in browsers:
        html = client.get(reverse("quizzes:dashboard")).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token is not None
        response = client.post(
            reverse("quizzes:weak_spots"), {"csrfmiddlewaretoken": token.group(1)}
        )
        assert response.status_code == 302


def test_each_learner_sees_their_own_dashboard():
    ada, grace = person("ada"), person("grace")
    CardFactory.create(learner=ada, module_name="json")
    assert "Hello, ada" in dashboard(signed_in(ada))[1]
    computed, theirs = dashboard(signed_in(grace))
    assert computed
    assert "Hello, grace" in theirs
    assert "Hello, ada" not in theirs


# --- The class dashboard ---------------------------------------------------------------------


def class_page(client: Client, classroom: Classroom) -> tuple[bool, str]:
    return view(client, classroom.get_absolute_url())


def test_a_repeat_view_of_a_class_is_the_same_page_in_five_queries(
    django_assert_max_num_queries,
):
    owner = teacher()
    classroom = class_of(owner, [person("ada"), person("grace")])
    drill_for(classroom)
    client = signed_in(owner)
    get_catalogue()
    computed, first = class_page(client, classroom)
    assert computed

    with django_assert_max_num_queries(KEPT_CLASS_QUERIES):
        computed, again = class_page(client, classroom)
    assert not computed
    assert again == first


def a_student_answers(classroom: Classroom, client: Client) -> str:
    asked = first_question(Attempt.objects.get(learner__username="ada"))
    attempts.answer_record(asked=asked, response=right_value(asked))
    return f"<code>{asked.module.name}</code>"


def a_student_joins(classroom: Classroom, client: Client) -> str:
    services.classroom_join(student=person("linus"), code=classroom.join_code)
    return "Students (2)"


def a_student_is_removed(classroom: Classroom, client: Client) -> str:
    ada = User.objects.get(username="ada")
    url = reverse("classrooms:student_remove", args=[classroom.pk, ada.pk])
    assert client.post(url).status_code == 302
    return "Students (0)"


def a_drill_is_assigned(classroom: Classroom, client: Client) -> str:
    drill = drill_for(classroom, categories=("string-handling",))
    return f'<a href="{drill.get_absolute_url()}">String Handling</a>'


def the_class_is_renamed(classroom: Classroom, client: Client) -> str:
    edit = reverse("classrooms:edit", args=[classroom.pk])
    assert client.post(edit, {"name": "Year 11", "description": ""}).status_code == 302
    return "from Year 11?"


def a_student_is_renamed_in_the_admin(classroom: Classroom, client: Client) -> str:
    ada = User.objects.get(username="ada")
    ada.first_name = "Augusta"
    ada.save()
    return ">Augusta</a>"


@pytest.mark.parametrize(
    "change",
    [
        a_student_answers,
        a_student_joins,
        a_student_is_removed,
        a_drill_is_assigned,
        the_class_is_renamed,
        a_student_is_renamed_in_the_admin,
    ],
)
def test_every_change_to_a_class_shows_on_its_next_view(
    change: Callable[[Classroom, Client], str],
):
    owner = teacher()
    ada = person("ada")
    classroom = class_of(owner, [ada])
    attempts.practice_start(learner=ada, visitor=None, quiz_settings=QuizSettings(count=5))
    client = signed_in(owner)
    class_page(client, classroom)
    computed, before = class_page(client, classroom)
    assert not computed

    shown = change(classroom, client)
    assert shown not in before
    computed, after = class_page(client, classroom)
    assert computed
    assert shown in after


def test_another_teachers_class_is_never_served_from_a_kept_copy():
    owner, other = teacher(), teacher("other")
    classroom = class_of(owner, [person("ada")])
    class_page(signed_in(owner), classroom)
    response = signed_in(other).get(classroom.get_absolute_url())
    assert response.status_code == 404


# --- When a kept page reads differently by itself -------------------------------------------


def test_soonest_takes_the_first_moment_to_come_and_never_beyond_the_longest():
    now = timezone.now()
    assert soonest(now, []) == now + LONGEST
    assert soonest(now, [now - timedelta(hours=1), None, now]) == now + LONGEST
    assert soonest(now, [now + timedelta(hours=1), now + timedelta(minutes=3)]) == now + (
        timedelta(minutes=3)
    )


def test_ago_words_change_each_second_then_minute_then_hour():
    started = timezone.now()
    assert ago_changes(started, started + timedelta(seconds=10.5)) == started + timedelta(
        seconds=11
    )
    assert ago_changes(started, started + timedelta(minutes=5, seconds=30)) == (
        started + timedelta(minutes=6)
    )
    assert ago_changes(started, started + timedelta(hours=3, minutes=1)) == (
        started + timedelta(hours=4)
    )
    assert ago_changes(started, started - timedelta(seconds=5)) == started


def test_the_next_day_begins_at_local_midnight():
    profile = Profile(time_zone="Asia/Tokyo")
    now = timezone.now()
    midnight = next_midnight(now, profile.zone)
    local = midnight.astimezone(profile.zone)
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert timedelta(0) < midnight - now <= timedelta(days=1)
