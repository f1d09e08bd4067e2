"""The question pages' and answers' first read: the session (with its user and profile) and,
beside it, the question asked for, in one query (one_trip.question_with_session). It finds
what the session read and then reads.own_question find, one after the other, for everyone:
the quiz's own learner or visitor, someone else, a quiz a log-in has claimed, no session."""

import uuid

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils.functional import SimpleLazyObject

from accounts.middleware import signed_in_user
from accounts.sessions import SessionStore
from accounts.visitors import VISITOR_SESSION_KEY, visitor_id
from quizzes.models import Attempt, Card
from quizzes.reads import own_question
from quizzes.services import one_trip
from tests.classroom_helpers import person
from tests.factories import AttemptFactory

pytestmark = pytest.mark.django_db
BEYOND = 2**70  # a position beyond any integer column, on either database


def request_for(key: str | None):
    """A request as the middleware leaves it for the view: its session not read yet."""
    request = RequestFactory().get("/")
    request.session = SessionStore(key)
    request.user = SimpleLazyObject(lambda: signed_in_user(request))  # type: ignore[assignment]
    return request


def signed_in_key(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def visitor_key(visitor: uuid.UUID) -> str:
    session = SessionStore()
    session[VISITOR_SESSION_KEY] = str(visitor)
    session.create()
    assert session.session_key is not None
    return session.session_key


def read_one_after_the_other(key, public_id, position):
    """What the view read before: the session, then reads.own_question."""
    request = request_for(key)
    asked = own_question(request.user, visitor_id(request), public_id, position)
    return request, asked


def claimed(attempt: Attempt, learner) -> Attempt:
    """The visitor's quiz, an account's now, its visitor's id still on it."""
    Attempt.objects.filter(pk=attempt.pk).update(learner=learner)
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def quizzes(db):
    ada, bob = person("ada"), person("bob")
    visitor, other_visitor = uuid.uuid4(), uuid.uuid4()
    return {
        "ada's": AttemptFactory.create(learner=ada, modules=("json", "csv")),
        "bob's": AttemptFactory.create(learner=bob, modules=("json",)),
        "a visitor's": AttemptFactory.create(learner=None, visitor_id=visitor, modules=("re",)),
        "claimed": claimed(AttemptFactory.create(learner=None, visitor_id=visitor), ada),
        "sessions": {
            "ada": signed_in_key(ada),
            "bob": signed_in_key(bob),
            "the visitor": visitor_key(visitor),
            "another visitor": visitor_key(other_visitor),
            "a key with no session": "k" * 32,
        },
    }


@pytest.mark.parametrize("whose", ["ada's", "bob's", "a visitor's", "claimed"])
@pytest.mark.parametrize(
    "who", ["ada", "bob", "the visitor", "another visitor", "a key with no session"]
)
@pytest.mark.parametrize("position", [1, 2, 3, BEYOND])
def test_finds_what_the_two_reads_find(quizzes, who, whose, position, django_assert_num_queries):
    key = quizzes["sessions"][who]
    attempt: Attempt = quizzes[whose]
    _, expected = read_one_after_the_other(key, attempt.public_id, position)
    request = request_for(key)

    with django_assert_num_queries(0 if position == BEYOND else 1):
        found = one_trip.question_with_session(request, attempt.public_id, position)

    if expected is None:
        assert found is None
    else:
        assert found is not None
        asked, as_read = found
        assert (asked.pk, asked.attempt.pk, asked.module.name, asked.attempt.answered_count) == (
            expected.pk,
            expected.attempt.pk,
            expected.module.name,
            expected.attempt.answered_count,
        )
        assert (
            as_read.card
            == Card.objects.filter(learner=attempt.learner_id, module=asked.module_id).first()
        )
    if position == BEYOND:
        return  # not read so: the view reads the session and the question as before
    with django_assert_num_queries(0):  # the session was loaded from the same row
        user, visitor = request.user, visitor_id(request)
    alone, _ = read_one_after_the_other(key, attempt.public_id, position)
    assert user == alone.user
    assert isinstance(user, AnonymousUser) is isinstance(alone.user, AnonymousUser)
    assert visitor == visitor_id(alone)
    assert request.session.session_key == alone.session.session_key  # None for no session


def test_a_session_read_already_is_not_read_again(quizzes, django_assert_num_queries):
    request = request_for(quizzes["sessions"]["ada"])
    assert request.user.is_authenticated
    with django_assert_num_queries(0):
        found = one_trip.question_with_session(request, quizzes["ada's"].public_id, 1)
    assert found is None  # the caller reads the question alone


def test_no_session_cookie_reads_nothing(quizzes, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert (
            one_trip.question_with_session(request_for(None), quizzes["ada's"].public_id, 1) is None
        )
