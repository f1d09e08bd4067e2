"""Matching and ranking what learners type, without a database: a small hand-made catalogue
whose every result is known, then the real fixture, read as plain data."""

import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from catalogue.models import validate_search_terms
from catalogue.search import (
    MatchKind,
    SearchableModule,
    SearchIndex,
    edit_distance,
    needed_words,
    search_catalogue,
    words_of,
)
from catalogue.snapshot import Catalogue

DATE_AND_TIME = "Date and Time"

INDEX = SearchIndex.build(
    [
        SearchableModule(
            name="re",
            terms=("regular expression", "regex", "regexp"),
            categories=("String Handling",),
            texts=("Perl-style pattern matching on text.",),
        ),
        SearchableModule(
            name="regex",
            texts=("A PyPI regular-expression engine, mostly compatible with re.",),
            is_lookalike=True,
        ),
        SearchableModule(
            name="datetime",
            terms=("timezone", "time zone", "tz", "format date"),
            categories=(DATE_AND_TIME,),
            texts=("Objects for dates and durations that you can add and compare.",),
        ),
        SearchableModule(
            name="time",
            terms=("sleep", "timestamp"),
            categories=(DATE_AND_TIME,),
            texts=("Seconds since the epoch as a float rather than date objects.",),
        ),
        SearchableModule(
            name="calendar",
            terms=("leap year",),
            categories=(DATE_AND_TIME,),
            texts=("Lays out a month as a plain-text grid.",),
        ),
        SearchableModule(
            name="zoneinfo",
            terms=("timezone", "time zone", "tz"),
            categories=(DATE_AND_TIME,),
            texts=("Builds tzinfo objects from IANA keys.",),
        ),
        SearchableModule(
            name="pytz",
            terms=("timezone", "time zone"),
            texts=("A PyPI time-zone library from before Python 3.9.",),
            is_lookalike=True,
        ),
        SearchableModule(
            name="subprocess",
            terms=("run a command", "shell command"),
            texts=("Starts external programs and reports their exit status.",),
        ),
        SearchableModule(
            name="scikit-learn",
            import_name="sklearn",
            terms=("machine learning",),
            texts=("Ready-made classic models that share one interface.",),
        ),
        SearchableModule(
            name="numpy",
            aliases=("np",),
            texts=("An n-dimensional array type whose items share one dtype.",),
        ),
        SearchableModule(
            name="contextlib",
            terms=("context manager",),
            texts=("Turns a generator into something usable in a with statement.",),
        ),
        SearchableModule(name="os.path", texts=("Functions that take file content apart.",)),
    ]
)


def names(query: str, index: SearchIndex = INDEX) -> list[str]:
    return [hit.name for hit in index.search(query)]


def hit(query: str, name: str, index: SearchIndex = INDEX):
    return next(h for h in index.search(query) if h.name == name)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Time-Zones", ["time", "zone"]),
        ("I/O", ["i", "o"]),
        ("SHA-256", ["sha", "256"]),
        ("Café  CRÈME", ["cafe", "creme"]),
        ("os.path", ["os", "path"]),
        ("snake_case", ["snake", "case"]),
        ("classes directories dates", ["class", "directory", "date"]),
        ("status process analysis os", ["status", "process", "analysis", "os"]),  # not plurals
        ("%_\\'; --", []),
        ("", []),
    ],
)
def test_words_are_folded_alike_in_queries_and_catalogue(text, words):
    assert words_of(text) == words


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("datetme", "datetime", 1),  # a letter left out
        ("pathlb", "pathlib", 1),
        ("colections", "collections", 1),
        ("pickel", "pickle", 1),  # two letters swapped: one edit
        ("threding", "threading", 1),
        ("regulrexpresion", "regularexpression", 2),
        ("json", "json", 0),
        ("sqlite", "socket", 3),  # beyond the limit: the limit plus one
    ],
)
def test_edit_distance(a, b, distance):
    assert edit_distance(a, b, 2) == distance
    assert edit_distance(b, a, 2) == distance


