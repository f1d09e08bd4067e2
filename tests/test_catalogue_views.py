"""Catalogue pages as a browser calls them: full pages, HTMX fragments, bad input, query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.kinds import ClueKind
from catalogue.models import Category, Clue, Module
from catalogue.snapshot import get_catalogue
from catalogue.templatetags.catalogue_tags import inline_code
from tests.factories import CategoryFactory, ClueFactory, ModuleFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def count_queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


def grow_catalogue(category: Category | None = None, modules: int = 25) -> None:
    """Add modules, each with a clue and a category, to show queries don't grow with them."""
    if category is None:
        category = CategoryFactory.create()
    for _ in range(modules):
        module = ModuleFactory(categories=[category])
        ClueFactory(modules=[module], text=f"Grown clue for {module.name} about zebras.")


def test_home_lists_categories_in_seed_order_with_counts(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the catalogue's version, then the categories
        response = client.get(reverse("catalogue:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Built-In Functions") < html.index("Data Types and Data Structures")
    compression = Category.objects.get(slug="data-persistence-and-compression")
    assert f"{compression.modules.count()} modules" in html
    assert "1 module<" in html  # Built-In Functions: builtins alone, singular


def test_home_queries_do_not_grow_with_the_catalogue(client):
    before = count_queries(client, reverse("catalogue:home"))
    for _ in range(5):
        grow_catalogue(modules=3)
    assert count_queries(client, reverse("catalogue:home")) == before


def test_category_page_lists_its_modules_with_a_clue(client, django_assert_max_num_queries):
    url = reverse("catalogue:category", args=["date-and-time"])
    with django_assert_max_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    for name in ["datetime", "time", "calendar", "zoneinfo"]:
        assert f"<code>{name}</code>" in html
        # Each card says what the module is for: its summary.
        summary = Clue.objects.get(modules__name=name, is_summary=True)
        assert str(inline_code(summary.text)) in html
    assert "Standard library" in html


def test_category_page_queries_do_not_grow_with_its_modules(client):
    category = Category.objects.get(slug="date-and-time")
    url = reverse("catalogue:category", args=[category.slug])
    before = count_queries(client, url)
    grow_catalogue(category)
    assert count_queries(client, url) == before


def test_module_page_shows_clues_by_kind_badge_docs_and_family(
    client, django_assert_max_num_queries
):
    get_catalogue()  # the snapshot, as a running app holds it: the page checks the name there
    with django_assert_max_num_queries(7):
        response = client.get(reverse("catalogue:module", args=["os.path"]))

    assert response.status_code == 200
    html = response.content.decode()
    described = html.index("What it is")
    used = html.index("When you would use it")
    for clue in Clue.objects.filter(modules__name="os.path"):
        shown = html.index(str(inline_code(clue.text)))
        if clue.kind == ClueKind.DESCRIPTION:
            assert described < shown < used
        else:
            assert used < shown
    assert 'href="https://docs.python.org/3/library/os.path.html"' in html
    assert "Standard library" in html
    assert 'href="/modules/os/"' in html  # its parent
    assert 'href="/modules/pathlib/"' in html  # related: same category


def test_module_page_of_a_package_links_its_submodules(client):
    response = client.get(reverse("catalogue:module", args=["unittest"]))
    assert 'href="/modules/unittest.mock/"' in response.content.decode()


def test_third_party_module_page(client):
    response = client.get(reverse("catalogue:module", args=["scikit-learn"]))
    html = response.content.decode()
    assert "Third-party" in html
    assert "import sklearn" in html


def test_module_page_queries_do_not_grow_with_its_neighbours(client):
    module = Module.objects.get(name="heapq")
    url = reverse("catalogue:module", args=["heapq"])
    get_catalogue()  # as a running app holds it
    before = count_queries(client, url)
    grow_catalogue(module.categories.first())
    ClueFactory(modules=[module], text="One more heapq clue.")
    get_catalogue()  # read again once after an edit, by whichever page comes first
    assert count_queries(client, url) == before


@pytest.mark.parametrize(
    "url",
    [
        "/modules/nosuchmodule/",
        "/modules/os.path.nothing/",
        "/categories/no-such-category/",
        "/nowhere/",
        "/modules/%E2%9C%93/",
    ],
)
def test_unknown_pages_are_a_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert 'action="/search/"' in html  # a way forward


def test_pages_only_answer_get(client):
    assert client.post(reverse("catalogue:home")).status_code == 405
    assert client.post(reverse("catalogue:search"), {"q": "json"}).status_code == 405


def test_search_by_a_word_of_a_clue(client, django_assert_max_num_queries):
    client.get(reverse("catalogue:search"), {"q": "json"})  # warm the snapshot, as a live app
    with django_assert_max_num_queries(4):  # the snapshot's version, then the modules' cards
        response = client.get(reverse("catalogue:search"), {"q": "compress"})

    assert response.status_code == 200
    html = response.content.decode()
    for name in ["gzip", "bz2", "lzma", "zlib"]:
        assert f"/modules/{name}/" in html
    assert "<html" in html  # a whole page
    assert 'id="search-q"' in html


def test_search_htmx_request_gets_only_the_results_fragment(client):
    response = client.get(reverse("catalogue:search"), {"q": "compress"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert "/modules/lzma/" in html


def test_search_puts_name_matches_first(client):
    response = client.get(reverse("catalogue:search"), {"q": "path"})
    found = [module.name for module, _ in response.context["results"]]
    assert found[0] == "pathlib"
    assert set(found[:3]) == {"pathlib", "pathlib2", "os.path"}  # then clues that say "path"
    assert len(found) > 3


def test_search_needs_every_word(client):
    html = client.get(reverse("catalogue:search"), {"q": "compress member"}).content.decode()
    assert "/modules/tarfile/" in html  # archives: members, compressed
    assert "/modules/zipfile/" in html
    assert "/modules/gzip/" not in html  # compresses one file: no members


def test_search_queries_do_not_grow_with_results(client):
    url = reverse("catalogue:search") + "?q=zebras"
    grow_catalogue(modules=2)
    before = count_queries(client, url)
    grow_catalogue(modules=20)
    assert count_queries(client, url) == before


def test_search_with_nothing_found(client):
    html = client.get(reverse("catalogue:search"), {"q": "xyzzyplugh"}).content.decode()
    assert "0 modules match" in html
    assert "Nothing matches" in html


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "%",
        "_",
        "'; DROP TABLE catalogue_module; --",
        "a\x00b",
        "\x00",
        "ünïcödé ✓",
        "\\",
    ],
)
def test_odd_search_queries_get_a_normal_page(client, query):
    response = client.get(reverse("catalogue:search"), {"q": query})
    assert response.status_code == 200
    assert "Search the catalogue" in response.content.decode()
    assert Module.objects.filter(name="json").exists()


def test_empty_search_shows_a_hint_not_everything(client):
    html = client.get(reverse("catalogue:search")).content.decode()
    assert "Type a module" in html
    assert "/modules/json/" not in html


def test_very_long_search_is_cut_and_said_so(client):
    response = client.get(reverse("catalogue:search"), {"q": "json " * 2000})
    html = response.content.decode()
    assert response.status_code == 200
    assert "first 100 characters" in html
    assert "/modules/json/" in html


@pytest.mark.parametrize("query", ["%", "_", "%%", "*"])
def test_wildcards_are_only_punctuation(client, query):
    """Search reads letters and digits: a wildcard finds nothing, and says why."""
    response = client.get(reverse("catalogue:search"), {"q": query})
    assert response.context["results"] == []
    assert "letters and digits only" in response.content.decode()


def test_search_box_works_without_javascript(client):
    html = client.get(reverse("catalogue:home")).content.decode()
    assert '<form class="search-form" action="/search/" method="get"' in html
    assert 'name="q"' in html


def test_lookalikes_page_lists_packages_and_removed_modules(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(reverse("catalogue:lookalikes"))

    assert response.status_code == 200
    packages = response.context["packages"]
    removed = response.context["removed"]
    assert len(packages) == Module.objects.filter(is_lookalike=True, removed_in="").count()
    assert {m.name for m in removed} >= {"cgi", "imp", "distutils"}
    html = response.content.decode()
    assert "Python 3.13" in html
    assert 'href="/modules/pytz/"' in html
    assert 'href="/modules/zoneinfo/"' in html  # what pytz is mistaken for


def test_a_lookalike_page_says_it_is_not_in_the_standard_library(client):
    response = client.get(reverse("catalogue:module", args=["pytz"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Third-party" in html
    assert str(inline_code(Module.objects.get(name="pytz").note)) in html
    assert 'href="/modules/zoneinfo/"' in html
    assert "What it is" not in html  # no clues: it is asked only "standard library or not?"


def test_a_removed_module_says_when_it_went(client):
    html = client.get(reverse("catalogue:module", args=["telnetlib"])).content.decode()
    assert "Removed in Python 3.13" in html


def test_a_module_page_names_its_lookalikes(client):
    response = client.get(reverse("catalogue:module", args=["zoneinfo"]))
    html = response.content.decode()
    assert "Not to be confused with" in html
    assert 'href="/modules/pytz/"' in html


def test_the_home_page_leads_to_the_lookalikes(client):
    html = client.get(reverse("catalogue:home")).content.decode()
    assert f'href="{reverse("catalogue:lookalikes")}"' in html


def without_csrf_token(html: str) -> str:
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")\w+', r"\1", html)


# A catalogue page's lists are rendered once per catalogue version, in each process.
CACHED_PAGES = [
    ("catalogue:home", [], 1),  # the version
    ("catalogue:category", ["date-and-time"], 3),  # the version, the category, is it empty
    ("catalogue:module", ["os.path"], 1),  # the version: the snapshot knows the module
]


@pytest.mark.parametrize(("name", "args", "queries"), CACHED_PAGES)
def test_a_second_visit_reads_the_rendered_lists_and_shows_the_same_page(
    client, django_assert_num_queries, name, args, queries
):
    url = reverse(name, args=args)
    first = client.get(url).content.decode()
    with django_assert_num_queries(queries):
        again = client.get(url).content.decode()
    # The same page, but for the CSRF token, which Django masks afresh for every response.
    assert without_csrf_token(again) == without_csrf_token(first)


EDITED = {
    "catalogue:home": "Dates and Times, edited",  # a category's name, in the list
    "catalogue:category": "Freshly edited: objects for dates",  # a card's clue
    "catalogue:module": "Freshly edited: names of files",  # a clue of the module
}


@pytest.mark.parametrize(("name", "args", "queries"), CACHED_PAGES)
def test_a_catalogue_edit_shows_on_the_next_visit(client, name, args, queries):
    """An edit (in the admin, or by loading the fixture) changes the catalogue's version, which
    every process reads on every visit: nobody sees the old page after it."""
    url = reverse(name, args=args)
    assert EDITED[name] not in client.get(url).content.decode()
    category = Category.objects.get(slug="date-and-time")
    category.name = "Dates and Times, edited"
    category.save()
    for module, text in [
        ("datetime", "Freshly edited: objects for dates and times."),
        ("os.path", "Freshly edited: names of files, taken apart and joined."),
    ]:
        clue = Clue.objects.get(modules__name=module, is_summary=True)
        clue.text = text
        clue.save()
    assert EDITED[name] in client.get(url).content.decode()
