"""Quiz generation against the shipped catalogue, with no database: every question is fair.

The fairness checks here are written independently of the generator (their own matching of
names in text, their own idea of who else a clue fits and of what is related), so that a bug
in either shows.
"""

import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogue.snapshot import Catalogue, CategoryInfo, ClueInfo, ModuleInfo
from quizzes.generation import (
    NO_KINDS_MESSAGE,
    NO_MODULES_MESSAGE,
    NO_QUESTIONS_MESSAGE,
    NoQuestionsError,
    generate_quiz,
    module_meant,
    normalise_name,
    recall_accepts,
    typed_names,
)
from quizzes.questions import BLANK, Difficulty, Kind, Question, QuizSettings

ROOT = Path(__file__).resolve().parent.parent
RECORDS = json.loads((ROOT / "fixtures" / "catalogue.json").read_text(encoding="utf-8"))
CATALOGUE = Catalogue.from_fixture(RECORDS)
MULTIPLE_CHOICE = (Kind.WHICH_MODULE, Kind.WHICH_USE, Kind.WHAT_FOR)
CLUE_PROMPTS = (Kind.WHICH_MODULE, Kind.WHICH_USE, Kind.RECALL)
ASKABLE = {name for name, m in CATALOGUE.modules.items() if not m.is_lookalike}


# --- Independent checks ----------------------------------------------------------------------


def words(name):
    module = CATALOGUE.modules[name]
    return {module.name, module.import_name, *module.aliases, *module.giveaways}


def names(text, word):
    """Whether `text` has `word` as a whole word (any case, plural): not inside another word,
    nor after a dot ("mock" is not named by "unittest.mock")."""
    lower = text.lower()
    word = word.lower()
    for form in (word, word + "s", word + "es"):
        start = lower.find(form)
        while start != -1:
            end = start + len(form)
            before = lower[start - 1] if start else " "
            after = lower[end] if end < len(lower) else " "
            if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
                return True
            start = lower.find(form, start + 1)
    return False


def names_any(text, modules):
    return any(names(text, word) for name in modules for word in words(name))


def family(name):
    module = CATALOGUE.modules[name]
    return {name, *module.children, *([module.parent] if module.parent else [])}


def clue_named(text) -> ClueInfo:
    return next(clue for clue in CATALOGUE.clues if clue.text == text)


def fits_too(answer, clue, candidate):
    """Whether `candidate` would be a second right answer for a prompt made from `clue`."""
    return (
        candidate in clue.modules
        or candidate in family(answer)
        or any(candidate in family(m) for m in clue.modules)
        or names_any(clue.text, [candidate])
    )


def related(one, other):
    """Same category, or one confusable group: a plausible confusion."""
    shared = set(CATALOGUE.modules[one].categories) & set(CATALOGUE.modules[other].categories)
    grouped = any(one in group and other in group for group in CATALOGUE.groups)
    return bool(shared) or grouped


def pool_of(quiz_settings):
    if quiz_settings.modules:
        return set(quiz_settings.modules) & set(CATALOGUE.modules)
    if quiz_settings.categories:
        return set(CATALOGUE.in_categories(quiz_settings.categories)) & ASKABLE
    return ASKABLE


def distractor_modules(question):
    return [
        m
        for m, o in zip(question.option_modules, question.options, strict=True)
        if o != question.answer
    ]


# --- Per question ----------------------------------------------------------------------------


def check_options(question: Question):
    assert len(question.options) == 4
    shown = {" ".join(o.split()).casefold() for o in question.options}
    assert len(shown) == 4, question
    assert question.options.count(question.answer) == 1
    assert len(question.option_modules) == 4


def check_clue_prompt(question: Question) -> ClueInfo:
    clue = clue_named(question.clue)
    assert question.module in clue.modules
    # The shipped catalogue needs no redaction: the prompt is the clue, whole.
    assert question.prompt == clue.text, question
    assert BLANK not in question.prompt
    assert not names_any(question.prompt, [question.module]), question
    return clue


