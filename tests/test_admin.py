"""Curators search and edit the catalogue in the Django admin."""

import pytest
from django.urls import reverse

from catalogue.admin import CLUE_NAMES_MODULE
from catalogue.models import Category, Clue, ConfusableGroup, Module

pytestmark = pytest.mark.django_db


def a_clue_of(name: str) -> Clue:
    return Clue.objects.filter(modules__name=name).order_by("pk")[0]


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        ("module", "sklearn", "scikit-learn"),
        ("module", "zoneinfo", "pytz"),  # a lookalike, found by what it resembles' name
        ("category", "Networking", "Networking"),
        ("confusablegroup", "pickle", "Serialising data"),
    ],
)
def test_staff_can_search_the_catalogue(admin_client, model, query, expected):
    url = reverse(f"admin:catalogue_{model}_changelist")
    response = admin_client.get(url, {"q": query})
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_staff_can_find_a_clue_by_a_word_of_it(admin_client):
    clue = a_clue_of("heapq")
    word = max(clue.text.split(), key=len).strip(".,`()")
    response = admin_client.get(reverse("admin:catalogue_clue_changelist"), {"q": word})
    assert clue.text in response.content.decode()


def test_staff_can_open_every_change_form(admin_client):
    for obj in [
        Module.objects.get(name="os.path"),
        Module.objects.get(name="pytz"),
        a_clue_of("gzip"),
        Category.objects.get(slug="networking"),
        ConfusableGroup.objects.first(),
    ]:
        url = reverse(f"admin:catalogue_{obj._meta.model_name}_change", args=[obj.pk])
        assert admin_client.get(url).status_code == 200, url


def test_clues_show_where_they_come_from_and_filter_by_it(admin_client):
    url = reverse("admin:catalogue_clue_changelist")
    seeded = admin_client.get(url, {"provenance": "seed"}).content.decode()
    curated = admin_client.get(url, {"provenance": "curated"}).content.decode()
    assert "001_0c94327231884af5.txt" in seeded
    assert "curated" in curated
    assert "001_0c94327231884af5.txt" not in curated


def edit(admin_client, clue, text):
    return admin_client.post(
        reverse("admin:catalogue_clue_change", args=[clue.pk]),
        {
            "text": text,
            "kind": clue.kind,
            "sources": "[]",
            "modules": [module.pk for module in clue.modules.all()],
        },
    )


def test_staff_can_edit_a_clue(admin_client):
    clue = a_clue_of("heapq")
    response = edit(admin_client, clue, "Keeps the smallest item of a plain list at index 0.")
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.text == "Keeps the smallest item of a plain list at index 0."


@pytest.mark.parametrize(
    ("module", "text", "term"),
    [
        ("json", "Reads JSON documents into dicts.", "json"),
        ("math", "Mathematical functions for floats.", "math"),
        ("sqlite3", "A file-based SQLite database.", "sqlite"),
        ("unittest.mock", "Mocking objects in tests.", "mock"),
    ],
)
def test_a_clue_that_gives_its_module_away_is_refused(admin_client, module, text, term):
    clue = a_clue_of(module)
    before = clue.text

    response = edit(admin_client, clue, text)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["text"]
    assert CLUE_NAMES_MODULE.format(module=module, term=term) in errors
    clue.refresh_from_db()
    assert clue.text == before


def test_visitors_cannot_reach_the_admin(client):
    response = client.get(reverse("admin:catalogue_module_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
