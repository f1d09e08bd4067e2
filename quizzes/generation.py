"""Quiz generation: plain data in (the catalogue, the settings, a seed), questions out.

Every question must be fair (DESIGN.md, "Questions"): the prompt never names its answer, no
distractor is a second right answer, easy and hard draw distractors from where they should,
and the same seed and settings always give the same quiz.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from catalogue.snapshot import Catalogue, ClueInfo, ModuleInfo

from .questions import (
    BLANK,
    OPTIONS_PER_QUESTION,
    Difficulty,
    Kind,
    Question,
    QuizSettings,
)
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
DESCRIPTION = "description"
USE_CASE = "use_case"
CLUE_KIND = {Kind.WHICH_MODULE: DESCRIPTION, Kind.WHICH_USE: USE_CASE}


class NoQuestionsError(ValueError):
    """The settings allow no question at all; the message is meant for the learner."""


# --- Per-catalogue indexes -------------------------------------------------------------------


@dataclass
class _Index:
    """What generation looks up again and again, worked out once per catalogue."""

    catalogue: Catalogue
    names: tuple[str, ...]  # every module, sorted
    terms: dict[str, tuple[str, ...]]  # module -> leak terms
    mentioned: dict[str, frozenset[str]]  # clue text -> modules the unredacted text names
    as_option: dict[str, _Shown]  # clue text -> as an option: its own modules blanked
    categories: dict[str, frozenset[str]]  # module -> its category slugs
    descriptions: tuple[ClueInfo, ...]  # every description clue, in catalogue order
    # Filled on first use, module by module: a category drill never pays for the rest.
    # Two threads racing on these store equal values.
    usable: dict[tuple[str, Kind], tuple[ClueInfo, ...]] = field(default_factory=dict)
    what_for: dict[str, _WhatFor] = field(default_factory=dict)
    what_for_possible: dict[str, bool] = field(default_factory=dict)


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
    names = tuple(sorted(catalogue.modules))
    terms = {name: leak_terms(catalogue.modules[name]) for name in names}
    mentioned = {
        clue.text: frozenset(name for name in names if mentions(clue.text, terms[name]))
        for clue in catalogue.clues
    }
    as_option = {
        clue.text: _Shown.of(clue, redact(clue.text, _terms_of(terms, clue.modules)))
        for clue in catalogue.clues
    }
    categories = {name: frozenset(catalogue.modules[name].categories) for name in names}
    descriptions = tuple(clue for clue in catalogue.clues if clue.kind == DESCRIPTION)
    return _Index(catalogue, names, terms, mentioned, as_option, categories, descriptions)


def _terms_of(terms: Mapping[str, tuple[str, ...]], modules: Collection[str]) -> tuple[str, ...]:
    return tuple(t for name in sorted(modules) for t in terms.get(name, ()))


def _family_of_all(catalogue: Catalogue, modules: Collection[str]) -> set[str]:
    found: set[str] = set()
    for name in modules:
        module = catalogue.modules.get(name)
        found |= module.family if module else {name}
    return found


# --- Fair distractors ------------------------------------------------------------------------


def _fair_module_distractors(index: _Index, answer: ModuleInfo, clue: ClueInfo) -> list[str]:
    """Modules that may stand beside `answer` for `clue`: none the clue is also true of or
    seems to fit once blanked, none of their families (a parent holds its child's features),
    none the prompt names."""
    # Curators mark what fits "when blanked"; it is left out even where this prompt shows no
    # blank (another module's name, not the answer's): one rule, and always on the safe side.
    fitting = clue.modules | clue.fits_when_blanked
    banned = _family_of_all(index.catalogue, fitting) | answer.family | index.mentioned[clue.text]
    return [name for name in index.names if name not in banned]


def _usable_clues(index: _Index, name: str, kind: Kind) -> tuple[ClueInfo, ...]:
    """The module's clues of the kind's clue kind that leave enough fair distractors."""
    usable = index.usable.get((name, kind))
    if usable is None:
        module = index.catalogue.modules[name]
        usable = index.usable[name, kind] = tuple(
            clue
            for clue in index.catalogue.clues_of(name, CLUE_KIND[kind])
            if len(_fair_module_distractors(index, module, clue)) >= DISTRACTORS_PER_QUESTION
        )
    return usable


@dataclass(frozen=True)
class _Shown:
    """A description as a WHAT_FOR option shows it, and the key options must differ by."""

    clue: ClueInfo
    text: str
    key: str

    @classmethod
    def of(cls, clue: ClueInfo, text: str) -> _Shown:
        # Case and spacing make no difference to a reader.
        return cls(clue, text, " ".join(text.split()).casefold())


@dataclass(frozen=True)
class _WhatFor:
    """For a module asked in WHAT_FOR: its answer options and the other modules' options."""

    answers: tuple[_Shown, ...]  # its own descriptions
    options_by_module: Mapping[str, tuple[_Shown, ...]]  # other module -> its fair options
    taken: frozenset[str]  # keys of every text true of the module's family
    with_blank: frozenset[str]  # the other modules with an option showing a blank
    without_blank: frozenset[str]  # and those with one showing none


def _what_for(index: _Index, name: str) -> _WhatFor:
    found = index.what_for.get(name)
    if found is None:
        found = index.what_for[name] = _compute_what_for(index, name)
    return found


def _shown_for(index: _Index, name: str, clue: ClueInfo) -> _Shown:
    """A clue of `name`'s family as an option of a question about `name`: both blanked."""
    return _Shown.of(
        clue, redact(clue.text, index.terms[name] + _terms_of(index.terms, clue.modules))
    )


def _compute_what_for(index: _Index, name: str) -> _WhatFor:
    catalogue = index.catalogue
    family = catalogue.modules[name].family
    answers = tuple(_shown_for(index, name, clue) for clue in catalogue.clues_of(name, DESCRIPTION))
    # Any text the family is described by, as it would read: a distractor that reads the same
    # is a second right answer ("Helps to work with ____ data." for json and for xml).
    taken = frozenset(
        _shown_for(index, name, clue).key
        for member in sorted(family)
        for clue in catalogue.clues_of(member)
    )
    options: dict[str, list[_Shown]] = {}
    for clue in index.descriptions:
        # Not a description true of the family, nor one that seems to fit it once blanked.
        if not family.isdisjoint(clue.modules) or not family.isdisjoint(clue.fits_when_blanked):
            continue
        # A description naming the asked module would be blanked like the answer and read as
        # being about it; it is not offered at all.
        if index.mentioned[clue.text] & family:
            continue
        option = index.as_option[clue.text]
        if option.key in taken:
            continue
        for owner in sorted(clue.modules):
            if owner in catalogue.modules:
                options.setdefault(owner, []).append(option)
    return _WhatFor(
        answers=answers,
        options_by_module={owner: tuple(found) for owner, found in sorted(options.items())},
        taken=taken,
        with_blank=frozenset(
            o for o, found in options.items() if any(BLANK in f.text for f in found)
        ),
        without_blank=frozenset(
            o for o, found in options.items() if any(BLANK not in f.text for f in found)
        ),
    )


def _what_for_possible(index: _Index, name: str) -> bool:
    if name not in index.what_for_possible:
        index.what_for_possible[name] = _has_what_for_options(index, name)
    return index.what_for_possible[name]


def _has_what_for_options(index: _Index, name: str) -> bool:
    """Whether 3 other modules have descriptions to offer that read differently."""
    what_for = _what_for(index, name)
    if not what_for.answers:
        return False
    taken = set(what_for.taken)
    found = 0
    for candidates in what_for.options_by_module.values():
        fresh = next((o for o in candidates if o.key not in taken), None)
        if fresh is not None:
            taken.add(fresh.key)
            found += 1
            if found == DISTRACTORS_PER_QUESTION:
                return True
    return False


def _feasible(index: _Index, name: str, kind: Kind) -> bool:
    """Whether a fair question of this kind can be asked about the module."""
    if kind is Kind.STDLIB:
        return True
    if kind is Kind.RECALL:
        return bool(index.catalogue.clues_of(name))
    if kind is Kind.WHAT_FOR:
        return _what_for_possible(index, name)
    return bool(_usable_clues(index, name, kind))


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
    preferred: Collection[str] = (),
) -> Iterator[str]:
    """Fair candidates in the order to try them as distractors.

    Easy: modules sharing no category with the answer first. Hard: the answer's usual
    confusions in their order, then modules of its categories. Either way every other fair
    module follows, so that a small category still gets its 4 options. Within a tier the
    order is random, `preferred` candidates first.
    """
    own = index.categories[answer.name]
    near = [n for n in candidates if not own.isdisjoint(index.categories[n])]
    far = [n for n in candidates if own.isdisjoint(index.categories[n])]
    if difficulty is Difficulty.EASY:
        tiers = [far, near]
    else:
        fair = set(candidates)
        confused = list(dict.fromkeys(n for n in confusions.get(answer.name, ()) if n in fair))
        yield from confused
        tiers = [[n for n in tier if n not in confused] for tier in (near, far)]
    for tier in tiers:
        yield from _random_order(rng, [n for n in tier if n in preferred])
        yield from _random_order(rng, [n for n in tier if n not in preferred])


