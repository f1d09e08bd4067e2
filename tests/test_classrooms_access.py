"""Only a class's teacher sees or changes it: every URL of the classrooms app, as a visitor, a
student of the class, another student, the teacher and another teacher, with the status each
must get. No refusal shows the class's data."""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from tests.classroom_helpers import class_of, drill_for, person, teacher

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "student", "other_student", "teacher", "other_teacher"]
CLASS_NAME = "Secret Society of Pythonistas"

# url name -> (method, {role: status}). 302 for a visitor is the log-in page.
OWNER_ONLY_PAGE = {
    "visitor": 302,
    "student": 404,
    "other_student": 404,
    "teacher": 200,
    "other_teacher": 404,
}
OWNER_ONLY_ACTION = {**OWNER_ONLY_PAGE, "teacher": 302}
TEACHERS_ONLY = {
    "visitor": 302,
    "student": 403,
    "other_student": 403,
    "teacher": 200,
    "other_teacher": 200,
}
MEMBERS_ONLY_ACTION = {
    "visitor": 302,
    "student": 302,
    "other_student": 404,
    "teacher": 404,
    "other_teacher": 404,
}
SIGNED_IN = dict.fromkeys(ROLES[1:], 200) | {"visitor": 302}
EXPECTED = {
    "list": ("get", TEACHERS_ONLY),
    "create": ("get", TEACHERS_ONLY),
    "detail": ("get", OWNER_ONLY_PAGE),
    "edit": ("get", OWNER_ONLY_PAGE),
    "code": ("post", OWNER_ONLY_ACTION),
    "joining": ("post", OWNER_ONLY_ACTION),
    "items": ("get", OWNER_ONLY_PAGE),
    "category": ("get", OWNER_ONLY_PAGE),
    "student": ("get", OWNER_ONLY_PAGE),
    "student_remove": ("post", OWNER_ONLY_ACTION),
    "drill_create": ("get", OWNER_ONLY_PAGE),
    "drill": ("get", OWNER_ONLY_PAGE),
    "worksheet": ("get", OWNER_ONLY_PAGE),
    "export_drills": ("get", OWNER_ONLY_PAGE),
    "export_heatmap": ("get", OWNER_ONLY_PAGE),
    "join": ("get", SIGNED_IN),
    "join_link": ("get", SIGNED_IN),
    "leave": ("post", MEMBERS_ONLY_ACTION),
    "drill_start": ("post", MEMBERS_ONLY_ACTION),
}


def app_patterns() -> list:
    [resolver] = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.app_name == "classrooms"
    ]
    return list(resolver.url_patterns)


def test_the_table_covers_every_url_of_the_app():
    assert {pattern.name for pattern in app_patterns()} == set(EXPECTED)


@pytest.fixture
def world():
    owner, other_teacher = teacher("owner"), teacher("other_teacher")
    student, other_student = person("student"), person("other_student")
    classroom = class_of(owner, [student], name=CLASS_NAME)
    drill = drill_for(classroom)
    class_of(other_teacher, [other_student], name="Another class")
    clients = {"visitor": Client()}
    for role, user in [
        ("student", student),
        ("other_student", other_student),
        ("teacher", owner),
        ("other_teacher", other_teacher),
    ]:
        clients[role] = Client()
        clients[role].force_login(user)
    arguments = {
        "classroom_id": classroom.pk,
        "drill_id": drill.pk,
        "student_id": student.pk,
        "slug": "date-and-time",
        "code": classroom.join_code,
    }
    return clients, arguments


def url_for(name: str, arguments: dict) -> str:
    pattern = next(p for p in app_patterns() if p.name == name)
    needed = {k: v for k, v in arguments.items() if k in pattern.pattern.converters}
    return reverse(f"classrooms:{name}", kwargs=needed)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_who_may_reach_what(world, name, role):
    clients, arguments = world
    method, statuses = EXPECTED[name]
    response = getattr(clients[role], method)(url_for(name, arguments))
    assert response.status_code == statuses[role], (name, role)
    if response.status_code == 302 and role == "visitor":
        assert response["Location"].startswith(reverse("login"))
    if response.status_code in (403, 404):
        assert CLASS_NAME not in response.content.decode()
