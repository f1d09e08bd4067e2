"""The catalogue is read once per process, and re-read when anyone changes it."""

import json
from dataclasses import replace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import Clue, Module
from catalogue.snapshot import Catalogue, get_catalogue
from quizzes.generation import generate_quiz
from quizzes.questions import QuizSettings

pytestmark = pytest.mark.django_db


def test_the_snapshot_matches_the_database():
    catalogue = get_catalogue()
    assert set(catalogue.modules) == set(Module.objects.values_list("name", flat=True))
    assert len(catalogue.clues) == Clue.objects.count()
    assert catalogue.modules["os"].children == ("os.path",)
    assert catalogue.modules["os.path"].parent == "os"
    assert "pytz" in catalogue.modules["zoneinfo"].lookalikes
    assert catalogue.modules["pytz"].resembles == "zoneinfo"
    assert catalogue.modules["cgi"].removed_in == "3.13"
    assert "pickle" in catalogue.confusable_with("json")
    assert "pytz" not in catalogue.askable()
    shared = Clue.objects.filter(modules__name="secrets").filter(modules__name="hmac").first()
    assert shared is not None
    assert {"secrets", "hmac"} <= next(c for c in catalogue.clues if c.text == shared.text).modules


def test_the_fixture_builds_the_same_catalogue_without_a_database():
    records = json.loads((settings.BASE_DIR / "fixtures" / "catalogue.json").read_text())
    from_fixture = Catalogue.from_fixture(records)
    from_database = get_catalogue()
    assert from_fixture.modules == from_database.modules
    assert from_fixture.clues == from_database.clues
    assert from_fixture.groups == from_database.groups
    assert list(from_fixture.categories) == list(from_database.categories)


def test_unchanged_catalogue_is_served_from_memory(django_assert_num_queries):
    first = get_catalogue()
    with django_assert_num_queries(1):  # the version check, nothing more
        assert get_catalogue() is first


def test_a_fifty_question_quiz_costs_one_query(django_assert_num_queries):
    get_catalogue()
    with django_assert_num_queries(1):
        quiz = generate_quiz(get_catalogue(), QuizSettings(count=50), seed=7)
    assert len(quiz) == 50


def test_an_admin_edit_is_seen_without_a_restart(admin_client):
    before = get_catalogue()
    clue = Clue.objects.filter(modules__name="heapq").order_by("pk")[0]
    old_text = clue.text
    response = admin_client.post(
        reverse("admin:catalogue_clue_change", args=[clue.pk]),
        {
            "text": "Keeps the smallest item of a plain list at index 0.",
            "kind": clue.kind,
            "sources": "[]",
            "modules": [Module.objects.get(name="heapq").pk],
        },
    )
    assert response.status_code == 302

    after = get_catalogue()
    assert after is not before
    texts = {c.text for c in after.clues_of("heapq")}
    assert "Keeps the smallest item of a plain list at index 0." in texts
    assert old_text not in texts


def test_loaddata_is_seen_without_a_restart():
    module = Module.objects.get(name="zoneinfo")
    module.categories.clear()  # an edit: bumps the version
    assert get_catalogue().modules["zoneinfo"].categories == ()

    call_command("loaddata", "catalogue", verbosity=0)

    assert get_catalogue().modules["zoneinfo"].categories == ("date-and-time",)


def test_another_process_sees_the_change(tmp_path):
    """Each process keeps its own copy; the shared version row tells it to re-read."""
    from catalogue import snapshot

    mine = get_catalogue()
    Module.objects.filter(name="json").update(docs_url="https://example.org/json")  # no signal
    assert get_catalogue() is mine  # nothing said it changed
    snapshot.bump_catalogue_version()  # as another process's save would
    assert get_catalogue().modules["json"].docs_url == "https://example.org/json"


def test_what_is_derived_from_a_snapshot_is_worked_out_once_and_stays_with_it():
    records = json.loads((settings.BASE_DIR / "fixtures" / "catalogue.json").read_text())
    snapshot = Catalogue.from_fixture(records, version="one")
    worked_out: list[str] = []

    def work_out(value: str) -> str:
        worked_out.append(value)
        return value

    assert snapshot.derived("key", lambda: work_out("first")) == "first"
    assert snapshot.derived("key", lambda: work_out("again")) == "first"
    edited = replace(snapshot, version="two")  # another version knows nothing of it
    assert edited.derived("key", lambda: work_out("edited")) == "edited"
    assert worked_out == ["first", "edited"]
