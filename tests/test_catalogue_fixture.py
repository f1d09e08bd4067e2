"""The shipped catalogue fixture: complete, curated, consistent, and idempotent to load."""

import io
import json
import re
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from catalogue.giveaways import find_giveaway, giveaway_terms
from catalogue.kinds import ClueKind
from catalogue.models import Category, Clue, ConfusableGroup, Module
from catalogue.snapshot import get_catalogue
from quizzes.redaction import leak_terms, redact

pytestmark = pytest.mark.django_db

# Every row of the three seed documents, as the seeds wrote them: (seed file, modules, kind,
# text). The catalogue's specification; the seeds themselves are not read at run time.
SEED_ROWS = json.loads(
    (Path(__file__).parent / "data" / "seed_rows.json").read_text(encoding="utf-8")
)
SEED_MODULES = {name for row in SEED_ROWS for name in row["modules"]}

# Standard-library modules the seeds leave out, added because learners confuse them with
# seed modules (confusable groups) or because a lookalike resembles them.
ADDED_MODULES = {"contextlib", "dataclasses", "marshal", "shelve", "tomllib", "zlib"}

# The third seed's 16 categories, in its order.
SEED_CATEGORIES = [
    "Built-In Functions",
    "Data Types and Data Structures",
    "Numeric and Mathematical Modules",
    "String Handling",
    "File and Directory Access",
    "Data Persistence and Compression",
    "Date and Time",
    "Internet Data Handling",
    "Networking",
    "Multithreading and Concurrency",
    "Cryptography and Security",
    "Debugging, Testing, and Logging",
    "OS-Specific Services",
    "Internationalization",
    "Development Tools",
    "Other Specialized Modules",
]

THIRD_PARTY = {"requests", "numpy", "pandas", "matplotlib", "scikit-learn", "tensorflow", "pygame"}

# Named by the issue that asked for lookalikes: each must be there.
REQUIRED_LOOKALIKES = {
    "attrs": "dataclasses",
    "python-dateutil": "datetime",
    "pytz": "zoneinfo",
    "toml": "tomllib",
    "simplejson": "json",
    "PyYAML": None,
    "regex": "re",
    "six": None,
    "mock": "unittest.mock",
    "typing_extensions": "typing",
}
REQUIRED_REMOVED = {
    "asyncore": "3.12",
    "asynchat": "3.12",
    "distutils": "3.12",
    "imp": "3.12",
    "smtpd": "3.12",
    "cgi": "3.13",
    "cgitb": "3.13",
    "telnetlib": "3.13",
    "nntplib": "3.13",
    "crypt": "3.13",
    "pipes": "3.13",
    "uu": "3.13",
}

# Groups learners are known to confuse: hard questions draw their wrong options from these.
REQUIRED_GROUPS = [
    {"json", "pickle", "marshal", "shelve"},
    {"threading", "multiprocessing", "concurrent.futures", "asyncio"},
    {"os", "os.path", "pathlib", "shutil", "glob"},
    {"time", "datetime", "calendar", "zoneinfo"},
    {"hashlib", "hmac", "secrets"},
]


def dump_catalogue() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        "catalogue.category",
        "catalogue.module",
        "catalogue.clue",
        "catalogue.confusablegroup",
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        stdout=out,
    )
    return out.getvalue()


def askable():
    return Module.objects.askable()


def test_loading_twice_changes_nothing():
    before = dump_catalogue()
    counts = (Module.objects.count(), Clue.objects.count(), ConfusableGroup.objects.count())

    call_command("loaddata", "catalogue", verbosity=0)

    assert dump_catalogue() == before
    assert (Module.objects.count(), Clue.objects.count(), ConfusableGroup.objects.count()) == counts


def test_fixture_is_what_dumpdata_writes():
    """A curator's `make fixtures` after no edits leaves the file byte for byte as it is."""
    from django.conf import settings

    shipped = (settings.BASE_DIR / "fixtures" / "catalogue.json").read_text()
    assert dump_catalogue().strip() == shipped.strip()


# --- Modules and categories ------------------------------------------------------------------


def test_every_seed_module_is_asked_in_every_kind_and_only_added_ones_beside_them():
    assert set(askable().values_list("name", flat=True)) == SEED_MODULES | ADDED_MODULES


def test_the_sixteen_seed_categories_come_first_in_order_and_all_have_modules():
    categories = list(Category.objects.with_module_counts())
    assert [c.name for c in categories[:16]] == SEED_CATEGORIES
    assert all(c.module_count > 0 for c in categories), [c.name for c in categories]