def check_difficulty(quiz_settings, question, owners, confusions=None):
    if quiz_settings.difficulty is Difficulty.HARD:
        confused = set((confusions or {}).get(question.module, ()))
        for owner in owners:
            assert related(question.module, owner) or owner in confused, (owner, question)
    else:
        unrelated = [o for o in owners if not related(question.module, o)]
        assert len(unrelated) == 3, question


def check_which(quiz_settings, question: Question):
    clue = check_clue_prompt(question)
    expected = "description" if question.kind is Kind.WHICH_MODULE else "use_case"
    assert clue.kind == expected
    check_options(question)
    assert question.answer == question.module
    assert question.option_modules == question.options
    distractors = distractor_modules(question)
    for distractor in distractors:
        assert distractor in ASKABLE
        assert not fits_too(question.module, clue, distractor), (distractor, question)
    check_difficulty(quiz_settings, question, distractors)


def check_what_for(quiz_settings, question: Question):
    check_options(question)
    asked = question.module
    kin = family(asked)
    assert question.prompt == asked
    for option, owner in zip(question.options, question.option_modules, strict=True):
        # Each option is a module's summary, whole, naming nothing of the family asked about.
        clue = clue_named(option)
        assert clue.kind == "description"
        assert clue.is_summary, option
        assert BLANK not in option
        assert not names_any(option, kin), (option, question)
        assert not names_any(option, clue.modules), (option, question)
        if option == question.answer:
            assert owner == asked
            assert asked in clue.modules
            continue
        assert owner in clue.modules
        assert owner in ASKABLE
        assert not (clue.modules & kin), (option, question)
    check_difficulty(quiz_settings, question, distractor_modules(question))


def check_recall(question: Question):
    clue = check_clue_prompt(question)
    assert question.answer == question.module
    module = CATALOGUE.modules[question.module]
    assert question.options[0] == module.name
    spellings = {
        spelling
        for name in clue.modules
        for spelling in (
            name,
            CATALOGUE.modules[name].import_name,
            *CATALOGUE.modules[name].aliases,
        )
    }
    assert set(question.options) == spellings


def check_stdlib(question: Question):
    assert sorted(question.options) == ["no", "yes"]
    assert question.prompt == question.module
    assert question.answer == ("yes" if CATALOGUE.modules[question.module].is_stdlib else "no")


def check_question(quiz_settings, question):
    assert question.kind in quiz_settings.kinds
    if question.kind is not Kind.STDLIB:
        # Lookalikes are asked only in "standard library or not?".
        assert question.module in ASKABLE or quiz_settings.modules
    if question.kind in (Kind.WHICH_MODULE, Kind.WHICH_USE):
        check_which(quiz_settings, question)
    elif question.kind is Kind.WHAT_FOR:
        check_what_for(quiz_settings, question)
    elif question.kind is Kind.RECALL:
        check_recall(question)
    else:
        check_stdlib(question)


def prompt_key(question):
    if question.kind in CLUE_PROMPTS:
        return ("clue", question.clue)
    return (question.kind, question.prompt)


def check_quiz(quiz_settings, quiz):
    assert 1 <= len(quiz) <= quiz_settings.count
    pool = pool_of(quiz_settings)
    for question in quiz:
        check_question(quiz_settings, question)
    # No prompt twice: neither a clue, nor a module asked the same way again.
    keys = [prompt_key(q) for q in quiz]
    assert len(keys) == len(set(keys)), Counter(keys).most_common(3)
    # A "What is it for?" answer is a clue too: never shown again as a prompt.
    shown = [q.clue for q in quiz if q.clue]
    assert len(shown) == len(set(shown))
    # The pool is gone round before any module comes again: every module the quiz asks about
    # comes once before any comes twice. (A module may have nothing fair left to ask, say in
    # hard questions, and a long quiz may then ask the others in a row.)
    asked = [q.module for q in quiz if q.module in pool]
    first = asked[: len(set(asked))]
    assert len(set(first)) == len(first), asked


# --- Properties ------------------------------------------------------------------------------

