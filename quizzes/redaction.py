"""Keeping a module's name out of the questions about it: the safety net.

No shipped clue names its module (catalogue.giveaways holds the stricter rule the catalogue
and the admin enforce), but a clue edited by hand could: shown as a prompt it would give the
answer away, so the name is blanked ("Helps to work with ____ data."). The same matching tells
the generator which modules a clue mentions, so that none of them is offered as a distractor
the prompt itself points at.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from catalogue.snapshot import ModuleInfo

from .questions import BLANK

# A name is a whole token: no word character before it, and no dot before it either, so that
# "mock" is not found inside "unittest.mock". After it, a dot is allowed: "os.path" and
# `json.dumps` do name `os` and `json`.
_BEFORE = r"(?<![\w.])"
_AFTER = r"(?!\w)"
# "Python's" and its typographic form with U+2019 alike.
_POSSESSIVE = r"(?:['\u2019]s)?"


def leak_terms(module: ModuleInfo) -> tuple[str, ...]:
    """The words that give `module` away: its name, import name, aliases and giveaways."""
    terms: list[str] = []
    seen: set[str] = set()
    for term in (module.name, module.import_name, *module.aliases, *module.giveaways):
        term = term.strip()
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    return tuple(terms)


def _literal(term: str) -> str:
    # Spacing inside a multi-word alias may vary in clue texts ("Tk  GUI", a line break).
    return r"\s+".join(re.escape(word) for word in term.split())


def _forms(term: str) -> str:
    """The term with its plurals: calendar(s), box(es), and library -> libraries."""
    forms = [_literal(term) + r"(?:e?s)?"]
    if len(term) > 1 and term[-1] in "yY" and not term[-2].isspace():
        forms.append(_literal(term[:-1]) + "ies")
    return "|".join(forms)


@functools.lru_cache(maxsize=4096)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({t.strip() for t in terms if t.strip()}, key=lambda t: (-len(t), t))
    if not words:
        return None
    # Longest first, so that "os.path" wins over "os" where both are terms.
    name = "(?:" + "|".join(_forms(t) for t in words) + ")" + _POSSESSIVE
    # A name written as code takes its backticks with it when blanked: "`json`" -> "____".
    return re.compile(f"{_BEFORE}(?:`{name}`|{name}){_AFTER}", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _stem(term: str) -> str:
    """What any match of the term contains: its first word, less a final "y" (-> "ies")."""
    words = term.split()
    first = words[0].casefold() if words else ""
    return first[:-1] if len(words) == 1 and first.endswith("y") else first


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    # The same clue is checked against every module's terms: fold it once.
    return text.casefold()


def _pattern_for(text: str, terms: Iterable[str]) -> re.Pattern[str] | None:
    """The pattern for the terms that may occur in `text`, None if none can.

    The substring test is a cheap necessary condition: most clues name none of a module's
    terms, and it spares compiling (about a millisecond) and running a pattern for them.
    """
    folded = _folded(text)
    present = tuple(sorted({t for t in terms if t.strip() and _stem(t) in folded}))
    return _pattern(present) if present else None


def redact(text: str, terms: Iterable[str]) -> str:
    """`text` with every whole-word mention of a term (any case, plural, possessive) blanked."""
    pattern = _pattern_for(text, terms)
    return text if pattern is None else pattern.sub(BLANK, text)


def mentions(text: str, terms: Iterable[str]) -> bool:
    """Whether `text` names a term, matched exactly as `redact` matches it."""
    pattern = _pattern_for(text, terms)
    return pattern is not None and pattern.search(text) is not None
