"""Finding modules by what people type: plain data in, plain data out.

A module is found when every word of the query that says what is wanted matches it (filler
words such as "how" or "a", numbers and generic verbs such as "read" or "parse" need not, though
they count when they do): by its name, import name or an alias (`np`), by a search term or
giveaway (`regex`, `time zone`, `md5`), by a near miss of one of those (`datetme`) when the word
is found nowhere else, by a word of one of its categories' names, or by a word of its clues or
note. Words match in any case, without accents, and singular or plural; names and terms are
also matched by their start ("pathl") and across spaces ("timezone", "time zone").

A module ranks by its weakest word's best match, in the order of `MatchKind`: a name beats a
synonym, which beats a typo, which beats a category, which beats a description. Then modules
quizzes ask about come before lookalikes, then the closer match over all the words, then the
name, so results are always in the same order.

Why in Python, over the catalogue snapshot, and not PostgreSQL full-text search with an SQLite
fallback: the snapshot already holds every name, term and clue in memory (some 270 modules and
600 clues), refreshed whenever the catalogue changes, so matching costs no query at all. One
matcher gives both databases the same results, where PostgreSQL's English stemming and stop
words would rank differently from any SQLite fallback; and typos over a few thousand short
names and terms need no `pg_trgm` extension, which a managed database may not allow. The index
is built once per snapshot (some 50 ms) and a query takes a few milliseconds.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .snapshot import Catalogue

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class SearchQuery:
    text: str
    truncated: bool = False

    @classmethod
    def from_raw(cls, raw: str | None) -> SearchQuery:
        """Drop control characters (PostgreSQL rejects NUL), fold spaces, cap the length."""
        printable = "".join(ch if ch.isprintable() else " " for ch in raw or "")
        text = " ".join(printable.split())
        if len(text) > MAX_QUERY_LENGTH:
            return cls(text[:MAX_QUERY_LENGTH].rstrip(), truncated=True)
        return cls(text)

    @property
    def has_words(self) -> bool:
        """Whether it holds anything to look for: search reads letters and digits only."""
        return bool(words_of(self.text))


class MatchKind(IntEnum):
    """How well a word of the query matched a module, best first."""

    NAME = 0  # its name, import name or an alias, exactly
    NAME_START = 1  # the start of one of those: "pathl", "date"
    NAME_PART = 2  # inside one of those: "path" in os.path
    TERM = 3  # a search term or giveaway, exactly: "regex", "time zone"
    TERM_START = 4  # the start of one: "regular exp"
    TYPO = 5  # a name or term a letter or two away: "datetme"
    CATEGORY = 6  # a word of a category's name: "date" in Date and Time
    TEXT = 7  # a word of a clue or of its note


# How a learner is told why a module matched, unless by its own name.
EXPLANATIONS = {kind: "matched {}" for kind in MatchKind if kind <= MatchKind.TERM_START} | {
    MatchKind.TYPO: "did you mean {}?",
    MatchKind.CATEGORY: "in {}",
    MatchKind.TEXT: "mentions {}",
}


def singular(word: str) -> str:
    """A light plural folding, applied alike to queries and to everything searched."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


# Words that only hold a sentence together: they need not match, and runs of query words are
# compared with and without them ("run a command" is also "run command"). So are numbers.
FILLER_WORDS = frozenset(map(singular, {
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "i", "if", "in", "into", "is", "it", "me", "my", "of", "on", "or", "that", "the", "then",
    "there", "this", "to", "what", "when", "which", "with",
}))  # fmt: skip
# What a learner wants done, or says of every module: these need not match either, though they
# count when they do ("send email"). What it is done with is in the other words.
GENERIC_WORDS = frozenset(map(singular, {
    "change", "check", "checking", "convert", "converting", "create", "creating", "find",
    "finding", "generate", "generating", "get", "getting", "handle", "load", "loading", "make",
    "making", "library", "libraries", "module", "modules", "need", "package", "packages",
    "parse", "parsing", "python", "read", "reading",
    "save", "saving", "turn", "use", "using", "want", "work", "write", "writing",
}))  # fmt: skip
LONGEST_PHRASE = 4  # words: the longest term a run of query words is compared with
LONGEST_TYPO = 2  # words: the longest run of query words looked at for typos
TYPO_SHORTEST = 5  # letters: shorter words are too close to too many others to correct
TWO_TYPOS_SHORTEST = 8  # letters: from this length, two edits may still be a typo
PART_SHORTEST = 4  # letters: shorter is looked for inside names only at their start ("api")
TERM_PREFIX_SHORTEST = 4  # letters: shorter is a term's start only whole ("gui" is not GUID)
TEXT_PREFIX_SHORTEST = 3  # letters: shorter matches a description's words only whole
SHORTEST_TEXT_WORD = 2  # letters: a single one ("e" of "e.g.") matches no description
# A category's name is a few broad words: "run" must not find Python Runtime Services.
CATEGORY_PREFIX_SHORTEST = 4
WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """Lower-case words without accents or punctuation, plurals folded: "Time-Zones" is
    ["time", "zone"], "I/O" is ["i", "o"], "SHA-256" is ["sha", "256"]."""
    folded = (fold_word(raw) for raw in WORD.findall(unicodedata.normalize("NFKC", text)))
    return [word for word in folded if word]