kinds_strategy = st.sets(st.sampled_from(list(Kind)), min_size=1).map(
    lambda chosen: tuple(kind for kind in Kind if kind in chosen)
)
categories_strategy = st.lists(
    st.sampled_from(sorted(CATALOGUE.categories)), max_size=3, unique=True
).map(tuple)
settings_strategy = st.builds(
    QuizSettings,
    count=st.integers(5, 50),
    kinds=kinds_strategy,
    difficulty=st.sampled_from(list(Difficulty)),
    categories=categories_strategy,
)


@settings(max_examples=300, deadline=None)
@given(quiz_settings=settings_strategy, seed=st.integers(0, 2**32))
def test_every_question_is_fair_and_the_quiz_is_deterministic(quiz_settings, seed):
    try:
        quiz = generate_quiz(CATALOGUE, quiz_settings, seed)
    except NoQuestionsError:
        # Every module has clues of both kinds: only hard multiple choice can find nothing.
        assert quiz_settings.difficulty is Difficulty.HARD
        assert set(quiz_settings.kinds) <= set(MULTIPLE_CHOICE)
        return
    check_quiz(quiz_settings, quiz)
    assert generate_quiz(CATALOGUE, quiz_settings, seed) == quiz


@settings(max_examples=80, deadline=None)
@given(
    names_asked=st.lists(st.sampled_from(sorted(CATALOGUE.modules)), min_size=1, max_size=4),
    kinds=kinds_strategy,
    difficulty=st.sampled_from(list(Difficulty)),
    seed=st.integers(0, 2**32),
)
def test_quizzes_on_chosen_modules_ask_only_them(names_asked, kinds, difficulty, seed):
    quiz_settings = QuizSettings(
        count=12, kinds=kinds, difficulty=difficulty, modules=tuple(names_asked)
    )
    try:
        quiz = generate_quiz(CATALOGUE, quiz_settings, seed)
    except NoQuestionsError:
        # Lookalikes have no clues; hard multiple choice may find too few relatives.
        assert Kind.STDLIB not in kinds
        return
    assert {q.module for q in quiz} <= set(names_asked)
    for question in quiz:
        check_question(quiz_settings, question)


def test_a_full_length_quiz_in_every_category():
    """A category of three modules or more gives a teacher a whole 20-question quiz of every
    kind; a category of one module has only so many questions that are not repeats."""
    for slug in CATALOGUE.categories:
        size = len(set(CATALOGUE.in_categories([slug])) & ASKABLE)
        for difficulty in Difficulty:
            quiz_settings = QuizSettings(count=20, categories=(slug,), difficulty=difficulty)
            quiz = generate_quiz(CATALOGUE, quiz_settings, 1)
            check_quiz(quiz_settings, quiz)
            assert len(quiz) == 20 if size >= 3 else len(quiz) >= 8, (slug, difficulty, len(quiz))


def test_a_quiz_stops_short_rather_than_repeat_a_prompt():
    # builtins alone has a handful of clues: a 50-question quiz of it runs out.
    quiz_settings = QuizSettings(count=50, modules=("builtins",))
    quiz = generate_quiz(CATALOGUE, quiz_settings, 3)
    check_quiz(quiz_settings, quiz)
    clues = CATALOGUE.clues_of("builtins")
    # Every clue once (one of them as the answer to "What is it for?"), and "standard
    # library or not?" once.
    assert len(quiz) == len(clues) + 1
    assert {q.clue for q in quiz if q.clue} == {c.text for c in clues}


# --- Determinism -----------------------------------------------------------------------------


def test_different_seeds_give_different_quizzes():
    quiz_settings = QuizSettings(count=10)
    quizzes = [generate_quiz(CATALOGUE, quiz_settings, seed) for seed in range(20)]
    assert len({tuple(quiz) for quiz in quizzes}) == 20