# --- Questions -------------------------------------------------------------------------------


@dataclass
class _Progress:
    """What the quiz has used so far: spreads kinds and clues across it."""

    kinds: dict[Kind, int]
    clues: set[str] = field(default_factory=set)


def _choose_clue(
    rng: random.Random,
    clues: Sequence[ClueInfo],
    progress: _Progress,
    fits: Callable[[ClueInfo], frozenset[str]] = lambda clue: clue.modules,
) -> ClueInfo | None:
    """A clue not used yet in this quiz if possible, and one that fits its module alone."""
    if not clues:
        return None

    def rank(clue: ClueInfo) -> tuple[bool, bool]:
        return (clue.text in progress.clues, len(fits(clue)) > 1)

    best = min(rank(clue) for clue in clues)
    return rng.choice([clue for clue in clues if rank(clue) == best])


def _place(rng: random.Random, answer: str, distractors: Sequence[str]) -> tuple[list[str], int]:
    """The options with the answer at a uniformly random position among shuffled distractors."""
    options = list(distractors)
    rng.shuffle(options)
    position = rng.randrange(len(options) + 1)
    options.insert(position, answer)
    return options, position


def _which_question(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    kind: Kind,
    settings: QuizSettings,
    confusions: Mapping[str, Sequence[str]],
    progress: _Progress,
) -> Question | None:
    clue = _choose_clue(rng, _usable_clues(index, module.name, kind), progress)
    if clue is None:
        return None
    fair = _fair_module_distractors(index, module, clue)
    order = _distractor_order(rng, index, module, fair, settings.difficulty, confusions)
    distractors = list(itertools.islice(order, DISTRACTORS_PER_QUESTION))
    options, _ = _place(rng, module.name, distractors)
    return Question(
        kind=kind,
        module=module.name,
        prompt=redact(clue.text, index.terms[module.name]),
        options=tuple(options),
        answer=module.name,
        clue=clue.text,
        option_modules=tuple(options),
    )


