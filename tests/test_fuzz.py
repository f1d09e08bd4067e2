"""Hostile input on every URL, as a visitor, a student and a teacher: malformed and foreign ids,
huge numbers, NUL bytes, wrong methods, odd HTMX headers and garbage forms. Never a 5xx, and
not one row of learners' data or of the catalogue changes.

The URLs come from the URL configuration itself, so a page added later is fuzzed too.
"""

import hashlib
import itertools
import json
import re
import uuid
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Profile
from tests.factories import AttemptFactory, TeacherFactory, UserFactory

pytestmark = pytest.mark.django_db

# What hostile input may legitimately touch: sessions, the throttling records and the cache.
NOT_DOMAIN = {"sessions", "axes", "contenttypes", "admin"}
NOT_DOMAIN_TABLES = {"batteries_cache", "accounts_session"}

HOSTILE_SEGMENTS = {
    "uuid": [str(uuid.uuid4()), "FOREIGN", "00000000-0000-0000-0000-000000000000"],
    "int": ["0", "1", "99999999999999999999", str(2**31), str(2**63)],
    "slug": ["a" * 300, "-", "no-such-category", "%00"],
    "str": ["x" * 3000, "%00", "..%2F..%2Fetc%2Fpasswd", "%C3%BC%E2%9C%93", "<script>", "os.path."],
}
HOSTILE_VALUES = ["", "\x00", "9" * 500, "-1", "<script>alert(1)</script>", "ü✓" * 200]
FORM_FIELDS = [
    "choice", "typed", "count", "kinds", "categories", "difficulty", "q", "username",
    "password", "password1", "password2", "email", "role", "time_zone", "old_password",
    "new_password1", "new_password2", "next", "dont_know", "then",
]  # fmt: skip
METHODS = ["get", "head", "post", "put", "delete", "patch", "options"]
HEADERS = [
    {},
    {"HTTP_HX_REQUEST": "true"},
    {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"},
    {"HTTP_HX_REQUEST": "\x00", "HTTP_HX_TARGET": "x" * 2000, "HTTP_HX_CURRENT_URL": "\x00"},
    {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "<script>", "HTTP_HX_BOOSTED": "yes"},
]


def url_patterns() -> Iterator[tuple[str, dict[str, str]]]:
    """Every URL of the project but the admin's, with the type of each of its parameters."""

    def walk(patterns, prefix: str) -> Iterator[tuple[str, dict[str, str]]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name != "admin":
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                # Keyed by name: a route may have two parameters of one type.
                yield route, {name: kind for kind, name in re.findall(r"<(\w+):(\w+)>", route)}

    yield from walk(get_resolver().url_patterns, "")


def hostile_paths(foreign: str) -> list[str]:
    paths = []
    for route, parameters in url_patterns():
        names = re.findall(r"<\w+:(\w+)>", route)
        choices = [HOSTILE_SEGMENTS[parameters[name]] for name in names]
        for values in itertools.product(*choices) if choices else [()]:
            path = route
            for name, value in zip(names, values, strict=True):
                value = foreign if value == "FOREIGN" else value
                path = re.sub(rf"<\w+:{name}>", value, path, count=1)
            paths.append("/" + path)
    paths += ["/admin/", "/admin/catalogue/module/1/change/", "/search/?q=%00", "/?next=//evil"]
    return paths


def hostile_forms() -> list[dict[str, object]]:
    forms: list[dict[str, object]] = [{}]
    for value in HOSTILE_VALUES:
        forms.append(dict.fromkeys(FORM_FIELDS, value))
    forms.append({field: [HOSTILE_VALUES[2], "x"] for field in FORM_FIELDS})
    return forms


def snapshot() -> str:
    """A fingerprint of every row of every domain table."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.app_label in NOT_DOMAIN or model._meta.db_table in NOT_DOMAIN_TABLES:
            continue
        # Signing in (the test's own doing) stamps last_login: that is not the requests'.
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "last_login"]
        rows = model._default_manager.order_by("pk").values_list(*fields)
        digest.update(model._meta.label.encode())
        digest.update(json.dumps([list(r) for r in rows], default=str).encode())
    return digest.hexdigest()


@pytest.fixture
def clients() -> dict[str, Client]:
    student = UserFactory.create(username="student")
    teacher = TeacherFactory.create(username="teacher")
    by_role = {"visitor": Client(), "student": Client(), "teacher": Client()}
    by_role["student"].force_login(student)
    by_role["teacher"].force_login(teacher)
    return by_role


def test_hostile_requests_never_fail_and_never_change_a_row(clients):
    foreign = AttemptFactory.create()  # another learner's quiz
    paths = hostile_paths(str(foreign.public_id))
    forms = hostile_forms()
    before = snapshot()
    failures = []
    requests = 0
    headers = itertools.cycle(HEADERS)
    for role, client in clients.items():
        for path, method in itertools.product(paths, METHODS):
            bodies = forms if method == "post" else [{}]
            for body in bodies:
                extra = next(headers)
                if method in ("get", "head", "options"):
                    response = getattr(client, method)(path, **extra)
                else:
                    response = getattr(client, method)(path, body, **extra)
                requests += 1
                if response.status_code >= 500:
                    failures.append((role, method, path, body, response.status_code))
                if path.endswith("/logout/") and role != "visitor":
                    # A logout may have run: sign the role in again for the rest.
                    client.force_login(Profile.objects.get(user__username=role).user)
    assert not failures, failures[:10]
    assert snapshot() == before
    assert requests > 2500