def test_the_same_quiz_comes_out_of_another_process():
    quiz_settings = QuizSettings(count=20, difficulty=Difficulty.HARD, categories=("networking",))
    here = [q.as_record() for q in generate_quiz(CATALOGUE, quiz_settings, 1234)]
    script = (
        "import json, sys\n"
        "from catalogue.snapshot import Catalogue\n"
        "from quizzes.generation import generate_quiz\n"
        "from quizzes.questions import QuizSettings\n"
        "catalogue = Catalogue.from_fixture(json.load(open('fixtures/catalogue.json')))\n"
        "settings = QuizSettings.from_json(json.loads(sys.argv[1]))\n"
        "print(json.dumps([q.as_record() for q in generate_quiz(catalogue, settings, 1234)]))\n"
    )
    # Another hash seed: nothing may depend on the order of a set or on hash().
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(quiz_settings.to_json())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == json.loads(json.dumps(here))


# --- Positions and answers -------------------------------------------------------------------


@pytest.mark.parametrize("difficulty", list(Difficulty))
def test_answer_positions_are_uniform(difficulty):
    quiz_settings = QuizSettings(count=50, kinds=MULTIPLE_CHOICE, difficulty=difficulty)
    positions = Counter(
        q.options.index(q.answer)
        for seed in range(45)
        for q in generate_quiz(CATALOGUE, quiz_settings, seed)
    )
    total = sum(positions.values())
    assert total >= 2000
    for position in range(4):
        assert 0.20 <= positions[position] / total <= 0.30, positions


def test_yes_and_no_take_both_places():
    quiz_settings = QuizSettings(count=50, kinds=(Kind.STDLIB,))
    first = Counter(
        q.options[0] for seed in range(30) for q in generate_quiz(CATALOGUE, quiz_settings, seed)
    )
    assert 0.45 <= first["yes"] / (first["yes"] + first["no"]) <= 0.55


@pytest.mark.parametrize("categories", [(), ("date-and-time",), ("networking", "string-handling")])
def test_standard_library_or_not_answers_yes_about_half_the_time(categories):
    quiz_settings = QuizSettings(count=20, categories=categories)
    answers = Counter(
        q.answer
        for seed in range(40)
        for q in generate_quiz(CATALOGUE, quiz_settings, seed)
        if q.kind is Kind.STDLIB
    )
    assert 0.40 <= answers["yes"] / (answers["yes"] + answers["no"]) <= 0.60, answers


def test_a_no_is_a_lookalike_of_the_category_where_there_is_one():
    quiz_settings = QuizSettings(count=20, kinds=(Kind.STDLIB,), categories=("date-and-time",))
    noes = {
        q.module
        for seed in range(10)
        for q in generate_quiz(CATALOGUE, quiz_settings, seed)
        if q.answer == "no"
    }
    assert noes
    near = set(CATALOGUE.in_categories(["date-and-time"]))
    assert all(CATALOGUE.modules[name].resembles in near for name in noes), noes


def test_a_review_asks_about_its_own_modules_only():
    quiz_settings = QuizSettings(count=5, kinds=(Kind.STDLIB,), modules=("json", "re"))
    quiz = generate_quiz(CATALOGUE, quiz_settings, 2)
    assert sorted(q.module for q in quiz) == ["json", "re"]


# --- Coverage and weights --------------------------------------------------------------------


def test_over_many_quizzes_every_module_is_asked():
    asked = {
        q.module for seed in range(150) for q in generate_quiz(CATALOGUE, QuizSettings(), seed)
    }
    assert asked >= ASKABLE


def test_a_learner_who_is_asked_less_about_what_they_saw_meets_every_module():
    seen: set[str] = set()
    for seed in range(70):
        weights = dict.fromkeys(seen, 0.05)
        quiz = generate_quiz(CATALOGUE, QuizSettings(count=10), seed, weights=weights)
        seen |= {q.module for q in quiz}
    assert seen >= ASKABLE


