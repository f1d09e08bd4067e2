"""The rule every shown clue obeys: it never gives its module away, even inside a word."""

import pytest

from catalogue.giveaways import find_giveaway, giveaway_terms


@pytest.mark.parametrize(
    ("module", "extra", "text", "found"),
    [
        ("math", {}, "Mathematical functions for floats.", "math"),
        ("json", {}, "Turns JSON-encoded text into dicts.", "json"),
        ("socket", {}, "Opens TCP sockets.", "socket"),
        ("copy", {}, "Avoids copying by hand.", "copy"),
        ("code", {}, "Decodes bytes.", "code"),
        ("os", {}, "Calls OS-level functions.", "os"),
        ("os", {}, "Runs on many OSes.", "os"),
        ("re", {}, "Use re-entrant locks.", "re"),
        ("fractions", {}, "Adds a fraction to another.", "fraction"),
        ("unittest.mock", {}, "Mocking a call.", "mock"),
        ("os.path", {}, "Joins parts of a path.", "path"),
        ("scikit-learn", {"import_name": "sklearn"}, "Uses scikit learn.", "scikit learn"),
        ("zipfile", {"giveaways": ["ZIP"]}, "Reads a .zip file.", "zip"),
        ("csv", {"giveaways": ["comma-separated value"]}, "Comma separated values.", None),
        ("numpy", {"aliases": ["np"]}, "Call np.array().", "np"),
    ],
)
def test_names_are_found_whole_inside_words_and_in_other_forms(module, extra, text, found):
    terms = giveaway_terms(
        module,
        extra.get("import_name", module),
        extra.get("aliases", ()),
        extra.get("giveaways", ()),
    )
    hit = find_giveaway(text, terms)
    if module == "csv":
        assert hit == "comma separated value"
    else:
        assert hit == found


@pytest.mark.parametrize(
    ("module", "text"),
    [
        ("os", "Most of macOS is fine."),
        ("re", "Read and return the rest."),
        ("io", "An action on the radio."),
        ("abc", "The alphabet."),
        ("time", "Counts seconds."),
    ],
)
def test_short_names_are_only_found_as_whole_words(module, text):
    assert find_giveaway(text, giveaway_terms(module)) is None


def test_terms_are_folded_and_longest_first():
    assert giveaway_terms("scikit-learn", "sklearn", ["Scikit_Learn"]) == (
        "scikit learn",
        "sklearn",
    )
    assert giveaway_terms("warnings") == ("warnings", "warning")
