"""Curators search and edit the catalogue in the Django admin."""

import pytest
from django.urls import reverse

from catalogue.models import Category, Clue, Module

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        ("module", "sklearn", "scikit-learn"),
        ("module", "compression", "lzma"),
        ("clue", "pathname", "Provides functions for common pathname manipulations."),
        ("category", "Networking", "Networking"),
    ],
)
def test_staff_can_search_the_catalogue(admin_client, model, query, expected):
    url = reverse(f"admin:catalogue_{model}_changelist")
    response = admin_client.get(url, {"q": query})
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_staff_can_open_every_change_form(admin_client):
    for obj in [
        Module.objects.get(name="os.path"),
        Clue.objects.get(text="File compression and decompression."),
        Category.objects.get(slug="networking"),
    ]:
        url = reverse(f"admin:catalogue_{obj._meta.model_name}_change", args=[obj.pk])
        assert admin_client.get(url).status_code == 200, url


def test_staff_can_edit_a_clue(admin_client):
    clue = Clue.objects.get(text="Helps to work with json data.")
    json_module = Module.objects.get(name="json")
    response = admin_client.post(
        reverse("admin:catalogue_clue_change", args=[clue.pk]),
        {
            "text": "Helps to work with JSON data.",
            "kind": "description",
            "source": clue.source,
            "modules": [json_module.pk],
        },
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.text == "Helps to work with JSON data."


def test_visitors_cannot_reach_the_admin(client):
    response = client.get(reverse("admin:catalogue_module_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
