"""The shipped catalogue fixture: complete, curated, consistent, and idempotent to load."""

import io
import sys

import pytest
from django.core.management import call_command

from catalogue.models import Category, Clue, Module

pytestmark = pytest.mark.django_db

# Every module the three seeds name: the catalogue's specification.
SEED_MODULES = {
    "abc", "argparse", "array", "asyncio", "atexit", "base64", "bisect", "builtins", "bz2",
    "calendar", "cmath", "code", "codeop", "collections", "concurrent.futures", "configparser",
    "copy", "csv", "ctypes", "datetime", "dbm", "decimal", "difflib", "doctest", "email", "enum",
    "fileinput", "fnmatch", "fractions", "ftplib", "functools", "gettext", "glob", "gzip",
    "hashlib", "heapq", "hmac", "html", "http", "imaplib", "importlib", "inspect", "io",
    "ipaddress", "itertools", "json", "linecache", "locale", "logging", "lzma", "math",
    "matplotlib", "mmap", "multiprocessing", "numpy", "operator", "os", "os.path", "pandas",
    "pathlib", "pdb", "pickle", "platform", "poplib", "pygame", "queue", "random", "re",
    "requests", "resource", "scikit-learn", "secrets", "selectors", "shutil", "signal",
    "smtplib", "socket", "sqlite3", "ssl", "statistics", "string", "struct", "subprocess", "sys",
    "tarfile", "tempfile", "tensorflow", "textwrap", "threading", "time", "timeit", "tkinter",
    "traceback", "types", "typing", "unicodedata", "unittest", "unittest.mock", "urllib", "uuid",
    "warnings", "weakref", "xml", "zipfile", "zoneinfo",
}  # fmt: skip

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


def dump_catalogue() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        "catalogue.category",
        "catalogue.module",
        "catalogue.clue",
        natural_foreign=True,
        natural_primary=True,
        indent=2,
        stdout=out,
    )
    return out.getvalue()


def test_loading_twice_changes_nothing():
    before = dump_catalogue()
    counts = (Module.objects.count(), Clue.objects.count(), Category.objects.count())

    call_command("loaddata", "catalogue", verbosity=0)

    assert dump_catalogue() == before
    assert (Module.objects.count(), Clue.objects.count(), Category.objects.count()) == counts


def test_fixture_is_what_dumpdata_writes():
    """A curator's `make fixtures` after no edits leaves the file byte for byte as it is."""
    from django.conf import settings

    shipped = (settings.BASE_DIR / "fixtures" / "catalogue.json").read_text()
    assert dump_catalogue().strip() == shipped.strip()


def test_every_seed_module_is_in_the_catalogue_and_nothing_else():
    assert set(Module.objects.values_list("name", flat=True)) == SEED_MODULES


def test_the_sixteen_seed_categories_come_first_in_order_and_all_have_modules():
    categories = list(Category.objects.with_module_counts())
    assert [c.name for c in categories[:16]] == SEED_CATEGORIES
    assert all(c.module_count > 0 for c in categories), [c.name for c in categories]


def test_every_module_has_a_clue_and_a_category():
    assert not Module.objects.filter(clues=None).exists()
    assert not Module.objects.filter(categories=None).exists()


def test_every_module_has_a_description():
    described = Module.objects.filter(clues__kind=Clue.Kind.DESCRIPTION).distinct().count()
    assert described == Module.objects.count()


def test_no_clue_without_a_module():
    assert not Clue.objects.filter(modules=None).exists()


@pytest.mark.parametrize("module", sorted(SEED_MODULES))
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


def test_uncategorised_modules_get_the_python_docs_category():
    assert (
        Module.objects.get(name="base64").categories.filter(name="Internet Data Handling").exists()
    )
    assert Module.objects.get(name="abc").categories.filter(name="Python Runtime Services").exists()


def test_third_party_packages_get_categories_of_their_own():
    seed_categories = Category.objects.filter(name__in=SEED_CATEGORIES)
    for name in THIRD_PARTY:
        module = Module.objects.get(name=name)
        assert not module.categories.filter(pk__in=seed_categories).exists(), name
    assert set(
        Category.objects.get(name="Data Science").modules.values_list("name", flat=True)
    ) >= {"numpy", "pandas", "matplotlib"}


@pytest.mark.parametrize(
    ("text", "modules"),
    [
        ("File compression and decompression.", {"zipfile", "tarfile", "gzip", "bz2", "lzma"}),
        ("Working with file paths, directory paths.", {"os.path", "pathlib"}),
        ("Email protocols (SMTP, IMAP, POP3).", {"smtplib", "imaplib", "poplib"}),
    ],
)
def test_a_clue_that_fits_several_modules_is_linked_to_each(text, modules):
    clue = Clue.objects.get(text=text)
    assert set(clue.modules.values_list("name", flat=True)) == modules


def test_repeated_seed_rows_are_one_clue():
    clue = Clue.objects.get(
        text="Provides infrastructure for writing asynchronous IO (input/output) code."
    )
    assert list(clue.modules.values_list("name", flat=True)) == ["asyncio"]
    assert (
        Module.objects.get(name="argparse")
        .clues.filter(text__icontains="command-line parsing")
        .count()
        == 1
    )


def test_seed_defects_are_curated():
    assert not Clue.objects.filter(text__startswith="his ").exists()
    assert Clue.objects.filter(
        text__startswith="This handy module implements a common interface"
    ).exists()
    shutil_clue = Clue.objects.get(text__startswith="Provides a number of high-level operations")
    assert shutil_clue.text.endswith("especially functions that support file copying and removal.")
    assert not Clue.objects.filter(text__istartswith="support file copying").exists()
    base64 = Module.objects.get(name="base64")
    assert base64.clues.filter(kind=Clue.Kind.USE_CASE).exists()
    assert base64.clues.filter(text="Provides base64 encoding and decoding.").exists()


def test_clues_keep_their_source():
    sources = set(Clue.objects.values_list("source", flat=True))
    assert Clue.CURATED in sources
    assert len(sources - {Clue.CURATED}) == 3
    assert all(source.endswith(".txt") for source in sources - {Clue.CURATED})


def test_docs_links_point_at_documentation():
    assert (
        Module.objects.get(name="os.path").docs_url
        == "https://docs.python.org/3/library/os.path.html"
    )
    assert Module.objects.get(name="builtins").docs_url.endswith("/library/functions.html")
    assert all(
        url.startswith("https://") for url in Module.objects.values_list("docs_url", flat=True)
    )