@functools.lru_cache(maxsize=50_000)
def fold_word(raw: str) -> str:
    decomposed = unicodedata.normalize("NFKD", raw.casefold())
    return singular("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def key_of(text: str) -> str:
    """Words joined, so "time zone", "time-zone" and "timezone" are one key."""
    return "".join(words_of(text))


def is_filler(word: str) -> bool:
    return word in FILLER_WORDS or word.isdigit()


def needed_words(words: list[str]) -> set[int]:
    """The positions of the words a module must match: all but fillers and generic words,
    unless that leaves none."""
    for optional in (lambda w: is_filler(w) or w in GENERIC_WORDS, is_filler):
        needed = {i for i, word in enumerate(words) if not optional(word)}
        if needed:
            return needed
    return set(range(len(words)))


def typo_allowance(length: int) -> int:
    if length < TYPO_SHORTEST:
        return 0
    return 1 if length < TWO_TYPOS_SHORTEST else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance counting a swap of two neighbouring letters as one edit (optimal
    string alignment), or limit + 1 as soon as it must exceed the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other)
            )
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


@dataclass(frozen=True)
class SearchableModule:
    """What search reads of a module."""

    name: str
    import_name: str = ""
    aliases: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # search terms and giveaways
    categories: tuple[str, ...] = ()  # category names
    texts: tuple[str, ...] = ()  # clues and note
    is_lookalike: bool = False


@dataclass(frozen=True)
class Match:
    """Why one word of the query matched a module."""

    kind: MatchKind
    matched: str  # as written in the catalogue: "regular expression", "Date and Time"
    is_own_name: bool = False  # the module's own name needs no explaining


@dataclass(frozen=True)
class SearchHit:
    name: str
    kind: MatchKind  # the weakest of its words' matches: what it ranks by
    matches: tuple[Match, ...]  # the best match of each word that had to match, in order
    is_lookalike: bool = False

    @property
    def sort_key(self) -> tuple[int, int, int, str]:
        """The modules quizzes ask about first, then lookalikes, both by how well they matched;
        a word of a clue last of all. So "regex" finds re before the PyPI package of that name,
        and "date" the standard library's date modules before third-party ones."""
        group = 2 if self.kind == MatchKind.TEXT else int(self.is_lookalike)
        return (group, self.kind, sum(m.kind for m in self.matches), self.name)

    @property
    def explanation(self) -> str:
        """Why it matched, unless by its own name: 'matched “regex”', 'did you mean
        datetime?', 'in Date and Time', 'mentions “leap”, “year”'."""
        said: dict[str, list[str]] = {}  # how it is said: what matched, in the query's order
        for match in self.matches:
            if match.is_own_name:
                continue
            quoted = match.kind not in (MatchKind.TYPO, MatchKind.CATEGORY)
            what = f"“{match.matched}”" if quoted else match.matched
            if what not in said.setdefault(EXPLANATIONS[match.kind], []):
                said[EXPLANATIONS[match.kind]].append(what)
        return "; ".join(how.format(", ".join(what)) for how, what in said.items())


@dataclass(frozen=True)
class _Entry:
    """A name or term of a module, under its key."""

    module: str
    written: str
    is_name: bool
    is_own_name: bool


@dataclass(frozen=True)
class _Window:
    """A run of query words, joined as one key."""

    positions: frozenset[int]
    key: str
    size: int  # words


