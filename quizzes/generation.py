"""Quiz generation: plain data in (the catalogue, the settings, a seed), questions out.

Every question must be fair: the prompt never names its answer, no
prompt is shown twice in a quiz, no distractor is a second right answer, easy questions draw
distractors from other categories and hard ones only from plausible confusions, and the same
seed and settings always give the same quiz.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from catalogue.giveaways import find_giveaway, giveaway_terms
from catalogue.kinds import ClueKind
from catalogue.snapshot import Catalogue, ClueInfo, ModuleInfo

from .questions import OPTIONS_PER_QUESTION, Difficulty, Kind, Question, QuizSettings
from .redaction import leak_terms, mentions, redact

NO_KINDS_MESSAGE = "Choose at least one kind of question."
NO_MODULES_MESSAGE = "No module matches these settings: choose other categories or modules."
NO_QUESTIONS_MESSAGE = (
    "None of the chosen modules can be asked with the chosen kinds of question: "
    "choose more kinds of question, or other categories."
)

YES = "yes"
NO = "no"
DISTRACTORS_PER_QUESTION = OPTIONS_PER_QUESTION - 1
CLUE_KIND = {Kind.WHICH_MODULE: ClueKind.DESCRIPTION, Kind.WHICH_USE: ClueKind.USE_CASE}


class NoQuestionsError(ValueError):
    """The settings allow no question at all; the message is meant for the learner."""


# --- Per-catalogue indexes -------------------------------------------------------------------


@dataclass
class _Index:
    """What generation looks up again and again, worked out once per catalogue."""

    catalogue: Catalogue
    askable: tuple[str, ...]  # every module but the lookalikes, sorted
    terms: dict[str, tuple[str, ...]]  # module -> the words blanked from its prompts
    strict: dict[str, tuple[str, ...]]  # module -> the words no option about it may hold
    mentioned: dict[str, frozenset[str]]  # clue text -> every module it names
    related: dict[str, frozenset[str]]  # module -> modules of its categories and groups
    confusable: dict[str, frozenset[str]]  # module -> modules of its confusable groups
    lookalikes: tuple[str, ...]  # third-party lookalikes and removed modules, sorted
    # Filled on first use: a category drill never pays for the rest of the catalogue.
    # Two threads racing on it store equal values.
    what_for: dict[str, _WhatFor] = field(default_factory=dict)


# A few catalogues at most are alive at once (the current one, the one just replaced by a
# curator's edit, the tests'): keep the indexes of the latest few.
_INDEXES_KEPT = 4
_indexes: OrderedDict[int, _Index] = OrderedDict()
_indexes_lock = threading.Lock()


def _index(catalogue: Catalogue) -> _Index:
    """The catalogue's index. Catalogue holds dicts, so it is unhashable: key on its identity
    (the index holds the catalogue, so the id cannot be recycled while the entry lives)."""
    with _indexes_lock:
        index = _indexes.get(id(catalogue))
        if index is not None and index.catalogue is catalogue:
            _indexes.move_to_end(id(catalogue))
            return index
    index = _build_index(catalogue)
    with _indexes_lock:
        _indexes[id(catalogue)] = index
        while len(_indexes) > _INDEXES_KEPT:
            _indexes.popitem(last=False)
    return index


def _build_index(catalogue: Catalogue) -> _Index:
    modules = catalogue.modules
    names = tuple(sorted(modules))
    terms = {name: leak_terms(modules[name]) for name in names}
    strict = {
        name: giveaway_terms(
            name, modules[name].import_name, modules[name].aliases, modules[name].giveaways
        )
        for name in names
    }
    mentioned = {
        clue.text: frozenset(name for name in names if mentions(clue.text, terms[name]))
        for clue in catalogue.clues
    }
    confusable = {name: catalogue.confusable_with(name) for name in names}
    by_category: dict[str, set[str]] = {}
    for name in names:
        for slug in modules[name].categories:
            by_category.setdefault(slug, set()).add(name)
    related = {
        name: frozenset(
            {n for slug in modules[name].categories for n in by_category[slug]} | confusable[name]
        )
        - {name}
        for name in names
    }
    return _Index(
        catalogue=catalogue,
        askable=catalogue.askable(),
        terms=terms,
        strict=strict,
        mentioned=mentioned,
        related=related,
        confusable=confusable,
        lookalikes=tuple(n for n in names if modules[n].is_lookalike and not modules[n].is_stdlib),
    )


def _family_of_all(catalogue: Catalogue, modules: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for name in modules:
        module = catalogue.modules.get(name)
        found |= module.family if module else {name}
    return found


def _is_whole(index: _Index, clue: ClueInfo) -> bool:
    """Whether the clue reads as it is, naming none of the modules it is about. The shipped
    catalogue's clues all do; a curator's slip is blanked in prompts, never offered as an option."""
    return not (index.mentioned[clue.text] & clue.modules)


# --- What the quiz has used so far -----------------------------------------------------------


@dataclass
class _Progress:
    """What the quiz has asked so far: no prompt twice, kinds and answers spread out."""

    kinds: dict[Kind, int]
    clues: set[str] = field(default_factory=set)  # clue texts shown as prompts or answers
    asked: set[tuple[Kind, str]] = field(default_factory=set)  # per module, for name prompts
    answers: dict[str, int] = field(default_factory=lambda: {YES: 0, NO: 0})


# --- Fair distractors ------------------------------------------------------------------------


def _fair_modules(index: _Index, answer: ModuleInfo, clue: ClueInfo) -> list[str]:
    """Modules that may stand beside `answer` for `clue`: none the clue is also true of, none
    of their families (a parent holds its child's features), none the prompt names."""
    banned = (
        _family_of_all(index.catalogue, clue.modules)
        | answer.family
        | _family_of_all(index.catalogue, index.mentioned[clue.text])
    )
    return [name for name in index.askable if name not in banned]


def _random_order(rng: random.Random, items: Sequence[str]) -> Iterator[str]:
    """The items in a uniformly random order, drawn lazily (Fisher-Yates): a question
    usually needs 3 of some hundred candidates, and shuffling them all would be the bulk of
    the generation time."""
    pool = list(items)
    for i in range(len(pool)):
        j = rng.randrange(i, len(pool))
        pool[i], pool[j] = pool[j], pool[i]
        yield pool[i]


def _distractor_order(
    rng: random.Random,
    index: _Index,
    answer: ModuleInfo,
    candidates: Sequence[str],
    difficulty: Difficulty,
    confusions: Mapping[str, Sequence[str]],
) -> Iterator[str]:
    """Fair candidates in the order to try them as distractors.

    Easy: modules sharing no category or confusable group with the answer, then (only in a
    catalogue too small for that) the rest. Hard: the answer's confusable groups, then its
    categories, then what learners have really mistaken it for, and nothing else: an
    unrelated module would make a hard question absurd.
    """
    related = index.related[answer.name]
    if difficulty is Difficulty.EASY:
        yield from _random_order(rng, [n for n in candidates if n not in related])
        yield from _random_order(rng, [n for n in candidates if n in related])
        return
    confusable = index.confusable[answer.name]
    yield from _random_order(rng, [n for n in candidates if n in confusable])
    yield from _random_order(rng, [n for n in candidates if n in related and n not in confusable])
    fair = set(candidates) - related
    yield from dict.fromkeys(n for n in confusions.get(answer.name, ()) if n in fair)


def _distractors(
    rng: random.Random,
    index: _Index,
    answer: ModuleInfo,
    candidates: Sequence[str],
    difficulty: Difficulty,
    confusions: Mapping[str, Sequence[str]],
) -> list[str] | None:
    order = _distractor_order(rng, index, answer, candidates, difficulty, confusions)
    chosen = list(itertools.islice(order, DISTRACTORS_PER_QUESTION))
    return chosen if len(chosen) == DISTRACTORS_PER_QUESTION else None


def _place(rng: random.Random, answer: str, distractors: Sequence[str]) -> list[str]:
    """The options with the answer at a uniformly random position among shuffled distractors."""
    options = list(distractors)
    rng.shuffle(options)
    options.insert(rng.randrange(len(options) + 1), answer)
    return options


def _clue_order(
    rng: random.Random, clues: Iterable[ClueInfo], progress: _Progress
) -> list[ClueInfo]:
    """The clues not shown yet in this quiz, those true of their module alone first."""
    fresh = [clue for clue in clues if clue.text not in progress.clues]
    rng.shuffle(fresh)
    return sorted(fresh, key=lambda clue: len(clue.modules) > 1)


# --- Questions -------------------------------------------------------------------------------


def _which_question(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    kind: Kind,
    settings: QuizSettings,
    confusions: Mapping[str, Sequence[str]],
    progress: _Progress,
) -> Question | None:
    clues = index.catalogue.clues_of(module.name, CLUE_KIND[kind])
    for clue in _clue_order(rng, clues, progress):
        fair = _fair_modules(index, module, clue)
        distractors = _distractors(rng, index, module, fair, settings.difficulty, confusions)
        if distractors is None:
            continue
        options = _place(rng, module.name, distractors)
        return Question(
            kind=kind,
            module=module.name,
            prompt=redact(clue.text, index.terms[module.name]),
            options=tuple(options),
            answer=module.name,
            clue=clue.text,
            option_modules=tuple(options),
        )
    return None


@dataclass(frozen=True)
class _WhatFor:
    """For a module asked in WHAT_FOR: its own descriptions, and the other modules'
    descriptions that are fair options beside them."""

    answers: tuple[ClueInfo, ...]
    options_by_module: Mapping[str, tuple[ClueInfo, ...]]  # other module -> its fair options


def _what_for(index: _Index, name: str) -> _WhatFor:
    found = index.what_for.get(name)
    if found is None:
        found = index.what_for[name] = _compute_what_for(index, name)
    return found


def _compute_what_for(index: _Index, name: str) -> _WhatFor:
    catalogue = index.catalogue
    family = catalogue.modules[name].family

    def whole_here(clue: ClueInfo) -> bool:
        # Read as it is beside the asked module: naming no module it is about, nor the asked
        # module's family even inside a word (an option about `ctypes.Structure` reads as
        # being about struct).
        return _is_whole(index, clue) and not any(
            find_giveaway(clue.text, index.strict[member]) for member in family
        )

    def for_options(module: str) -> list[ClueInfo]:
        # What a module is for is its summary; the other descriptions are details, asked in
        # "Which module?". A module without a summary offers all its descriptions.
        descriptions = catalogue.clues_of(module, ClueKind.DESCRIPTION)
        return [c for c in descriptions if c.is_summary] or list(descriptions)

    answers = tuple(c for c in for_options(name) if whole_here(c))
    options: dict[str, list[ClueInfo]] = {}
    for owner in index.askable:
        if owner in family:
            continue
        for clue in for_options(owner):
            # Never a description also true of the asked module or its family.
            if whole_here(clue) and family.isdisjoint(clue.modules):
                options.setdefault(owner, []).append(clue)
    return _WhatFor(
        answers=answers,
        options_by_module={owner: tuple(found) for owner, found in options.items()},
    )


def _what_for_question(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    settings: QuizSettings,
    confusions: Mapping[str, Sequence[str]],
    progress: _Progress,
) -> Question | None:
    if (Kind.WHAT_FOR, module.name) in progress.asked:
        return None
    what_for = _what_for(index, module.name)
    answers = _clue_order(rng, what_for.answers, progress)
    if not answers:
        return None
    answer = answers[0]
    # Not a module the answer is true of too: its description beside a shared answer confuses.
    owners = [
        owner
        for owner, clues in what_for.options_by_module.items()
        if owner not in answer.modules and any(clue.text not in progress.clues for clue in clues)
    ]
    order = _distractor_order(rng, index, module, owners, settings.difficulty, confusions)
    chosen: dict[str, str] = {}  # option text -> the module it describes
    seen = {" ".join(answer.text.split()).casefold()}
    for owner in order:
        option = next(
            (
                clue
                for clue in _clue_order(rng, what_for.options_by_module[owner], progress)
                if " ".join(clue.text.split()).casefold() not in seen
            ),
            None,
        )
        if option is None:
            continue
        seen.add(" ".join(option.text.split()).casefold())
        chosen[option.text] = owner
        if len(chosen) == DISTRACTORS_PER_QUESTION:
            break
    else:
        return None
    options = _place(rng, answer.text, list(chosen))
    return Question(
        kind=Kind.WHAT_FOR,
        module=module.name,
        prompt=module.name,
        options=tuple(options),
        answer=answer.text,
        clue=answer.text,
        option_modules=tuple(chosen.get(option, module.name) for option in options),
    )


def accepted_names(catalogue: Catalogue, clue: ClueInfo, answer: ModuleInfo) -> tuple[str, ...]:
    """What recall takes as right: the answer's name, import name and aliases, then those of
    every other module the clue is true of."""
    others = [catalogue.modules[n] for n in sorted(clue.modules - {answer.name})]
    names = [
        spelling
        for module in (answer, *others)
        for spelling in (module.name, module.import_name, *module.aliases)
    ]
    return tuple(dict.fromkeys(names))


def _recall_question(
    rng: random.Random, index: _Index, module: ModuleInfo, progress: _Progress
) -> Question | None:
    clues = _clue_order(rng, index.catalogue.clues_of(module.name), progress)
    if not clues:
        return None
    clue = clues[0]
    options = accepted_names(index.catalogue, clue, module)
    return Question(
        kind=Kind.RECALL,
        module=module.name,
        prompt=redact(clue.text, index.terms[module.name]),
        options=options,
        answer=module.name,
        clue=clue.text,
        option_modules=(None,) * len(options),
    )


def _stdlib_question(rng: random.Random, subject: ModuleInfo) -> Question:
    options = [YES, NO]
    rng.shuffle(options)
    return Question(
        kind=Kind.STDLIB,
        module=subject.name,
        prompt=subject.name,
        options=tuple(options),
        answer=YES if subject.is_stdlib else NO,
        option_modules=(None, None),
    )


def _stdlib_companion(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    pool: Collection[str],
    progress: _Progress,
) -> ModuleInfo | None:
    """The module to ask about right after "is `module` in the standard library?", so that
    the answers stay even and the pair teaches a difference: a lookalike of a standard module
    (zoneinfo, then pytz), or the standard module a third-party one resembles (requests, then
    urllib). None when the answers are even already, or when there is no such module left."""
    counts = progress.answers
    if counts[YES] == counts[NO]:
        return None
    modules = index.catalogue.modules

    def fresh(name: str | None) -> bool:
        return bool(name) and name not in pool and (Kind.STDLIB, name) not in progress.asked

    if counts[YES] > counts[NO]:
        # Its own lookalikes first, then its neighbours', then any.
        candidates = [n for n in index.lookalikes if fresh(n)]
        near = index.related[module.name] | module.family
        tiers = [
            [n for n in candidates if modules[n].resembles in module.family],
            [n for n in candidates if modules[n].resembles in near],
            candidates,
        ]
        tier = next((t for t in tiers if t), None)
        return modules[rng.choice(tier)] if tier else None
    counterpart = modules.get(module.resembles or "")
    if counterpart is not None and counterpart.is_stdlib and fresh(counterpart.name):
        return counterpart
    return None


def _question(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    kind: Kind,
    settings: QuizSettings,
    confusions: Mapping[str, Sequence[str]],
    progress: _Progress,
) -> Question | None:
    if kind is Kind.STDLIB:
        if (Kind.STDLIB, module.name) in progress.asked:
            return None
        return _stdlib_question(rng, module)
    if kind is Kind.RECALL:
        return _recall_question(rng, index, module, progress)
    if kind is Kind.WHAT_FOR:
        return _what_for_question(rng, index, module, settings, confusions, progress)
    return _which_question(rng, index, module, kind, settings, confusions, progress)


def _may_ask(index: _Index, name: str, kind: Kind) -> bool:
    """Whether the module has what a question of this kind needs, before any is used up."""
    catalogue = index.catalogue
    if kind is Kind.STDLIB:
        return True
    if kind is Kind.RECALL:
        return bool(catalogue.clues_of(name))
    if kind is Kind.WHAT_FOR:
        return bool(_what_for(index, name).answers)
    return bool(catalogue.clues_of(name, CLUE_KIND[kind]))


def _record(progress: _Progress, question: Question) -> Question:
    progress.kinds[question.kind] += 1
    progress.asked.add((question.kind, question.module))
    if question.clue:
        progress.clues.add(question.clue)
    if question.kind is Kind.STDLIB:
        progress.answers[question.answer] += 1
    return question


def _ask(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    kinds: Sequence[Kind],
    settings: QuizSettings,
    confusions: Mapping[str, Sequence[str]],
    progress: _Progress,
    pool: Collection[str],
) -> list[Question]:
    """A question about the module, of the least used kind so far that can be built; after a
    "standard library or not?" maybe its companion, which keeps yes and no even."""
    tiebreak = {kind: rng.random() for kind in kinds}
    for kind in sorted(kinds, key=lambda k: (progress.kinds[k], tiebreak[k])):
        question = _question(rng, index, module, kind, settings, confusions, progress)
        if question is None:
            continue
        asked = [_record(progress, question)]
        if kind is Kind.STDLIB and not settings.modules:
            companion = _stdlib_companion(rng, index, module, pool, progress)
            if companion is not None:
                asked.append(_record(progress, _stdlib_question(rng, companion)))
        return asked
    return []


# --- The quiz --------------------------------------------------------------------------------


def _pool(catalogue: Catalogue, settings: QuizSettings) -> list[str]:
    """The modules the quiz may ask about; names no longer in the catalogue are dropped.
    Lookalikes are asked about only when chosen by name (a review of their cards)."""
    if settings.modules:
        return sorted(set(settings.modules) & set(catalogue.modules))
    if settings.categories:
        chosen = set(catalogue.in_categories(settings.categories))
        return sorted(chosen & set(catalogue.askable()))
    return sorted(catalogue.askable())


def _one_pass(
    rng: random.Random, pool: Sequence[str], weights: Mapping[str, float] | None
) -> list[str]:
    if weights is None:
        order = list(pool)
        rng.shuffle(order)
        return order
    # Efraimidis-Spirakis: sorting by u ** (1 / w) is weighted sampling without replacement.
    keys = {name: rng.random() ** (1.0 / weights.get(name, 1.0)) for name in pool}
    return sorted(pool, key=lambda name: (-keys[name], name))


def _module_order(
    rng: random.Random, pool: Sequence[str], weights: Mapping[str, float] | None
) -> Iterator[str]:
    """Every module once per pass, pass after pass, never the same module twice in a row."""
    last: str | None = None
    while True:
        order = _one_pass(rng, pool, weights)
        if len(order) > 1 and order[0] == last:
            swap = rng.randrange(1, len(order))
            order[0], order[swap] = order[swap], order[0]
        yield from order
        last = order[-1]


def _check_weights(weights: Mapping[str, float]) -> None:
    for name in sorted(weights):
        weight = weights[name]
        if not (math.isfinite(weight) and weight > 0):
            raise ValueError(f"Weight of {name!r} must be a positive number, not {weight!r}.")


def _rng(seed: int, settings: QuizSettings) -> random.Random:
    # A string seed is hashed with SHA-512, the same in every process (unlike hash()).
    return random.Random(f"{seed}:{json.dumps(settings.to_json(), sort_keys=True)}")


def generate_quiz(
    catalogue: Catalogue,
    settings: QuizSettings,
    seed: int,
    *,
    weights: Mapping[str, float] | None = None,
    confusions: Mapping[str, Sequence[str]] | None = None,
) -> list[Question]:
    """Up to `settings.count` fair questions, the same ones for the same inputs.

    Fewer when the pool runs out of prompts not yet shown: a quiz never repeats one.
    `weights` (module -> positive number, 1.0 when absent) make a module asked less often the
    lower they are: recently seen and well-known modules. `confusions` (module -> modules
    learners mistake it for, most frequent first) complete hard questions' distractors.
    """
    kinds = tuple(dict.fromkeys(settings.kinds))
    if not kinds:
        raise NoQuestionsError(NO_KINDS_MESSAGE)
    if weights is not None:
        _check_weights(weights)
    index = _index(catalogue)
    pool = _pool(catalogue, settings)
    if not pool:
        raise NoQuestionsError(NO_MODULES_MESSAGE)
    possible = {name: [k for k in kinds if _may_ask(index, name, k)] for name in pool}
    pool = [name for name in pool if possible[name]]
    if not pool:
        raise NoQuestionsError(NO_QUESTIONS_MESSAGE)

    rng = _rng(seed, settings)
    progress = _Progress(kinds=dict.fromkeys(kinds, 0))
    questions: list[Question] = []
    stuck: set[str] = set()  # modules with nothing left to ask since the last question
    for name in _module_order(rng, pool, weights):
        if len(questions) >= settings.count or len(stuck) == len(pool):
            break
        module = catalogue.modules[name]
        asked = _ask(rng, index, module, possible[name], settings, confusions or {}, progress, pool)
        if asked:
            questions += asked
            stuck.clear()
        else:
            stuck.add(name)
    if not questions:
        raise NoQuestionsError(NO_QUESTIONS_MESSAGE)
    return questions[: settings.count]


# --- Answering recall questions --------------------------------------------------------------

_QUOTES = re.compile(r"[`'\"\u2018\u2019\u201c\u201d]+")
_SEPARATORS = re.compile(r"[\s\-_]+")
_FROM_IMPORT = re.compile(r"^from\s+(\S+)\s+import\s+(\S+?)(?:\s+as\s+\S+)?$")
_IMPORT = re.compile(r"^import\s+(\S+?)(?:\s+as\s+\S+)?$")
_FILLER = re.compile(r"^(?:the\s+)?(.+?)(?:\s+(?:module|library|package|lib))?$")


def normalise_name(text: str) -> str:
    """A module name as compared: case, quotes and backticks forgiven, and spaces, dashes
    and underscores alike ("scikit learn", "scikit_learn" and "scikit-learn" are one)."""
    folded = _QUOTES.sub("", text).casefold()
    return _SEPARATORS.sub("", folded).strip(".")


def typed_names(typed: str) -> list[str]:
    """The module names a typed answer may mean, normalised: "import re" and "re module"
    mean re; "from os import path" means os.path, or os."""
    text = " ".join(_QUOTES.sub("", typed).split()).casefold()
    text = re.sub(r"\s*\.\s*", ".", text)
    found = _FROM_IMPORT.match(text)
    if found:
        package, name = found.groups()
        candidates = [f"{package}.{name}", package]
    else:
        imported = _IMPORT.match(text)
        candidates = [imported.group(1) if imported else _FILLER.sub(r"\1", text)]
    return [normalise_name(c) for c in candidates if normalise_name(c)]


def recall_accepts(question: Question, typed: str, known: Collection[str] = ()) -> bool:
    """Whether the typed text is right: any accepted spelling for RECALL, else the answer.

    A submodule of an accepted module that is not itself one of the `known` modules counts
    too ("xml.etree.ElementTree" for xml); one that is ("os.path" for os) does not."""
    accepted = question.options if question.kind is Kind.RECALL else (question.answer,)
    wanted = {normalise_name(option) for option in accepted}
    for name in typed_names(typed):
        if name in wanted:
            return True
        parents = [name[:i] for i, ch in enumerate(name) if ch == "."]
        if any(parent in wanted for parent in parents) and not any(
            normalise_name(other) == name for other in known
        ):
            return True
    return False


_NAME_INDEXES: dict[int, tuple[Catalogue, dict[str, str]]] = {}


def names_index(catalogue: Catalogue) -> Mapping[str, str]:
    """Every spelling of a module's name, normalised (its name, import name and aliases), to
    the module; of two modules with one spelling, the first by name keeps it. Built once per
    catalogue snapshot, not on every answer typed."""
    found = _NAME_INDEXES.get(id(catalogue))
    if found is not None and found[0] is catalogue:
        return found[1]
    index: dict[str, str] = {}
    for module in catalogue.modules.values():
        for spelling in (module.name, module.import_name, *module.aliases):
            index.setdefault(normalise_name(spelling), module.name)
    if len(_NAME_INDEXES) >= 8:  # old snapshots, and those tests build
        _NAME_INDEXES.clear()
    _NAME_INDEXES[id(catalogue)] = (catalogue, index)
    return index


def module_meant(catalogue: Catalogue, typed: str) -> str:
    """The module a typed name means, the first by name when it could mean several; "" for
    none."""
    index = names_index(catalogue)
    meant = [index[name] for name in typed_names(typed) if name in index]
    return min(meant, default="")
