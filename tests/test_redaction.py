"""Redaction: a module's name, in any of its forms, never shows in the questions about it."""

import pytest

from catalogue.snapshot import ModuleInfo
from quizzes.questions import BLANK
from quizzes.redaction import leak_terms, mentions, redact


def module(
    name: str,
    import_name: str | None = None,
    aliases: tuple[str, ...] = (),
    giveaways: tuple[str, ...] = (),
):
    return ModuleInfo(
        name=name,
        import_name=import_name or name,
        is_stdlib=True,
        docs_url="",
        parent=None,
        categories=(),
        aliases=aliases,
        giveaways=giveaways,
    )


def test_leak_terms_are_the_name_import_name_aliases_and_giveaways_once_each():
    sklearn = module("scikit-learn", "sklearn", aliases=("scikit", "SKLEARN"))
    assert leak_terms(sklearn) == ("scikit-learn", "sklearn", "scikit")
    assert leak_terms(module("json")) == ("json",)
    assert leak_terms(module("sqlite3", giveaways=("SQLite",))) == ("sqlite3", "SQLite")
    assert leak_terms(module("numpy", aliases=("np",), giveaways=("NumPy",))) == ("numpy", "np")


@pytest.mark.parametrize(
    ("text", "terms", "shown"),
    [
        ("Helps to work with json data.", ["json"], f"Helps to work with {BLANK} data."),
        ("Encoding and decoding JSON data.", ["json"], f"Encoding and decoding {BLANK} data."),
        ("Work with calendars.", ["calendar"], f"Work with {BLANK}."),
        ("Pseudo-random number generators", ["random"], f"Pseudo-{BLANK} number generators"),
        ("Heap queues (priority queues).", ["queue"], f"Heap {BLANK} (priority {BLANK})."),
        ("Run subprocesses and wait.", ["subprocess"], f"Run {BLANK} and wait."),
        ("Boxes and more boxes", ["box"], f"{BLANK} and more {BLANK}"),
        ("Makes copies, copy's job.", ["copy"], f"Makes {BLANK}, {BLANK} job."),
        ("Python's json\u2019s encoder", ["json"], f"Python's {BLANK} encoder"),
        ("Use `json` or `json.dumps`.", ["json"], f"Use {BLANK} or `{BLANK}.dumps`."),
        ("Unlike os.path, it is OO.", ["os.path"], f"Unlike {BLANK}, it is OO."),
        ("See os.path.join.", ["os.path"], f"See {BLANK}.join."),
        ("Provides an IMAP4 client.", ["imaplib", "IMAP4"], f"Provides an {BLANK} client."),
        ("For SQLite databases.", ["sqlite3", "SQLite"], f"For {BLANK} databases."),
        ("Time-related functions.", ["time"], f"{BLANK}-related functions."),
        ("Uses scikit-learn (sklearn).", ["scikit-learn", "sklearn"], f"Uses {BLANK} ({BLANK})."),
        ("A Tk  GUI toolkit.", ["Tk GUI"], f"A {BLANK} toolkit."),
    ],
)  # fmt: skip
def test_redact_blanks_whole_words_in_any_case_plurals_and_possessives(text, terms, shown):
    assert redact(text, terms) == shown
    assert mentions(text, terms)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Asynchronous programming with asyncio.", ["io"]),
        ("Runs on macOS and Linux.", ["os"]),
        ("Avoids copying lists.", ["copy"]),
        ("Patterns with regexes, are they?", ["re"]),
        ("Patched with unittest.mock.", ["mock"]),
        ("The _thread module.", ["thread"]),
        ("Pseudorandom numbers.", ["random"]),
        ("Multithreading support.", ["threading"]),
        ("Timestamps and runtime", ["time"]),
        ("Work with data.", []),
    ],
)
def test_redact_leaves_other_words_alone(text, terms):
    assert redact(text, terms) == text
    assert not mentions(text, terms)


def test_the_longest_term_wins_where_terms_overlap():
    assert redact("Use os.path here.", ["os", "os.path"]) == f"Use {BLANK} here."
    assert redact("Use os here.", ["os", "os.path"]) == f"Use {BLANK} here."


def test_a_parent_is_named_by_its_dotted_child():
    # "os.path" names the os package: a question about os must not show it.
    assert redact("Paths via os.path.", ["os"]) == f"Paths via {BLANK}.path."


def test_terms_are_literal_text_not_patterns():
    assert redact("a.b and axb", ["a.b"]) == f"{BLANK} and axb"
    assert redact("C++ and C", ["C++"]) == f"{BLANK} and C"
