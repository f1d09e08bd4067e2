"""The 404 page says what is missing and offers a way on, in the site's layout, with DEBUG on
(`make run`) as with it off; a class that is someone else's gets the very same 404 as one
that does not exist; the 500 page keeps the layout without touching the database."""

import re
import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape
from django.views.defaults import server_error

from config import errors
from config.errors import Missing
from tests.classroom_helpers import class_of, drill_for, person, teacher
from tests.factories import AttemptFactory, UserFactory
from tests.quiz_helpers import signed_in

pytestmark = pytest.mark.django_db

NO_SUCH_ID = 987_654


@pytest.fixture(params=[True, False], ids=["debug", "no-debug"])
def debug(request, settings) -> bool:
    """Each test twice: with DEBUG on, as `make run` serves, and off, as production does."""
    settings.DEBUG = request.param
    return request.param


def assert_not_found(response, missing: Missing, message: str, way_on: str) -> None:
    """Our 404, in the layout: the message of its kind and a link on, never Django's page."""
    assert response.status_code == 404
    assert response.context["missing"].kind is missing
    html = response.content.decode()
    assert escape(message) in html
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert "batteries.css" in html
    assert "<h1>We couldn't find that page</h1>" in html
    assert f'href="{way_on}"' in html
    assert "technical_404" not in html
    assert "Django tried these URL patterns" not in html


# --- Quizzes ---------------------------------------------------------------------------------


def test_an_unknown_quiz(client, debug):
    url = reverse("quizzes:question", args=[uuid.uuid4(), 1])
    response = client.get(url)
    assert_not_found(response, Missing.QUIZ, errors.QUIZ_NOT_FOUND, reverse("quizzes:practice"))
    assert "Start a new quiz" in response.content.decode()


def test_someone_elses_quiz_is_the_same_404_as_an_expired_one(debug):
    attempt = AttemptFactory.create(count=3)
    stranger = signed_in(UserFactory.create())
    for url in (
        reverse("quizzes:attempt", args=[attempt.public_id]),
        reverse("quizzes:summary", args=[attempt.public_id]),
    ):
        response = stranger.get(url)
        assert_not_found(response, Missing.QUIZ, errors.QUIZ_NOT_FOUND, reverse("quizzes:practice"))
        # Signed in: their own quizzes are a click away.
        assert f'href="{reverse("quizzes:dashboard")}"' in response.content.decode()


def test_a_question_past_the_end_of_the_quiz(debug):
    learner = UserFactory.create()
    attempt = AttemptFactory.create(learner=learner, count=3)
    client = signed_in(learner)
    response = client.get(reverse("quizzes:question", args=[attempt.public_id, 4]))
    message = errors.QUESTION_NOT_FOUND.format(position=4, count=3)
    assert_not_found(response, Missing.QUESTION, message, attempt.get_absolute_url())
    answer = client.post(reverse("quizzes:answer", args=[attempt.public_id, 0]), {"choice": "0"})
    assert answer.status_code == 404
    assert answer.context["missing"].kind is Missing.QUESTION


# --- The catalogue ---------------------------------------------------------------------------


def test_an_unknown_module_names_it_and_offers_the_search(client, debug):
    response = client.get(reverse("catalogue:module", args=["requestz"]))
    message = errors.MODULE_NOT_FOUND.format(name="requestz")
    assert_not_found(response, Missing.MODULE, message, reverse("catalogue:home"))
    html = response.content.decode()
    assert 'action="/search/"' in html
    assert 'value="requestz"' in html  # the search is filled in with what was asked for


def test_a_very_long_module_name_is_shortened(client, debug):
    response = client.get(reverse("catalogue:module", args=["x" * 500]))
    assert response.status_code == 404
    assert "x" * 500 not in response.content.decode()
    assert "x" * (errors.LONGEST_NAME_SHOWN - 1) + "…" in response.content.decode()


def test_an_unknown_category(client, debug):
    response = client.get(reverse("catalogue:category", args=["no-such-category"]))
    message = errors.CATEGORY_NOT_FOUND.format(slug="no-such-category")
    assert_not_found(response, Missing.CATEGORY, message, reverse("catalogue:home"))
    assert 'action="/search/"' in response.content.decode()