@pytest.mark.parametrize(
    ("query", "needed"),
    [
        ("how do i parse a json file in python", ["json", "file"]),
        ("run a command", ["run", "command"]),
        ("wait 5 seconds", ["wait", "second"]),
        ("parse", ["parse"]),  # nothing but a generic word: it is what was asked for
        ("the", ["the"]),
    ],
)
def test_only_words_that_say_what_is_wanted_must_match(query, needed):
    words = words_of(query)
    assert [words[i] for i in sorted(needed_words(words))] == needed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # A module quizzes ask about by its term before a lookalike by its exact name.
        ("regex", ["re", "regex"]),
        ("regexp", ["re"]),
        ("regular expression", ["re", "regex"]),
        ("regular exp", ["re", "regex"]),  # a term's start, as it is typed
        # Terms ask about modules first, lookalikes after; ties by name.
        ("timezone", ["datetime", "zoneinfo", "pytz"]),
        ("time-zone", ["zoneinfo", "datetime", "pytz"]),  # zoneinfo: "zone" starts its name
        ("tz", ["datetime", "zoneinfo"]),
        # A name's start, then the category every date module is in.
        ("date", ["datetime", "calendar", "time", "zoneinfo"]),
        ("dates", ["datetime", "calendar", "time", "zoneinfo"]),
        ("datetme", ["datetime"]),  # a typo: did you mean datetime?
        ("pathlb", []),  # nothing near enough
        ("path", ["os.path"]),  # inside a name
        ("sklearn", ["scikit-learn"]),
        ("np", ["numpy"]),
        ("how do I run a command", ["subprocess"]),
        ("run shell command", ["subprocess"]),
        ("leap years", ["calendar"]),
        ("machine learning", ["scikit-learn"]),
        ("", []),
        ("%", []),
    ],
)
def test_ranking(query, expected):
    assert names(query) == expected


@pytest.mark.parametrize(
    ("query", "name", "kind", "explanation"),
    [
        ("regex", "regex", MatchKind.NAME, ""),
        ("regex", "re", MatchKind.TERM, "matched “regex”"),
        ("time zone", "zoneinfo", MatchKind.TERM, "matched “timezone”"),
        ("regular exp", "re", MatchKind.TERM_START, "matched “regular expression”"),
        ("datet", "datetime", MatchKind.NAME_START, ""),
        ("sklearn", "scikit-learn", MatchKind.NAME, "matched “sklearn”"),
        ("datetme", "datetime", MatchKind.TYPO, "did you mean datetime?"),
        ("zonenifo", "zoneinfo", MatchKind.TYPO, "did you mean zoneinfo?"),
        ("regulr expresion", "re", MatchKind.TYPO, "did you mean regular expression?"),
        ("date", "time", MatchKind.CATEGORY, "in Date and Time"),
        ("pattern", "re", MatchKind.TEXT, "mentions “pattern”"),
        ("epoch seconds", "time", MatchKind.TEXT, "mentions “epoch”, “Seconds”"),
        ("timezone tzinfo", "zoneinfo", MatchKind.TEXT, "matched “timezone”; mentions “tzinfo”"),
    ],
)
def test_each_result_says_why_it_matched(query, name, kind, explanation):
    found = hit(query, name)
    assert found.kind == kind
    assert found.explanation == explanation


def test_a_name_beats_a_term_beats_a_typo_beats_a_category_beats_a_description():
    index = SearchIndex.build(
        [
            SearchableModule(name="e-text", texts=("About the widget.",)),
            SearchableModule(name="d-category", categories=("Widget Tools",)),
            SearchableModule(name="c-term-start", terms=("widget maker",)),
            SearchableModule(name="b-term", terms=("widgets",)),
            SearchableModule(name="mywidget"),
            SearchableModule(name="widgetry"),
            SearchableModule(name="widget"),
        ]
    )
    found = index.search("widget")
    assert [(h.name, h.kind) for h in found] == [
        ("widget", MatchKind.NAME),
        ("widgetry", MatchKind.NAME_START),
        ("mywidget", MatchKind.NAME_PART),
        ("b-term", MatchKind.TERM),
        ("c-term-start", MatchKind.TERM_START),
        ("d-category", MatchKind.CATEGORY),
        ("e-text", MatchKind.TEXT),
    ]
    # A typo only for a word found nowhere in the catalogue; its matches rank by name.
    assert [(h.name, h.kind) for h in index.search("widgte")] == [
        ("b-term", MatchKind.TYPO),
        ("widget", MatchKind.TYPO),
        ("widgetry", MatchKind.TYPO),  # its start, for the word still being typed
    ]


def test_lookalikes_come_after_modules_quizzes_ask_about_then_names_in_order():
    index = SearchIndex.build(
        [
            SearchableModule(name="b", terms=("thing",)),
            SearchableModule(name="a", terms=("thing",), is_lookalike=True),
            SearchableModule(name="c", terms=("thing",)),
        ]
    )
    assert names("thing", index) == ["b", "c", "a"]