@dataclass
class SearchIndex:
    """Every name, term, category word and description word of the catalogue, folded, with
    the modules it belongs to: built once per catalogue, then searched."""

    modules: Mapping[str, SearchableModule]
    _entries: dict[str, list[_Entry]] = field(default_factory=dict)  # by key
    _keys: list[str] = field(default_factory=list)  # sorted, for prefixes
    _keys_by_length: dict[int, list[str]] = field(default_factory=dict)  # for typos
    _starts_by_length: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    _name_keys: list[str] = field(default_factory=list)  # keys of names, for parts
    _categories: dict[str, dict[str, str]] = field(default_factory=dict)  # word: {module: name}
    _category_words: list[str] = field(default_factory=list)
    _texts: dict[str, dict[str, str]] = field(default_factory=dict)  # word: {module: as written}
    _text_words: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, modules: Iterable[SearchableModule]) -> SearchIndex:
        index = cls(modules={m.name: m for m in sorted(modules, key=lambda m: m.name)})
        for module in index.modules.values():
            names = [(module.name, True), (module.import_name, False)]
            names += [(alias, False) for alias in module.aliases]
            for written, is_own in names:
                index._add_entry(module.name, written, is_name=True, is_own_name=is_own)
            for term in module.terms:
                index._add_entry(module.name, term, is_name=False, is_own_name=False)
            for category in module.categories:
                for word in words_of(category):
                    if not is_filler(word) and word not in GENERIC_WORDS:
                        index._categories.setdefault(word, {}).setdefault(module.name, category)
            # A term's words are words about the module: "pool" finds "thread pool".
            for text in (*module.texts, *module.terms):
                for written in WORD.findall(unicodedata.normalize("NFKC", text)):
                    index._texts.setdefault(fold_word(written), {}).setdefault(module.name, written)
        index._keys = sorted(index._entries)
        for key in index._keys:
            index._keys_by_length.setdefault(len(key), []).append(key)
        index._name_keys = sorted(
            key for key, entries in index._entries.items() if any(e.is_name for e in entries)
        )
        index._category_words = sorted(index._categories)
        index._text_words = sorted(index._texts)
        return index

    def _add_entry(self, module: str, written: str, *, is_name: bool, is_own_name: bool) -> None:
        """Under its key, and without its fillers as queries are: "run a command" is also
        "runcommand"."""
        words = words_of(written)
        core = [word for word in words if not is_filler(word)]
        entry = _Entry(module, written, is_name, is_own_name)
        for key in {"".join(words), "".join(core)} - {""}:
            entries = self._entries.setdefault(key, [])
            same = next((e for e in entries if e.module == module), None)
            if same is None:
                entries.append(entry)
            elif (is_name, is_own_name) > (same.is_name, same.is_own_name):
                # One key, several ways: the module's own name explains itself best.
                entries[entries.index(same)] = entry

    def search(self, text: str) -> list[SearchHit]:
        """Every module that each needed word of the query matches, best first."""
        words = words_of(text)
        needed = needed_words(words)
        best: dict[str, dict[int, Match]] = {}

        def found(module: str, positions: Iterable[int], match: Match) -> None:
            per_word = best.setdefault(module, {})
            for position in positions:
                if position not in per_word or match.kind < per_word[position].kind:
                    per_word[position] = match

        windows = list(self._windows(words))
        for window in windows:
            for module, match in self._names_and_terms(window.key):
                found(module, window.positions, match)
        for position in sorted(needed):
            for module, match in self._categories_and_texts(words[position]):
                found(module, [position], match)
        # Near misses only for words found nowhere in the catalogue, as a spelling checker
        # would: "datetme" is a typo, "content" is a word (not a miss of "context").
        unknown = needed - {position for per_word in best.values() for position in per_word}
        typos: dict[tuple[str, bool], list[tuple[str, Match]]] = {}
        for window in windows:
            if window.size <= LONGEST_TYPO and window.positions & unknown:
                last = max(window.positions) == len(words) - 1
                if (window.key, last) not in typos:
                    typos[window.key, last] = list(self._typos(window.key, unfinished=last))
                for module, match in typos[window.key, last]:
                    found(module, window.positions, match)

        hits = []
        for module, per_word in best.items():
            if needed <= per_word.keys():
                matches = tuple(per_word[position] for position in sorted(needed))
                hits.append(
                    SearchHit(
                        name=module,
                        kind=max(m.kind for m in matches),
                        matches=matches,
                        is_lookalike=self.modules[module].is_lookalike,
                    )
                )
        return sorted(hits, key=lambda hit: hit.sort_key)

    def _windows(self, words: list[str]) -> Iterator[_Window]:
        """Runs of up to LONGEST_PHRASE words, longest first: of all the words, then of the
        words that are not fillers ("run a command" is also "run command")."""
        kept = [i for i, word in enumerate(words) if not is_filler(word)]
        seen: set[tuple[frozenset[int], str]] = set()
        for length in range(LONGEST_PHRASE, 0, -1):
            for indices in (list(range(len(words))), kept):
                for start in range(len(indices) - length + 1):
                    run = indices[start : start + length]
                    window = _Window(
                        positions=frozenset(range(run[0], run[-1] + 1)),
                        key="".join(words[i] for i in run),
                        size=length,
                    )
                    if (window.positions, window.key) not in seen:
                        seen.add((window.positions, window.key))
                        yield window

    def _with_prefix(self, keys: list[str], prefix: str) -> Iterator[str]:
        for i in range(bisect.bisect_left(keys, prefix), len(keys)):
            if not keys[i].startswith(prefix):
                return
            yield keys[i]

    def _names_and_terms(self, key: str) -> Iterator[tuple[str, Match]]:
        for entry in self._entries.get(key, ()):
            kind = MatchKind.NAME if entry.is_name else MatchKind.TERM
            yield entry.module, Match(kind, entry.written, entry.is_own_name)
        for longer in self._with_prefix(self._keys, key):
            if longer == key:
                continue
            for entry in self._entries[longer]:
                if entry.is_name:
                    yield (
                        entry.module,
                        Match(MatchKind.NAME_START, entry.written, entry.is_own_name),
                    )
                elif len(key) >= TERM_PREFIX_SHORTEST:
                    yield entry.module, Match(MatchKind.TERM_START, entry.written)
        if len(key) >= PART_SHORTEST:
            for name_key in self._name_keys:
                if key in name_key and not name_key.startswith(key):
                    for entry in self._entries[name_key]:
                        if entry.is_name:
                            yield (
                                entry.module,
                                Match(MatchKind.NAME_PART, entry.written, entry.is_own_name),
                            )

    def _typos(self, key: str, *, unfinished: bool) -> Iterator[tuple[str, Match]]:
        """Names and terms a letter or two from the key; for the word still being typed, also
        names whose start is a letter from it ("colect" for collections)."""
        allowance = typo_allowance(len(key))
        if not allowance:
            return
        # A near miss keeps its first letter, or swaps its first two: only those are measured.
        firsts = {key[0], key[1::-1]}
        close = {
            candidate
            for length in range(len(key) - allowance, len(key) + allowance + 1)
            for candidate in self._keys_by_length.get(length, ())
            if (candidate[0] in firsts or candidate[:2] in firsts)
            and edit_distance(key, candidate, allowance) <= allowance
        }
        if unfinished:
            # A letter swapped, wrong or left out so far ("colect"), not one too many.
            for length in (len(key), len(key) + 1):
                for start, longer in self._starts(length).items():
                    if (start[0] in firsts or start[:2] in firsts) and edit_distance(
                        key, start, 1
                    ) <= 1:
                        close.update(longer)
        # The closest first, and a module's name before its terms: each module keeps the first.
        for candidate in sorted(close, key=lambda c: (edit_distance(key, c, allowance), c)):
            for entry in sorted(self._entries[candidate], key=lambda e: not e.is_name):
                yield entry.module, Match(MatchKind.TYPO, entry.written)

    def _starts(self, length: int) -> dict[str, list[str]]:
        """Keys of names longer than the length, by their start of that length."""
        if length not in self._starts_by_length:
            starts: dict[str, list[str]] = {}
            for key in self._name_keys:
                if len(key) > length:
                    starts.setdefault(key[:length], []).append(key)
            self._starts_by_length[length] = starts
        return self._starts_by_length[length]

    def _categories_and_texts(self, word: str) -> Iterator[tuple[str, Match]]:
        for kind, known, in_order, shortest_prefix in [
            (MatchKind.CATEGORY, self._categories, self._category_words, CATEGORY_PREFIX_SHORTEST),
            (MatchKind.TEXT, self._texts, self._text_words, TEXT_PREFIX_SHORTEST),
        ]:
            if len(word) >= shortest_prefix:
                matching: Iterable[str] = self._with_prefix(in_order, word)
            elif len(word) >= SHORTEST_TEXT_WORD and word in known:
                matching = [word]
            else:
                continue
            for found in matching:
                for module, written in known[found].items():
                    yield module, Match(kind, written)


_cached: tuple[Catalogue, SearchIndex] | None = None


def index_of(catalogue: Catalogue) -> SearchIndex:
    """The catalogue's search index, built once per snapshot (a new one when it changes)."""
    global _cached
    cached = _cached
    if cached is not None and cached[0] is catalogue:
        return cached[1]
    index = SearchIndex.build(
        SearchableModule(
            name=module.name,
            import_name=module.import_name,
            aliases=module.aliases,
            terms=(*module.search_terms, *module.giveaways),
            categories=tuple(catalogue.categories[slug].name for slug in module.categories),
            texts=(*(clue.text for clue in catalogue.clues_of(module.name)), module.note),
            is_lookalike=module.is_lookalike,
        )
        for module in catalogue.modules.values()
    )
    _cached = (catalogue, index)
    return index


def search_catalogue(catalogue: Catalogue, text: str) -> list[SearchHit]:
    return index_of(catalogue).search(text)