@pytest.mark.parametrize("path", ["/nowhere/", "/quiz/not-a-uuid/q/1/", "/modules/%00/"])
def test_an_address_no_page_has(client, debug, path):
    response = client.get(path)
    assert_not_found(response, Missing.PAGE, errors.PAGE_NOT_FOUND, reverse("catalogue:home"))
    assert 'action="/search/"' in response.content.decode()


def test_an_address_without_its_slash_still_redirects(client, debug):
    response = client.get("/practice")
    assert response.status_code == 301
    assert response["Location"] == "/practice/"


def test_static_files_and_the_admin_are_untouched_with_debug_on(client, settings):
    settings.DEBUG = True
    stylesheet = client.get("/static/css/batteries.css")
    assert stylesheet.status_code == 200
    assert b"prefers-color-scheme" in b"".join(stylesheet.streaming_content)
    admin = client.get("/admin/")
    assert admin.status_code == 302
    assert admin["Location"].startswith("/admin/login/")


# --- Teaching --------------------------------------------------------------------------------


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which differ on every request."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)


def test_someone_elses_class_is_the_same_404_as_no_class(debug):
    owner, other = teacher("owner"), teacher("other")
    classroom = class_of(owner, [person("student")], name="Secret Society")
    client = signed_in(other)
    theirs = client.get(reverse("classrooms:detail", args=[classroom.pk]))
    nobodys = client.get(reverse("classrooms:detail", args=[NO_SUCH_ID]))
    assert_not_found(theirs, Missing.CLASS, errors.CLASS_NOT_FOUND, reverse("classrooms:list"))
    assert without_tokens(theirs.content.decode()) == without_tokens(nobodys.content.decode())
    assert "Secret Society" not in theirs.content.decode()


def test_a_student_asking_for_a_class_page_is_sent_to_their_dashboard(debug):
    student = person("student")
    classroom = class_of(teacher(), [student])
    response = signed_in(student).get(reverse("classrooms:detail", args=[classroom.pk]))
    assert_not_found(response, Missing.CLASS, errors.CLASS_NOT_FOUND, reverse("quizzes:dashboard"))


def test_an_unknown_drill_of_the_class(debug):
    owner = teacher()
    classroom = class_of(owner)
    response = signed_in(owner).get(reverse("classrooms:drill", args=[classroom.pk, NO_SUCH_ID]))
    assert_not_found(response, Missing.DRILL, errors.DRILL_NOT_FOUND, classroom.get_absolute_url())
    assert "Back to the class" in response.content.decode()


def test_a_drill_of_another_class_cannot_be_started(debug):
    drill = drill_for(class_of(teacher(), [person("member")]))
    outsider = signed_in(person("outsider"))
    response = outsider.post(reverse("classrooms:drill_start", args=[drill.pk]))
    assert_not_found(response, Missing.DRILL, errors.DRILL_NOT_FOUND, reverse("quizzes:dashboard"))


def test_a_student_not_in_the_class(debug):
    owner = teacher()
    classroom = class_of(owner, [person("member")])
    stranger = person("stranger")
    client = signed_in(owner)
    page = client.get(reverse("classrooms:student", args=[classroom.pk, stranger.pk]))
    assert_not_found(page, Missing.STUDENT, errors.STUDENT_NOT_FOUND, classroom.get_absolute_url())
    removal = client.post(reverse("classrooms:student_remove", args=[classroom.pk, stranger.pk]))
    assert_not_found(
        removal, Missing.STUDENT, errors.STUDENT_NOT_FOUND, classroom.get_absolute_url()
    )


def test_an_unknown_category_of_the_class(debug):
    owner = teacher()
    classroom = class_of(owner)
    url = reverse("classrooms:category", args=[classroom.pk, "no-such-category"])
    response = signed_in(owner).get(url)
    message = errors.CATEGORY_NOT_FOUND.format(slug="no-such-category")
    assert_not_found(response, Missing.CATEGORY, message, classroom.get_absolute_url())


# --- 500 -------------------------------------------------------------------------------------


def test_the_500_page_keeps_the_layout_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'class="site-header"' in html
    assert 'href="/static/css/batteries.css"' in html
    assert 'name="color-scheme" content="light dark"' in html