def test_every_module_quizzes_ask_about_has_a_category_and_two_clues_of_each_kind():
    for module in askable().prefetch_related("clues", "categories"):
        kinds = [clue.kind for clue in module.clues.all()]
        assert kinds.count(ClueKind.DESCRIPTION) >= 2, module
        assert kinds.count(ClueKind.USE_CASE) >= 2, module
        assert module.categories.exists(), module


def test_every_module_has_one_summary_of_its_own():
    for module in askable().prefetch_related("clues__modules"):
        summaries = [clue for clue in module.clues.all() if clue.is_summary]
        assert len(summaries) == 1, module
        assert [m.name for m in summaries[0].modules.all()] == [module.name]


def test_no_clue_without_a_module_and_none_about_a_lookalike():
    assert not Clue.objects.filter(modules=None).exists()
    assert not Clue.objects.filter(modules__is_lookalike=True).exists()


@pytest.mark.parametrize("module", sorted(SEED_MODULES | ADDED_MODULES))
def test_stdlib_flag_agrees_with_sys_stdlib_module_names(module):
    row = Module.objects.get(name=module)
    top_level = row.import_name.split(".")[0]
    assert row.is_stdlib == (top_level in sys.stdlib_module_names)
    assert row.is_stdlib == (module not in THIRD_PARTY)


def test_scikit_learn_is_imported_as_sklearn():
    assert Module.objects.get(name="scikit-learn").import_name == "sklearn"


def test_submodules_know_their_parent():
    assert Module.objects.get(name="os.path").parent == Module.objects.get(name="os")
    assert Module.objects.get(name="unittest.mock").parent == Module.objects.get(name="unittest")
    assert Module.objects.filter(parent__isnull=False).count() == 2


def test_modules_with_several_categories():
    for name in ["json", "queue", "os", "xml"]:
        assert Module.objects.get(name=name).categories.count() >= 2, name


def test_builtins_stands_for_built_in_functions():
    category = Category.objects.get(name="Built-In Functions")
    assert list(category.modules.values_list("name", flat=True)) == ["builtins"]


def test_categories_follow_the_python_docs_where_the_seeds_are_silent_or_wrong():
    def categories(name):
        return set(Module.objects.get(name=name).categories.values_list("name", flat=True))

    assert "Internet Data Handling" in categories("base64")
    assert "Python Runtime Services" in categories("abc")
    # uuid makes identifiers: not String Handling, as a seed had it.
    assert categories("uuid") == {"Internet Data Handling"}


def test_third_party_packages_get_categories_of_their_own():
    seed_categories = Category.objects.filter(name__in=SEED_CATEGORIES)
    for name in THIRD_PARTY:
        module = Module.objects.get(name=name)
        assert not module.categories.filter(pk__in=seed_categories).exists(), name
    assert set(
        Category.objects.get(name="Data Science").modules.values_list("name", flat=True)
    ) >= {"numpy", "pandas", "matplotlib"}


def test_docs_links_point_at_documentation_and_never_at_a_package_index():
    assert (
        Module.objects.get(name="os.path").docs_url
        == "https://docs.python.org/3/library/os.path.html"
    )
    assert Module.objects.get(name="builtins").docs_url.endswith("/library/functions.html")
    for url in Module.objects.values_list("docs_url", flat=True):
        assert url.startswith("https://"), url
        assert "pypi" not in url, url
        assert "pythonhosted" not in url, url


# --- Lookalikes ------------------------------------------------------------------------------


def test_at_least_sixty_lookalikes_none_of_them_in_the_standard_library():
    packages = Module.objects.filter(is_lookalike=True, removed_in="")
    assert packages.count() >= 60
    for module in packages:
        assert not module.is_stdlib
        # Its name is not a standard module's, though some install one (enum34 is `enum`).
        assert module.name not in sys.stdlib_module_names, module
        assert 40 <= len(module.note) <= 300, module
        assert not module.categories.exists()


@pytest.mark.parametrize(("name", "resembles"), sorted(REQUIRED_LOOKALIKES.items()))
def test_the_famous_lookalikes_say_what_they_resemble(name, resembles):
    module = Module.objects.select_related("resembles").get(name=name)
    assert module.is_lookalike
    if resembles:
        assert module.resembles is not None
        assert module.resembles.name == resembles