def test_a_word_of_the_catalogue_is_never_taken_for_a_typo():
    # "content" is in a clue: it is not a miss of "context", one letter away.
    assert names("content") == ["os.path"]
    assert "contextlib" not in names("content")
    assert names("contxt") == ["contextlib"]  # found nowhere: a typo


def test_every_word_that_says_what_is_wanted_must_match():
    assert names("date sleep") == ["time"]
    assert names("date zebra") == []


@given(st.text(max_size=100))
def test_any_text_gives_a_deterministic_list_of_distinct_modules(text):
    first = INDEX.search(text)
    assert INDEX.search(text) == first
    assert len({hit.name for hit in first}) == len(first)
    assert [hit.sort_key for hit in first] == sorted(hit.sort_key for hit in first)


def test_search_terms_are_a_list_of_words():
    validate_search_terms(["time zone", "tz"])
    validate_search_terms([])
    for bad in ["time zone", [""], ["tz", 3], {"tz": 1}]:
        with pytest.raises(ValidationError):
            validate_search_terms(bad)


# --- the real catalogue -------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    records = json.loads((settings.BASE_DIR / "fixtures" / "catalogue.json").read_text())
    return Catalogue.from_fixture(records)


@pytest.mark.parametrize(
    ("query", "module", "within"),
    [
        ("regex", "re", 1),  # before the PyPI package named regex
        ("regexp", "re", 1),
        ("regular expression", "re", 1),
        ("timezone", "zoneinfo", 2),
        ("time zone", "datetime", 2),
        ("tz", "zoneinfo", 2),  # before tzdata and tzlocal, whose names start so
        ("datetme", "datetime", 1),
        ("http requests", "requests", 2),
        ("http requests", "urllib", 2),
        ("date", "zoneinfo", 6),
        ("json", "json", 1),
        ("csv", "csv", 1),
        ("random number", "random", 1),
        ("sleep", "time", 1),
        ("environment variables", "os", 1),
        ("command line arguments", "argparse", 2),
        ("command line arguments", "sys", 2),
        ("zip", "zipfile", 1),
        ("copy file", "shutil", 1),
        ("copy a file", "shutil", 1),
        ("unit test", "unittest", 1),
        ("walk directory", "os", 2),
        ("walk directory", "pathlib", 2),
        ("hash", "hashlib", 1),
        ("md5", "hashlib", 1),
        ("sha256", "hashlib", 1),
        ("thread", "threading", 1),
        ("subprocess", "subprocess", 1),
        ("run a command", "subprocess", 1),
        ("log", "logging", 1),
        ("sqlite", "sqlite3", 1),
        ("database", "sqlite3", 1),
        ("yaml", "PyYAML", 1),  # a lookalike: not in the standard library
        ("dataclass", "dataclasses", 1),
        ("enum", "enum", 1),
        ("deque", "collections", 1),
        ("counter", "collections", 1),
        ("sort", "builtins", 3),
        ("pathlb", "pathlib", 1),
        ("colections", "collections", 1),
        ("itertool", "itertools", 1),
        ("send an email", "smtplib", 1),
        ("how do i parse a json file in python", "json", 1),
        ("leap year", "calendar", 1),
        ("compress", "gzip", 6),
        ("current date and time", "datetime", 1),
        ("check if a file exists", "os.path", 2),
    ],
)
def test_what_learners_type_finds_the_module(catalogue, query, module, within):
    found = [hit.name for hit in search_catalogue(catalogue, query)]
    assert module in found[:within], found[:8]


def test_date_finds_every_date_and_time_module(catalogue):
    found = [hit.name for hit in search_catalogue(catalogue, "date")]
    assert found[0] == "datetime"
    assert {"datetime", "time", "calendar", "zoneinfo"} <= set(found[:6])


def test_every_search_term_finds_its_module(catalogue):
    for module in catalogue.modules.values():
        for term in module.search_terms:
            assert module.name in [h.name for h in search_catalogue(catalogue, term)], term


def test_search_terms_say_something_new(catalogue):
    """A term repeats none of the module's names or giveaways: those are searched already."""
    for module in catalogue.modules.values():
        known = {
            "".join(words_of(w))
            for w in (module.name, module.import_name, *module.aliases, *module.giveaways)
        }
        for term in module.search_terms:
            assert "".join(words_of(term)) not in known, (module.name, term)
