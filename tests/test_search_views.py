"""The search page as a browser calls it: synonyms, typos and why each result matched, as a
whole page and as the live HTMX fragment, in a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from catalogue.models import Module
from catalogue.search import MAX_QUERY_LENGTH
from catalogue.snapshot import get_catalogue
from tests.factories import ClueFactory, ModuleFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
# The catalogue snapshot's version, then the found modules with their clues and categories.
SEARCH_QUERIES = 4


def search(client, query: str, **headers):
    return client.get(reverse("catalogue:search"), {"q": query}, **headers)


def found(response) -> list[str]:
    """The modules listed, in order, as the page shows them (a cached list renders no
    template, so the test client records no context for it)."""
    html = response.content.decode()
    return re.findall(
        r'<h3 class="module-name"><a href="/modules/[^"]+/"><code>([^<]+)</code>', html
    )


def test_a_synonym_finds_the_module_and_says_so(client):
    response = search(client, "regular expression")
    html = response.content.decode()
    assert found(response)[0] == "re"
    assert "<html" in html
    assert "matched “regular expression”" in html
    assert 'href="/modules/re/"' in html


def test_the_live_fragment_holds_the_same_results(client):
    page = search(client, "timezone")
    fragment = search(client, "timezone", **HTMX)
    html = fragment.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert found(fragment) == found(page)
    assert found(fragment)[:2] == ["datetime", "zoneinfo"]
    assert html.count("matched “timezone”") >= 2


def test_a_history_restore_gets_the_whole_page(client):
    response = search(
        client, "regex", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.content.decode()


def card(html: str, name: str) -> str:
    start = html.index(f'href="/modules/{name}/"')
    return html[start : html.index("</li>", start)]


def test_a_typo_is_forgiven_and_said_to_be_one(client):
    response = search(client, "datetme", **HTMX)
    assert found(response) == ["datetime"]
    assert "did you mean datetime?" in card(response.content.decode(), "datetime")


def test_a_match_by_its_own_name_needs_no_explaining(client):
    response = search(client, "json")
    html = response.content.decode()
    assert found(response)[0] == "json"
    assert "match-reason" not in card(html, "json")
    module, hit = next((m, h) for m, h in response.context["results"] if h.explanation)
    assert hit.explanation == "matched “JSON Web Token”"  # PyJWT's term
    assert hit.explanation in card(html, module.name)


def test_a_third_party_result_is_shown_as_one(client):
    response = search(client, "http requests")
    html = response.content.decode()
    assert set(found(response)[:2]) == {"requests", "urllib"}
    assert "Third-party" in card(html, "requests")
    assert "matched “HTTP requests”" in card(html, "requests")


def test_the_query_count_is_pinned_and_does_not_grow_with_the_results(
    client, django_assert_max_num_queries
):
    search(client, "warm")  # the catalogue snapshot, read once as by a running app
    for query, at_least in [("datetme", 1), ("date", 10), ("file", 40), ("the", 100)]:
        with django_assert_max_num_queries(SEARCH_QUERIES) as queries:
            response = search(client, query, **HTMX)
        assert len(found(response)) >= at_least
        assert len(queries) == SEARCH_QUERIES


def test_an_empty_search_asks_nothing_of_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("catalogue:search"))
    assert "Type a module" in response.content.decode()


def test_a_module_added_in_the_admin_is_found_at_once(client):
    search(client, "json")
    module = ModuleFactory(search_terms=["flux capacitor"])
    ClueFactory(modules=[module], text="Bends time itself into a tidy loop.")
    assert found(search(client, "flux capacitor")) == [module.name]
    assert found(search(client, "tidy loop")) == [module.name]


@pytest.mark.parametrize(
    "query",
    ["", " ", "\x00", "a\x00b", "\x1b[31m", "?!*%_", "'; DROP TABLE catalogue_module; --",
     "é" * 500, "regex " * 100, "\u202e\u200b", "\\", "日本語", "🐍 python"],
)  # fmt: skip
def test_bad_input_gets_a_clear_page(client, query):
    for headers in [{}, HTMX]:
        response = search(client, query, **headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Nothing matches" in html or "module" in html


def test_a_long_query_is_cut_and_still_searched(client):
    response = search(client, "regex " * 100)
    assert response.context["query"].truncated
    assert len(response.context["query"].text) <= MAX_QUERY_LENGTH
    assert found(response)[:2] == ["re", "regex"]


def test_the_four_issue_queries_and_date_against_the_shipped_catalogue(client, catalogue_db):
    """The issue's queries, in a database freshly loaded from fixtures/catalogue.json."""
    assert "regex" in get_catalogue().modules["re"].giveaways
    expected_top = {
        # re first, then the PyPI package of that very name (shown as third-party).
        "regex": ["re", "regex"],
        "timezone": ["datetime", "zoneinfo"],
        "datetme": ["datetime"],
        # urllib.request is urllib in the catalogue; requests is the third-party client.
        "http requests": ["requests", "urllib"],
    }
    for query, top in expected_top.items():
        assert found(search(client, query))[: len(top)] == top, query
    date = found(search(client, "date"))
    assert date[0] == "datetime"
    assert {"datetime", "time", "calendar", "zoneinfo"} <= set(date[:6])


def test_curators_edit_search_terms_in_the_admin(admin_client):
    module = Module.objects.get(name="zoneinfo")
    response = admin_client.get(reverse("admin:catalogue_module_change", args=[module.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="search_terms"' in html
    assert "time zone" in html