def test_removed_modules_say_which_version_removed_them():
    removed = Module.objects.exclude(removed_in="")
    assert removed.count() >= 20
    for module in removed:
        assert module.is_lookalike
        assert not module.is_stdlib
        assert module.removed_in in {"3.12", "3.13"}, module
        # Python 3.11 still has them all: they really were standard.
        assert module.import_name in sys.stdlib_module_names, module
        assert module.removed_in in module.note, module
    for name, version in REQUIRED_REMOVED.items():
        assert removed.get(name=name).removed_in == version


def test_a_lookalike_of_a_module_shows_on_its_page_data():
    assert set(Module.objects.get(name="zoneinfo").lookalikes.values_list("name", flat=True)) >= {
        "pytz"
    }
    assert Module.objects.get(name="requests").resembles.name == "urllib"


# --- Clues -----------------------------------------------------------------------------------


def test_every_seed_row_is_the_source_of_a_clue_of_each_module_it_names():
    clues = list(Clue.objects.prefetch_related("modules"))
    missing = []
    for row in SEED_ROWS:
        source = {"seed": row["seed"], "text": row["text"]}
        for name in row["modules"]:
            if not any(
                source in clue.sources and name in {m.name for m in clue.modules.all()}
                for clue in clues
            ):
                missing.append((row["seed"], name, row["text"]))
    assert not missing


def test_seed_descriptions_and_use_cases_keep_their_kind():
    kinds: dict[tuple[str, str], set[str]] = {}
    for clue in Clue.objects.all():
        for source in clue.sources:
            kinds.setdefault((source["seed"], source["text"]), set()).add(clue.kind)
    for row in SEED_ROWS:
        assert row["kind"] in kinds[(row["seed"], row["text"])], row


def test_no_shipped_clue_gives_its_module_away():
    """The strict rule: no name, import name, alias or giveaway, even inside a word."""
    for clue in Clue.objects.prefetch_related("modules"):
        for module in clue.modules.all():
            terms = giveaway_terms(
                module.name, module.import_name, module.aliases, module.giveaways
            )
            assert find_giveaway(clue.text, terms) is None, (module.name, clue.text)


def test_no_shipped_clue_would_be_blanked():
    """Redaction is a safety net for curators' edits: the shipped catalogue never needs it."""
    catalogue = get_catalogue()
    for clue in catalogue.clues:
        for name in clue.modules:
            assert redact(clue.text, leak_terms(catalogue.modules[name])) == clue.text, clue.text


def test_every_clue_is_one_whole_sentence():
    for clue in Clue.objects.all():
        text = clue.text
        assert "____" not in text, text
        assert "\n" not in text, text
        assert text.endswith("."), text
        assert 20 <= len(text) <= 220, text
        assert text.count("`") % 2 == 0, text
        if clue.kind == ClueKind.USE_CASE:
            assert re.match(r"(You|Your) ", text), text
        else:
            assert not re.match(r"(You|Your) ", text), text


def test_seed_typos_are_mended_in_what_learners_read():
    texts = " ".join(Clue.objects.values_list("text", flat=True))
    for typo in ["from to a", " ie. ", "a torture", "his package", "his handy", "  "]:
        assert typo not in texts, typo


def test_seed_errors_are_not_repeated():
    def linked(seed_text):
        return {
            name
            for clue in Clue.objects.prefetch_related("modules")
            if any(source["text"] == seed_text for source in clue.sources)
            for name in (m.name for m in clue.modules.all())
        }

    # json is not for arbitrary Python objects: that is pickle's job.
    assert "json" not in linked("Serialize and deserialize Python objects.")
    # codeop compiles, it never runs code: any clue of it that speaks of running says so.
    for clue in Clue.objects.filter(modules__name="codeop"):
        if re.search(r"\b(runs?|execut\w*|evaluat\w*)\b", clue.text):
            assert re.search(r"\b(never|not|without)\b", clue.text), clue.text


def test_clues_keep_their_provenance():
    seeds = {source["seed"] for clue in Clue.objects.all() for source in clue.sources}
    assert seeds == {row["seed"] for row in SEED_ROWS}
    assert Clue.objects.filter(sources=[]).exists()  # and curated clues beside them


# --- Confusable groups -----------------------------------------------------------------------


def test_the_known_confusions_are_grouped():
    groups = [
        set(group.modules.values_list("name", flat=True)) for group in ConfusableGroup.objects.all()
    ]
    for required in REQUIRED_GROUPS:
        assert any(required <= group for group in groups), required


def test_groups_hold_several_modules_that_quizzes_ask_about():
    for group in ConfusableGroup.objects.prefetch_related("modules"):
        members = list(group.modules.all())
        assert 3 <= len(members) <= 8, group
        assert not any(m.is_lookalike for m in members), group
