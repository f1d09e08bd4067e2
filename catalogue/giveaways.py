"""Whether a clue gives its module away: the rule every shown clue obeys, as plain data.

A clue must not contain the module's name, its import name, its aliases or its giveaways, in
any case, as a whole word or inside a compound: "mathematical" gives `math` away, "JSON-encoded"
gives `json` away, "sockets" gives `socket` away. Words of three letters or fewer are looked for
as whole words only (and their plurals), or "re" would be found in "read" and "os" in "most".
Curators' edits are checked with this rule in the admin; the shipped catalogue passes it, so
that no question ever needs a blank.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# Shorter terms are matched as whole words only.
SHORT_TERM = 3


def _fold(text: str) -> str:
    """Case, and spaces, hyphens and underscores between words, make no difference."""
    return re.sub(r"[\s\-_]+", " ", text.casefold()).strip()


def giveaway_terms(
    name: str, import_name: str = "", aliases: Iterable[str] = (), giveaways: Iterable[str] = ()
) -> tuple[str, ...]:
    """Every term that gives the module away, folded, longest first.

    Besides the module's own words: a plural name's singular ("fraction" gives `fractions`
    away) and a dotted name's last part ("mock" gives `unittest.mock` away)."""
    words = {_fold(w) for w in (name, import_name, *aliases, *giveaways) if w.strip()}
    for word in list(words):
        if word.endswith("s") and len(word) >= 6 and " " not in word:
            words.add(word[:-1])
        last = word.rsplit(".", 1)[-1]
        if "." in word and len(last) > SHORT_TERM:
            words.add(last)
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@functools.lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern[str]:
    if len(term) > SHORT_TERM:
        return re.compile(re.escape(term))
    # A short term as a whole word, or its plural: "OS" and "OSes", never "most" or "read".
    return re.compile(rf"(?<![^\W_]){re.escape(term)}(?:e?s)?(?![^\W_])")


def find_giveaway(text: str, terms: Iterable[str]) -> str | None:
    """The first term found in the text, or None when the text gives nothing away."""
    folded = _fold(text)
    for term in terms:
        if _pattern(term).search(folded):
            return term
    return None
