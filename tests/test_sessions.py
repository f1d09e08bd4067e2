"""Sessions keep the signed-in account's id in a column of their own (accounts.Session), so the
session's read brings the user with it: one query where it took two, with Django's checks of
the signed-in user (the password's hash, an active account) exactly as they were."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session as DjangoSession
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from accounts.middleware import AuthenticationMiddleware
from accounts.models import Session
from accounts.sessions import SessionStore
from tests.classroom_helpers import person
from tests.factories import PASSWORD
from tests.quiz_helpers import signed_in

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("quizzes:dashboard")


def user_of(client: Client) -> object:
    """request.user, as the middleware finds it for the client's session."""
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies["sessionid"].value)
    AuthenticationMiddleware(lambda request: HttpResponse())(request)
    return request.user


def test_logging_in_names_the_account_on_its_session_and_logging_out_does_not():
    ada = person("ada")
    client = Client()
    client.post(reverse("login"), {"username": "ada", "password": PASSWORD})
    key = client.cookies["sessionid"].value
    assert Session.objects.get(session_key=key).user_id == ada.pk
    client.post(reverse("logout"))
    assert not Session.objects.filter(user_id=ada.pk).exists()


def test_the_signed_in_user_comes_with_the_session_in_one_query(django_assert_num_queries):
    ada = person("ada")
    client = signed_in(ada)
    with django_assert_num_queries(1):
        user = user_of(client)
        assert user == ada
        assert user.profile.time_zone == "UTC"  # type: ignore[attr-defined]


def test_a_visitors_session_has_no_user():
    client = Client()
    session = client.session
    session["visitor"] = "someone"
    session.save()
    assert Session.objects.get(session_key=session.session_key).user_id is None
    assert isinstance(user_of(client), AnonymousUser)


def test_a_password_changed_elsewhere_still_signs_the_session_out():
    ada = person("ada")
    client = signed_in(ada)
    assert client.get(DASHBOARD).status_code == 200
    ada.set_password("a-new-long-password-1")
    ada.save()
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_account_is_signed_out():
    ada = person("ada")
    client = signed_in(ada)
    ada.is_active = False
    ada.save()
    assert isinstance(user_of(client), AnonymousUser)


def test_the_session_data_not_the_column_says_who_is_signed_in(django_assert_num_queries):
    """A session row whose column names another account (written by hand) signs in the
    account its signed data names, read on its own."""
    ada, bob = person("ada"), person("bob")
    client = signed_in(ada)
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(user=bob)
    with django_assert_num_queries(2):
        assert user_of(client) == ada


def test_deleting_an_account_deletes_its_sessions():
    ada = person("ada")
    client = signed_in(ada)
    ada.delete()
    assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
    assert isinstance(user_of(client), AnonymousUser)


def test_the_migration_brings_live_sessions_over_with_their_accounts():
    migration = importlib.import_module("accounts.migrations.0004_sessions_with_their_user")
    ada, gone = person("ada"), person("gone")
    later = timezone.now() + timedelta(days=1)
    sessions = {
        "session-of-ada": {SESSION_KEY: str(ada.pk)},
        "session-of-a-visitor": {"visitor": "someone"},
        "session-of-one-gone": {SESSION_KEY: str(gone.pk)},
    }
    for key, data in sessions.items():
        DjangoSession.objects.create(
            session_key=key, session_data=SessionStore().encode(data), expire_date=later
        )
    DjangoSession.objects.create(
        session_key="session-expired",
        session_data=SessionStore().encode({SESSION_KEY: str(ada.pk)}),
        expire_date=timezone.now() - timedelta(days=1),
    )
    gone.delete()
    migration.sessions_in(apps, None)
    copied = dict(Session.objects.values_list("session_key", "user_id"))
    assert copied == {
        "session-of-ada": ada.pk,
        "session-of-a-visitor": None,
        "session-of-one-gone": None,
    }
    assert SessionStore("session-of-ada").load() == sessions["session-of-ada"]


def test_a_sessions_data_is_checked_once_and_each_read_has_its_own_copy(monkeypatch):
    store = SessionStore()
    store["usual"] = {"count": 10, "kinds": ["recall"]}
    store.create()
    checked = []
    loads = sessions.signing.loads

    def counted(*args: object, **kwargs: object) -> object:
        checked.append(args)
        return loads(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sessions.signing, "loads", counted)
    first = SessionStore(store.session_key)
    first["usual"]["kinds"].append("which-module")  # changed in place, not saved
    again = SessionStore(store.session_key)
    assert again["usual"] == {"count": 10, "kinds": ["recall"]}
    assert len(checked) == 1


def test_session_data_that_fails_its_check_is_an_empty_session_every_time(caplog):
    store = SessionStore()
    store["visitor"] = "someone"
    store.create()
    row = Session.objects.get(session_key=store.session_key)
    Session.objects.filter(pk=row.pk).update(session_data="x" + row.session_data)
    for _ in range(2):
        assert dict(SessionStore(store.session_key).items()) == {}
    assert caplog.text.count("Session data corrupted") == 2


def test_a_session_signed_with_another_key_is_not_taken_from_what_was_checked(settings):
    store = SessionStore()
    store["visitor"] = "someone"
    store.create()
    assert SessionStore(store.session_key)["visitor"] == "someone"  # checked, kept
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert dict(SessionStore(store.session_key).items()) == {}