def _what_for_question(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    settings: QuizSettings,
    confusions: Mapping[str, Sequence[str]],
    progress: _Progress,
) -> Question | None:
    what_for = _what_for(index, module.name)
    # A description that has to be blanked makes every option cryptic (the others are blanked
    # alike so as not to stand out): use one that reads whole wherever the module has one.
    whole = [found for found in what_for.answers if BLANK not in found.text]
    clue = _choose_clue(rng, [answer.clue for answer in whole or what_for.answers], progress)
    if clue is None:
        return None
    answer = next(found for found in what_for.answers if found.clue is clue)
    distractors = _what_for_distractors(rng, index, module, answer, settings, confusions)
    if distractors is None:
        return None
    owner_of = {option.text: owner for option, owner in distractors}
    options, _ = _place(rng, answer.text, list(owner_of))
    return Question(
        kind=Kind.WHAT_FOR,
        module=module.name,
        prompt=module.name,
        options=tuple(options),
        answer=answer.text,
        clue=clue.text,
        option_modules=tuple(owner_of.get(option, module.name) for option in options),
    )


def _what_for_distractors(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    answer: _Shown,
    settings: QuizSettings,
    confusions: Mapping[str, Sequence[str]],
) -> list[tuple[_Shown, str]] | None:
    """3 descriptions of 3 other modules, each with the module it describes.

    An answer that names its module shows a blank; were it the only option with one, the
    blank would give it away (and likewise the only one without). So options alike in this
    respect are preferred, and at least one is taken wherever there is one.
    """
    blanked = BLANK in answer.text

    def alike(option: _Shown) -> bool:
        return (BLANK in option.text) == blanked

    def preference(option: _Shown) -> tuple[bool, bool]:
        # A description of its module alone is the one "what it does" will show.
        return (not alike(option), len(option.clue.modules) > 1)

    what_for = _what_for(index, module.name)
    by_module = what_for.options_by_module
    preferred = what_for.with_blank if blanked else what_for.without_blank
    order = _distractor_order(
        rng, index, module, list(by_module), settings.difficulty, confusions, preferred
    )
    taken = set(what_for.taken)
    chosen: list[tuple[_Shown, str]] = []
    for owner in order:
        fresh = [o for o in by_module[owner] if o.key not in taken]
        if not blanked:
            # Beside an answer that reads whole, a blanked option would stand out, and once
            # blanked it may read as true of the asked module ("Read and write ____ files.").
            fresh = [o for o in fresh if alike(o)]
        if len(chosen) == DISTRACTORS_PER_QUESTION:
            # None reads like the answer yet: the last gives way to one that does.
            fresh = [o for o in fresh if alike(o)]
        if not fresh:
            continue
        best = min(preference(o) for o in fresh)
        option = rng.choice([o for o in fresh if preference(o) == best])
        taken.add(option.key)
        if len(chosen) == DISTRACTORS_PER_QUESTION:
            chosen[-1] = (option, owner)
        else:
            chosen.append((option, owner))
        if len(chosen) == DISTRACTORS_PER_QUESTION and any(alike(o) for o, _ in chosen):
            break
    return chosen if len(chosen) == DISTRACTORS_PER_QUESTION else None