def test_a_quiz_longer_than_its_category_asks_each_module_in_turn():
    modules = set(CATALOGUE.in_categories(["date-and-time"]))
    quiz_settings = QuizSettings(
        count=20, categories=("date-and-time",), kinds=(Kind.WHICH_MODULE, Kind.RECALL)
    )
    asked = [q.module for q in generate_quiz(CATALOGUE, quiz_settings, 7)]
    passes = [asked[i : i + len(modules)] for i in range(0, len(asked), len(modules))]
    assert all(set(one) == modules for one in passes[:-1])
    assert len(set(passes[-1])) == len(passes[-1])
    assert all(a != b for a, b in itertools.pairwise(asked))


def test_a_low_weight_makes_a_module_asked_much_less_often():
    def times_asked(weights):
        return sum(
            q.module == "json"
            for seed in range(300)
            for q in generate_quiz(CATALOGUE, QuizSettings(count=10), seed, weights=weights)
        )

    usual = times_asked(None)
    lowered = times_asked({"json": 0.05})
    assert usual >= 15
    assert lowered * 4 <= usual


@pytest.mark.parametrize("weight", [0, -1.0, float("nan"), float("inf")])
def test_weights_must_be_positive(weight):
    with pytest.raises(ValueError, match="json"):
        generate_quiz(CATALOGUE, QuizSettings(), 1, weights={"json": weight})


# --- Difficulty ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", MULTIPLE_CHOICE)
def test_hard_questions_draw_on_confusable_groups_first(kind):
    grouped = {name for group in CATALOGUE.groups for name in group}
    for name in sorted(grouped & ASKABLE)[:40]:
        quiz_settings = QuizSettings(
            count=3, kinds=(kind,), difficulty=Difficulty.HARD, modules=(name,)
        )
        try:
            quiz = generate_quiz(CATALOGUE, quiz_settings, 5)
        except NoQuestionsError:
            continue
        for question in quiz:
            owners = distractor_modules(question)
            mates = {m for group in CATALOGUE.groups if name in group for m in group}
            fair_mates = [
                m
                for m in mates - family(name)
                if m in ASKABLE
                and (kind is Kind.WHAT_FOR or not fits_too(name, clue_named(question.clue), m))
            ]
            if kind is not Kind.WHAT_FOR:
                # Every confusable module that is fair is offered before any other relative.
                assert len(set(owners) & set(fair_mates)) == min(3, len(fair_mates)), question


def test_learners_confusions_complete_hard_questions_only_after_relatives():
    quiz_settings = QuizSettings(
        count=4, kinds=(Kind.WHICH_MODULE,), difficulty=Difficulty.HARD, modules=("builtins",)
    )
    confusions = {"builtins": ["pygame", "tensorflow", "zoneinfo"]}
    for question in generate_quiz(CATALOGUE, quiz_settings, 5, confusions=confusions):
        check_difficulty(quiz_settings, question, distractor_modules(question), confusions)


def test_easy_questions_take_distractors_from_other_categories():
    quiz_settings = QuizSettings(count=30, kinds=MULTIPLE_CHOICE, modules=("json", "gzip", "re"))
    for question in generate_quiz(CATALOGUE, quiz_settings, 3):
        for owner in distractor_modules(question):
            assert not related(question.module, owner), question


# --- Clues -----------------------------------------------------------------------------------


def test_a_shared_clue_never_offers_the_other_modules_it_fits():
    shared = sorted({m for clue in CATALOGUE.clues if len(clue.modules) > 1 for m in clue.modules})
    assert shared
    quiz_settings = QuizSettings(
        count=50, kinds=(Kind.WHICH_MODULE, Kind.WHICH_USE), modules=tuple(shared)
    )
    for seed in range(5):
        for question in generate_quiz(CATALOGUE, quiz_settings, seed):
            clue = clue_named(question.clue)
            assert not (clue.modules - {question.answer}) & set(question.options), question


def test_a_parent_is_never_offered_for_its_child():
    quiz_settings = QuizSettings(count=20, kinds=MULTIPLE_CHOICE, modules=("os.path", "os"))
    for question in generate_quiz(CATALOGUE, quiz_settings, 9):
        assert not {"os", "os.path"} - {question.module} & set(question.option_modules)