def _fitting(clue: ClueInfo, prompt: str) -> frozenset[str]:
    """Every module a prompt made from `clue` fits: those it is true of, and once blanked,
    those curators say it seems to fit."""
    return clue.modules | clue.fits_when_blanked if prompt != clue.text else clue.modules


def _accepted_names(index: _Index, clue: ClueInfo, answer: ModuleInfo) -> tuple[str, ...]:
    """The answer's spellings, then those of every other module the prompt fits: typing one
    of them is right too."""
    prompt = redact(clue.text, index.terms[answer.name])
    fitting = _fitting(clue, prompt) - {answer.name}
    others = [index.catalogue.modules[n] for n in sorted(fitting) if n in index.catalogue.modules]
    names = [
        spelling for module in (answer, *others) for spelling in (module.name, module.import_name)
    ]
    return tuple(dict.fromkeys(names))


def _recall_question(
    rng: random.Random, index: _Index, module: ModuleInfo, progress: _Progress
) -> Question | None:
    terms = index.terms[module.name]
    clue = _choose_clue(
        rng,
        index.catalogue.clues_of(module.name),
        progress,
        fits=lambda clue: _fitting(clue, redact(clue.text, terms)),
    )
    if clue is None:
        return None
    options = _accepted_names(index, clue, module)
    return Question(
        kind=Kind.RECALL,
        module=module.name,
        prompt=redact(clue.text, index.terms[module.name]),
        options=options,
        answer=module.name,
        clue=clue.text,
        option_modules=(None,) * len(options),
    )


def _stdlib_question(rng: random.Random, module: ModuleInfo) -> Question:
    options = [YES, NO]
    rng.shuffle(options)
    return Question(
        kind=Kind.STDLIB,
        module=module.name,
        prompt=module.name,
        options=tuple(options),
        answer=YES if module.is_stdlib else NO,
        option_modules=(None, None),
    )


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
        return _stdlib_question(rng, module)
    if kind is Kind.RECALL:
        return _recall_question(rng, index, module, progress)
    if kind is Kind.WHAT_FOR:
        return _what_for_question(rng, index, module, settings, confusions, progress)
    return _which_question(rng, index, module, kind, settings, confusions, progress)


# --- The quiz --------------------------------------------------------------------------------


def _pool(catalogue: Catalogue, settings: QuizSettings) -> list[str]:
    """The modules the quiz may ask about; names no longer in the catalogue are dropped."""
    if settings.modules:
        return sorted(set(settings.modules) & set(catalogue.modules))
    if settings.categories:
        return sorted(catalogue.in_categories(settings.categories))
    return sorted(catalogue.modules)


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
    """`settings.count` fair questions, the same ones for the same inputs.

    `weights` (module -> positive number, 1.0 when absent) make a module asked less often the
    lower they are: recently seen and well-known modules. `confusions` (module -> modules
    learners mistake it for, most frequent first) are hard questions' first distractors.
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
    feasible = {name: [k for k in kinds if _feasible(index, name, k)] for name in pool}
    pool = [name for name in pool if feasible[name]]
    if not pool:
        raise NoQuestionsError(NO_QUESTIONS_MESSAGE)

    rng = _rng(seed, settings)
    progress = _Progress(kinds=dict.fromkeys(kinds, 0))
    questions: list[Question] = []
    failures = 0
    for name in _module_order(rng, pool, weights):
        if len(questions) >= settings.count:
            break
        module = catalogue.modules[name]
        question = _ask(rng, index, module, feasible[name], settings, confusions or {}, progress)
        if question is not None:
            questions.append(question)
            failures = 0
        # Feasibility is checked in a fixed order, questions are built in a random one: a
        # whole pass of modules with no question would loop for ever.
        elif (failures := failures + 1) > len(pool):
            raise NoQuestionsError(NO_QUESTIONS_MESSAGE)
    return questions


def _ask(
    rng: random.Random,
    index: _Index,
    module: ModuleInfo,
    kinds: Sequence[Kind],
    settings: QuizSettings,
    confusions: Mapping[str, Sequence[str]],
    progress: _Progress,
) -> Question | None:
    """A question about the module, of the least used kind so far that can be built."""
    tiebreak = {kind: rng.random() for kind in kinds}
    for kind in sorted(kinds, key=lambda k: (progress.kinds[k], tiebreak[k])):
        question = _question(rng, index, module, kind, settings, confusions, progress)
        if question is not None:
            progress.kinds[kind] += 1
            if question.clue:
                progress.clues.add(question.clue)
            return question
    return None


# --- Answering recall questions --------------------------------------------------------------

_FORGIVEN = re.compile(r"[\s`'\"\u2018\u2019\u201c\u201d]+")


def normalise_name(text: str) -> str:
    """A typed module name as compared: case, backticks, quotes and spacing forgiven, and "-"
    the same as "_" (scikit-learn, scikit_learn)."""
    return _FORGIVEN.sub("", text).casefold().replace("-", "_")


def recall_accepts(question: Question, typed: str) -> bool:
    """Whether the typed text is right: any accepted spelling for RECALL, else the answer."""
    accepted = question.options if question.kind is Kind.RECALL else (question.answer,)
    wanted = normalise_name(typed)
    return bool(wanted) and any(normalise_name(option) == wanted for option in accepted)