def test_lookalikes_are_never_options():
    quiz_settings = QuizSettings(count=50, kinds=MULTIPLE_CHOICE)
    for seed in range(10):
        for question in generate_quiz(CATALOGUE, quiz_settings, seed):
            for name in question.option_modules:
                assert name is not None
                assert not CATALOGUE.modules[name].is_lookalike


def small_catalogue(clue_text):
    """json with one clue that names it (a curator's slip), beside unrelated modules."""

    def module(name, category):
        return ModuleInfo(name, name, True, "", None, (category,))

    def described(text, *modules, kind="description"):
        return ClueInfo(text=text, kind=kind, modules=frozenset(modules))

    return Catalogue.build(
        version="small",
        categories=[CategoryInfo("data", "Data"), CategoryInfo("other", "Other")],
        modules=[module("json", "data"), *(module(n, "other") for n in ["csv", "math", "time"])],
        clues=[
            described(clue_text, "json"),
            described("Read rows of spreadsheet exports.", "csv"),
            described("Square roots and logarithms.", "math"),
            described("Sleep for a few seconds.", "time"),
        ],
    )


def test_a_clue_that_names_its_module_is_blanked_in_prompts_and_never_an_option():
    catalogue = small_catalogue("Helps to work with json data.")
    recall = generate_quiz(catalogue, QuizSettings(count=5, kinds=(Kind.RECALL,)), 1)
    assert f"Helps to work with {BLANK} data." in {q.prompt for q in recall}
    # As "What is it for?" it would read as a riddle: json cannot be asked that way.
    what_for = QuizSettings(count=5, kinds=(Kind.WHAT_FOR,), modules=("json",))
    with pytest.raises(NoQuestionsError):
        generate_quiz(catalogue, what_for, 1)


# --- Recall answers --------------------------------------------------------------------------


def recall_question(module_name, seed=0):
    quiz_settings = QuizSettings(count=5, kinds=(Kind.RECALL,), modules=(module_name,))
    return generate_quiz(CATALOGUE, quiz_settings, seed)[0]


KNOWN = set(CATALOGUE.modules)


@pytest.mark.parametrize(
    ("module", "typed"),
    [
        ("os.path", "os.path"),
        ("os.path", "  `OS.Path` "),
        ("os.path", "'os.path'"),
        ("os.path", "\u201cos.path\u201d"),
        ("os.path", "os. path"),
        ("os.path", "from os import path"),
        ("os.path", "import os.path"),
        ("re", "import re"),
        ("re", "re module"),
        ("re", "the re module"),
        ("re", "`re`"),
        ("scikit-learn", "scikit learn"),
        ("scikit-learn", "scikit_learn"),
        ("scikit-learn", "sklearn"),
        ("scikit-learn", "from sklearn import svm"),
        ("scikit-learn", "import sklearn as sk"),
        ("xml", "xml.etree.ElementTree"),
        ("xml", "import xml.etree.ElementTree as ET"),
        ("urllib", "urllib.request"),
        ("builtins", "builtin"),
        ("numpy", "np"),
        ("numpy", "import numpy as np"),
        ("concurrent.futures", "concurrent . futures"),
    ],
)
def test_recall_accepts_what_a_developer_types(module, typed):
    assert recall_accepts(recall_question(module), typed, KNOWN), typed


@pytest.mark.parametrize(
    ("module", "typed"),
    [
        ("os.path", "os"),
        ("os.path", "path"),
        ("os.path", "json"),
        ("os.path", ""),
        ("os.path", "   "),
        ("os", "os.path"),  # a module of its own, not a part of os
        ("unittest", "unittest.mock"),
        ("scikit-learn", "scikit"),
        ("scikit-learn", "learn"),
        ("re", "regex"),
        ("re", "import"),
        ("json", "jsonschema"),
    ],
)
def test_recall_rejects_other_modules_and_fragments(module, typed):
    assert not recall_accepts(recall_question(module), typed, KNOWN), typed


def test_recall_on_a_shared_clue_takes_every_module_it_fits():
    shared = sorted({m for clue in CATALOGUE.clues if len(clue.modules) > 1 for m in clue.modules})
    quiz_settings = QuizSettings(count=50, kinds=(Kind.RECALL,), modules=tuple(shared))
    questions = generate_quiz(CATALOGUE, quiz_settings, 3)
    on_shared = [q for q in questions if len(clue_named(q.clue).modules) > 1]
    assert on_shared
    for question in on_shared:
        clue = clue_named(question.clue)
        for name in clue.modules:
            assert recall_accepts(question, name, KNOWN)
            assert recall_accepts(question, CATALOGUE.modules[name].import_name, KNOWN)
        assert not recall_accepts(question, "left-pad", KNOWN)


def test_normalise_name():
    assert normalise_name("  `Scikit-Learn` ") == "scikitlearn"
    assert normalise_name("scikit learn") == "scikitlearn"
    assert normalise_name('"os.path"\n') == "os.path"


def test_recall_accepts_only_the_answer_for_other_kinds():
    quiz_settings = QuizSettings(count=5, kinds=(Kind.WHICH_MODULE,), modules=("json",))
    question = generate_quiz(CATALOGUE, quiz_settings, 0)[0]
    assert recall_accepts(question, " JSON ")
    assert not recall_accepts(question, next(o for o in question.options if o != "json"))


# --- Nothing to ask --------------------------------------------------------------------------


def test_a_lookalike_can_only_be_asked_standard_library_or_not():
    lookalike = next(name for name, m in CATALOGUE.modules.items() if m.is_lookalike)
    with pytest.raises(NoQuestionsError) as raised:
        generate_quiz(CATALOGUE, QuizSettings(kinds=MULTIPLE_CHOICE, modules=(lookalike,)), 1)
    assert str(raised.value) == NO_QUESTIONS_MESSAGE
    quiz = generate_quiz(CATALOGUE, QuizSettings(modules=(lookalike,)), 1)
    assert [(q.kind, q.module, q.answer) for q in quiz] == [(Kind.STDLIB, lookalike, "no")]


def test_no_kinds_or_no_modules_is_explained():
    with pytest.raises(NoQuestionsError, match=re.escape(NO_KINDS_MESSAGE)):
        generate_quiz(CATALOGUE, QuizSettings(kinds=()), 1)
    with pytest.raises(NoQuestionsError, match=re.escape(NO_MODULES_MESSAGE)):
        generate_quiz(CATALOGUE, QuizSettings(modules=("left-pad",)), 1)


def test_modules_gone_from_the_catalogue_are_skipped():
    quiz = generate_quiz(CATALOGUE, QuizSettings(modules=("left-pad", "json")), 1)
    assert {q.module for q in quiz} == {"json"}


def every_module_meant(catalogue: Catalogue, typed: str) -> str:
    """The rule module_meant keeps, read the long way: the first module by name with a
    spelling (name, import name, alias) that the typed text may mean."""
    meant = typed_names(typed)
    return next(
        (
            m.name
            for m in catalogue.modules.values()
            if any(normalise_name(n) in meant for n in (m.name, m.import_name, *m.aliases))
        ),
        "",
    )


def test_the_module_a_typed_name_means_is_found_by_any_spelling_as_before():
    spellings = [
        spelling
        for module in CATALOGUE.modules.values()
        for spelling in (module.name, module.import_name, *module.aliases)
    ]
    typed = [
        *spellings,
        *(f"import {s}" for s in spellings[::7]),
        *(f"from {s} import thing" for s in spellings[::11]),
        *(s.upper().replace("_", " ") for s in spellings[::5]),
        "np",
        "scikit learn",
        "nothing-like-a-module",
        "",
    ]
    found: Counter[bool] = Counter()
    for text in typed:
        expected = every_module_meant(CATALOGUE, text)
        assert module_meant(CATALOGUE, text) == expected, text
        found[bool(expected)] += 1
    assert found[True] > len(spellings)
    assert found[False] >= 2
