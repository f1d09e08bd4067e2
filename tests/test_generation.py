"""Quiz generation against the shipped catalogue, with no database: every question is fair.

The fairness checks here are written independently of the generator (their own matching of
names in text, their own idea of who else a clue fits), so that a bug in either shows.
"""

import copy
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
    normalise_name,
    recall_accepts,
)
from quizzes.questions import BLANK, Difficulty, Kind, Question, QuizSettings

ROOT = Path(__file__).resolve().parent.parent
RECORDS = json.loads((ROOT / "fixtures" / "catalogue.json").read_text(encoding="utf-8"))

# More aliases than the curated ones, some of them awkward (a name inside words, a slash):
# the rules must hold whatever curators add.
ALIASES = {
    "sqlite3": ["SQLite"],
    "imaplib": ["IMAP4", "IMAP"],
    "smtplib": ["SMTP"],
    "poplib": ["POP3"],
    "zipfile": ["ZIP"],
    "ftplib": ["FTP"],
    "io": ["I/O"],
    "unittest.mock": ["mock"],
    "random": ["pseudorandom"],
    "threading": ["multithreading"],
    "ssl": ["TLS"],
    "tkinter": ["Tk"],
}


def with_aliases(records, aliases):
    records = copy.deepcopy(records)
    for record in records:
        fields = record["fields"]
        if record["model"] == "catalogue.module" and fields["name"] in aliases:
            fields["aliases"] = [*fields.get("aliases", []), *aliases[fields["name"]]]
    return records


CATALOGUE = Catalogue.from_fixture(RECORDS)
ALIASED = Catalogue.from_fixture(with_aliases(RECORDS, ALIASES), version="aliased")
# Hypothesis draws a name: a whole catalogue in a failure report would be an unreadable repr.
CATALOGUES = {"shipped": CATALOGUE, "more aliases": ALIASED}
MULTIPLE_CHOICE = (Kind.WHICH_MODULE, Kind.WHICH_USE, Kind.WHAT_FOR)


# --- Independent checks ----------------------------------------------------------------------


def words(catalogue, name):
    module = catalogue.modules[name]
    return {module.name, module.import_name, *module.aliases}


def forms(word):
    word = word.lower()
    found = {word, word + "s", word + "es", word + "'s", word + "\u2019s"}
    if word.endswith("y"):
        found.add(word[:-1] + "ies")
    return found


def names(text, word):
    """Whether `text` has `word` as a whole word (plural, possessive, any case): not inside
    another word, nor after a dot ("mock" is not named by "unittest.mock")."""
    lower = text.lower()
    for form in forms(word):
        start = lower.find(form)
        while start != -1:
            end = start + len(form)
            before = lower[start - 1] if start else " "
            after = lower[end] if end < len(lower) else " "
            if not (before.isalnum() or before in "_.") and not (after.isalnum() or after == "_"):
                return True
            start = lower.find(form, start + 1)
    return False


def names_any(text, catalogue, modules):
    return any(names(text, word) for name in modules for word in words(catalogue, name))


def blanked_from(shown, text, blankable):
    """Whether `shown` is `text` with some of the `blankable` words (in some form) blanked."""
    pieces = [re.escape(piece) for piece in shown.split(BLANK)]
    match = re.fullmatch("(.+?)".join(pieces), text, flags=re.DOTALL)
    allowed = {form for word in blankable for form in forms(word)}
    return match is not None and all(g.strip("`").lower() in allowed for g in match.groups())


def family(catalogue, name):
    module = catalogue.modules[name]
    return {name, *module.children, *([module.parent] if module.parent else [])}


def clue_named(catalogue, text) -> ClueInfo:
    return next(clue for clue in catalogue.clues if clue.text == text)


def fits_too(catalogue, answer, clue, candidate):
    """Whether `candidate` would be a second right answer for a prompt made from `clue`
    (or seem one: curators list what a clue seems to fit once blanked)."""
    fitting = clue.modules | clue.fits_when_blanked
    return (
        candidate in fitting
        or candidate in family(catalogue, answer)
        or any(candidate in family(catalogue, m) for m in fitting)
        or names_any(clue.text, catalogue, [candidate])
    )


def shares_category(catalogue, one, other):
    return bool(set(catalogue.modules[one].categories) & set(catalogue.modules[other].categories))


def pool_of(catalogue, quiz_settings):
    if quiz_settings.categories:
        return set(catalogue.in_categories(quiz_settings.categories))
    return set(catalogue.modules)


# --- Per question ----------------------------------------------------------------------------


def check_options(question: Question):
    assert len(question.options) == 4
    shown = {" ".join(o.split()).casefold() for o in question.options}
    assert len(shown) == 4, question
    assert question.options.count(question.answer) == 1
    assert len(question.option_modules) == 4


def check_clue_prompt(catalogue, question: Question) -> ClueInfo:
    clue = clue_named(catalogue, question.clue)
    assert question.module in clue.modules
    own = words(catalogue, question.module)
    assert not any(names(question.prompt, word) for word in own), question
    assert blanked_from(question.prompt, clue.text, own), question
    return clue


def check_which(catalogue, quiz_settings, question: Question):
    clue = check_clue_prompt(catalogue, question)
    expected = "description" if question.kind is Kind.WHICH_MODULE else "use_case"
    assert clue.kind == expected
    check_options(question)
    assert question.answer == question.module
    assert question.option_modules == question.options
    distractors = [o for o in question.options if o != question.answer]
    for distractor in distractors:
        assert distractor in catalogue.modules
        assert not fits_too(catalogue, question.module, clue, distractor), (distractor, question)
    fair = [m for m in catalogue.modules if not fits_too(catalogue, question.module, clue, m)]
    near = [m for m in fair if shares_category(catalogue, m, question.module)]
    far = [m for m in fair if not shares_category(catalogue, m, question.module)]
    if quiz_settings.difficulty is Difficulty.EASY:
        assert len(set(distractors) & set(far)) == min(3, len(far)), question
    else:
        assert len(set(distractors) & set(near)) == min(3, len(near)), question


def check_what_for(catalogue, quiz_settings, question: Question):
    check_options(question)
    asked = question.module
    kin = family(catalogue, asked)
    clue = clue_named(catalogue, question.clue)
    assert clue.kind == "description"
    assert asked in clue.modules
    assert question.prompt == asked
    blank_answer = words(catalogue, asked) | {w for m in clue.modules for w in words(catalogue, m)}
    assert blanked_from(question.answer, clue.text, blank_answer)
    for option, owner in zip(question.options, question.option_modules, strict=True):
        assert not names_any(option, catalogue, kin), (option, question)
        assert not names_any(option, catalogue, [owner]), (option, question)
        if option == question.answer:
            assert owner == asked
            continue
        assert owner not in kin
        blankable = words(catalogue, asked) | words(catalogue, owner)
        sources = [
            c
            for c in catalogue.clues_of(owner, "description")
            if blanked_from(
                option, c.text, blankable | {w for m in c.modules for w in words(catalogue, m)}
            )
        ]
        assert sources, (option, question)
        assert all(not (c.modules & kin) for c in sources), (option, question)
        if BLANK in option:
            assert all(not (c.fits_when_blanked & kin) for c in sources), (option, question)
        # No distractor reads as anything the asked module or its family is said to do.
        for member in sorted(kin):
            for true_clue in catalogue.clues_of(member):
                also = {w for m in true_clue.modules for w in words(catalogue, m)}
                assert not blanked_from(option, true_clue.text, blankable | also), (
                    option,
                    question,
                )


def check_recall(catalogue, question: Question):
    clue = check_clue_prompt(catalogue, question)
    assert question.answer == question.module
    module = catalogue.modules[question.module]
    assert question.options[0] == module.name
    assert module.import_name in question.options
    fitting = set(clue.modules)
    if BLANK in question.prompt:
        fitting |= clue.fits_when_blanked
    spellings = {s for m in fitting for s in (m, catalogue.modules[m].import_name)}
    assert set(question.options) == spellings


def check_stdlib(catalogue, question: Question):
    assert sorted(question.options) == ["no", "yes"]
    assert question.prompt == question.module
    assert question.answer == ("yes" if catalogue.modules[question.module].is_stdlib else "no")


def check_question(catalogue, quiz_settings, question):
    assert question.kind in quiz_settings.kinds
    if question.kind in (Kind.WHICH_MODULE, Kind.WHICH_USE):
        check_which(catalogue, quiz_settings, question)
    elif question.kind is Kind.WHAT_FOR:
        check_what_for(catalogue, quiz_settings, question)
    elif question.kind is Kind.RECALL:
        check_recall(catalogue, question)
    else:
        check_stdlib(catalogue, question)


def check_quiz(catalogue, quiz_settings, quiz):
    assert len(quiz) == quiz_settings.count
    pool = pool_of(catalogue, quiz_settings)
    asked = [q.module for q in quiz]
    assert set(asked) <= pool
    for question in quiz:
        check_question(catalogue, quiz_settings, question)
    # Every module has a clue, so recall and stdlib fit all: the quiz goes round the pool.
    if {Kind.RECALL, Kind.STDLIB} & set(quiz_settings.kinds):
        first = asked[: len(pool)]
        assert len(set(first)) == len(first)
        assert set(Counter(asked).values()) <= {
            len(asked) // len(pool),
            -(-len(asked) // len(pool)),
        }
        if len(pool) > 1:
            assert all(a != b for a, b in itertools.pairwise(asked))
    # Kinds every module can be asked in take turns.
    if set(quiz_settings.kinds) <= {Kind.WHICH_MODULE, Kind.WHAT_FOR, Kind.RECALL, Kind.STDLIB}:
        used = Counter(q.kind for q in quiz)
        counts = [used[kind] for kind in quiz_settings.kinds]
        assert max(counts) - min(counts) <= 1


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
@given(
    catalogue_name=st.sampled_from(sorted(CATALOGUES)),
    quiz_settings=settings_strategy,
    seed=st.integers(0, 2**32),
)
def test_every_question_is_fair_and_the_quiz_is_deterministic(catalogue_name, quiz_settings, seed):
    catalogue = CATALOGUES[catalogue_name]
    try:
        quiz = generate_quiz(catalogue, quiz_settings, seed)
    except NoQuestionsError:
        # Every module has a clue, so only the multiple-choice kinds can find nothing to ask.
        assert set(quiz_settings.kinds) <= set(MULTIPLE_CHOICE)
        return
    check_quiz(catalogue, quiz_settings, quiz)
    assert generate_quiz(catalogue, quiz_settings, seed) == quiz


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
        quiz = generate_quiz(ALIASED, quiz_settings, seed)
    except NoQuestionsError:
        assert set(kinds) <= set(MULTIPLE_CHOICE)
        return
    assert {q.module for q in quiz} <= set(names_asked)
    for question in quiz:
        check_question(ALIASED, quiz_settings, question)


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


# --- Positions -------------------------------------------------------------------------------


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


# --- Coverage and weights --------------------------------------------------------------------


def test_over_many_quizzes_every_module_is_asked():
    asked = {
        q.module for seed in range(150) for q in generate_quiz(CATALOGUE, QuizSettings(), seed)
    }
    assert asked == set(CATALOGUE.modules)


def test_a_learner_who_is_asked_less_about_what_they_saw_meets_every_module():
    seen: set[str] = set()
    for seed in range(60):
        weights = dict.fromkeys(seen, 0.05)
        quiz = generate_quiz(CATALOGUE, QuizSettings(count=10), seed, weights=weights)
        seen |= {q.module for q in quiz}
    assert seen == set(CATALOGUE.modules)


def test_a_quiz_longer_than_its_category_asks_each_module_in_turn():
    modules = set(CATALOGUE.in_categories(["date-and-time"]))
    quiz = generate_quiz(CATALOGUE, QuizSettings(count=30, categories=("date-and-time",)), 7)
    asked = [q.module for q in quiz]
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


def distractor_modules(question):
    return [
        m
        for m, o in zip(question.option_modules, question.options, strict=True)
        if o != question.answer
    ]


def test_easy_what_for_takes_descriptions_of_other_categories():
    quiz_settings = QuizSettings(count=30, kinds=(Kind.WHAT_FOR,), modules=("json", "gzip", "re"))
    for question in generate_quiz(CATALOGUE, quiz_settings, 3):
        for owner in distractor_modules(question):
            assert not shares_category(CATALOGUE, owner, question.module), question


def test_hard_what_for_takes_descriptions_of_the_same_category():
    quiz_settings = QuizSettings(
        count=30,
        kinds=(Kind.WHAT_FOR,),
        difficulty=Difficulty.HARD,
        modules=("threading", "gzip", "math"),
    )
    for question in generate_quiz(CATALOGUE, quiz_settings, 3):
        near = [
            o
            for o in distractor_modules(question)
            if shares_category(CATALOGUE, o, question.module)
        ]
        assert len(near) == 3, question


def test_hard_questions_offer_the_usual_confusions_first():
    confused = ["xml", "pickle", "marshal", "csv", "configparser", "sqlite3"]
    quiz_settings = QuizSettings(
        count=20,
        kinds=(Kind.WHICH_MODULE, Kind.WHICH_USE),
        difficulty=Difficulty.HARD,
        modules=("json",),
    )
    quiz = generate_quiz(CATALOGUE, quiz_settings, 5, confusions={"json": confused})
    for question in quiz:
        clue = clue_named(CATALOGUE, question.clue)
        fair = [
            m
            for m in confused
            if m in CATALOGUE.modules and not fits_too(CATALOGUE, "json", clue, m)
        ]
        assert set(fair[:3]) <= set(question.options), question
        if "xml" in clue.modules:
            assert "xml" not in question.options


def could_describe(catalogue, owner, asked):
    """Whether `owner` has a description a WHAT_FOR question on `asked` may offer."""
    kin = family(catalogue, asked)
    return owner not in kin and any(
        not (clue.modules & kin) and not names_any(clue.text, catalogue, kin)
        for clue in catalogue.clues_of(owner, "description")
    )


def test_hard_what_for_offers_the_usual_confusions_first():
    confused = ["fnmatch", "os.path", "glob", "shutil", "tempfile", "pathlib", "json"]
    fair = [m for m in confused if could_describe(CATALOGUE, m, "glob")]
    quiz_settings = QuizSettings(
        count=5, kinds=(Kind.WHAT_FOR,), difficulty=Difficulty.HARD, modules=("glob",)
    )
    confusions = {"glob": confused}
    for question in generate_quiz(CATALOGUE, quiz_settings, 11, confusions=confusions):
        assert set(distractor_modules(question)) == set(fair[:3])


# --- Clues -----------------------------------------------------------------------------------


def test_a_quiz_uses_a_modules_own_clues_before_shared_ones_and_unused_before_used():
    for name in sorted(CATALOGUE.modules):
        descriptions = CATALOGUE.clues_of(name, "description")
        own = {c.text for c in descriptions if c.modules == {name}}
        if not own or len(own) == len(descriptions):
            continue
        quiz_settings = QuizSettings(
            count=len(descriptions), kinds=(Kind.WHICH_MODULE,), modules=(name,)
        )
        clues = [q.clue for q in generate_quiz(CATALOGUE, quiz_settings, 2)]
        assert set(clues[: len(own)]) == own, name
        assert set(clues) == {c.text for c in descriptions}, name


def test_a_shared_clue_never_offers_the_other_modules_it_fits():
    shared = sorted({m for clue in CATALOGUE.clues if len(clue.modules) > 1 for m in clue.modules})
    quiz_settings = QuizSettings(
        count=50, kinds=(Kind.WHICH_MODULE, Kind.WHICH_USE), modules=tuple(shared)
    )
    for seed in range(5):
        for question in generate_quiz(CATALOGUE, quiz_settings, seed):
            clue = clue_named(CATALOGUE, question.clue)
            assert not (clue.modules - {question.answer}) & set(question.options), question


def test_a_prompt_that_names_a_module_never_offers_it():
    quiz_settings = QuizSettings(count=5, kinds=(Kind.WHICH_MODULE,), modules=("multiprocessing",))
    for question in generate_quiz(CATALOGUE, quiz_settings, 8):
        if "threading" in (question.clue or ""):
            assert "threading" not in question.options


def test_a_parent_is_never_offered_for_its_child():
    quiz_settings = QuizSettings(count=20, kinds=MULTIPLE_CHOICE, modules=("os.path", "os"))
    for question in generate_quiz(CATALOGUE, quiz_settings, 9):
        assert not {"os", "os.path"} - {question.module} & set(question.option_modules)


def test_aliases_are_blanked():
    quiz_settings = QuizSettings(
        count=20, kinds=(Kind.WHICH_USE, Kind.RECALL), modules=("sqlite3",)
    )
    questions = generate_quiz(ALIASED, quiz_settings, 1)
    assert any("SQLite" in (q.clue or "") for q in questions)
    for question in questions:
        assert "sqlite" not in question.prompt.lower()
        assert ("SQLite" in (question.clue or "")) == (BLANK in question.prompt)


@pytest.mark.parametrize("difficulty", list(Difficulty))
def test_the_answer_is_never_the_only_option_with_a_blank_or_without_one(difficulty):
    quiz_settings = QuizSettings(count=50, kinds=(Kind.WHAT_FOR,), difficulty=difficulty)
    for seed in range(40):
        for question in generate_quiz(CATALOGUE, quiz_settings, seed):
            blanked = BLANK in question.answer
            others = [o for o in question.options if o != question.answer]
            assert any((BLANK in o) == blanked for o in others), question


def small_catalogue():
    """A module whose use case reads, once names are blanked, like another's description."""

    def module(name, category):
        return ModuleInfo(name, name, True, "", None, (category,))

    def described(text, *modules, kind="description"):
        return ClueInfo(text=text, kind=kind, modules=frozenset(modules))

    return Catalogue.build(
        version="small",
        categories=[CategoryInfo("data", "Data"), CategoryInfo("other", "Other")],
        modules=[
            module("json", "data"),
            module("xml", "data"),
            *(module(name, "other") for name in ["csv", "math", "time", "zipfile"]),
        ],
        clues=[
            described("Helps to work with json data.", "json", kind="use_case"),
            described("JSON serialization.", "json"),
            described("Helps to work with xml data.", "xml"),
            described("Read comma-separated files.", "csv"),
            described("Mathematical functions.", "math"),
            described("Clocks and sleeping.", "time"),
            described("Archives.", "zipfile"),
        ],
    )


@pytest.mark.parametrize("difficulty", list(Difficulty))
def test_no_distractor_reads_like_a_description_of_the_asked_module(difficulty):
    catalogue = small_catalogue()
    quiz_settings = QuizSettings(
        count=20, kinds=(Kind.WHAT_FOR,), difficulty=difficulty, modules=("json",)
    )
    questions = [q for seed in range(10) for q in generate_quiz(catalogue, quiz_settings, seed)]
    assert {q.answer for q in questions} == {"____ serialization."}
    for question in questions:
        assert "xml" not in question.option_modules
        check_what_for(catalogue, quiz_settings, question)


# --- Recall answers --------------------------------------------------------------------------


def recall_question(module_name, seed=0):
    quiz_settings = QuizSettings(count=5, kinds=(Kind.RECALL,), modules=(module_name,))
    return generate_quiz(CATALOGUE, quiz_settings, seed)[0]


def test_recall_forgives_case_backticks_quotes_and_spacing():
    question = recall_question("os.path")
    for typed in ["os.path", "  `OS.Path` ", "'os.path'", "\u201cos.path\u201d", "os. path"]:
        assert recall_accepts(question, typed), typed
    for typed in ["os", "ospath", "os_path", "", "   ", "json"]:
        assert not recall_accepts(question, typed), typed


def test_recall_takes_the_import_name_and_dashes_or_underscores():
    question = recall_question("scikit-learn")
    for typed in ["scikit-learn", "sklearn", "scikit_learn", "SKLearn", "`sklearn`"]:
        assert recall_accepts(question, typed), typed
    for typed in ["scikit", "learn", "sk-learn", "json"]:
        assert not recall_accepts(question, typed), typed


def test_recall_on_a_shared_clue_takes_every_module_it_fits():
    shared = sorted({m for clue in CATALOGUE.clues if len(clue.modules) > 1 for m in clue.modules})
    quiz_settings = QuizSettings(count=50, kinds=(Kind.RECALL,), modules=tuple(shared))
    questions = generate_quiz(CATALOGUE, quiz_settings, 3)
    on_shared = [q for q in questions if len(clue_named(CATALOGUE, q.clue).modules) > 1]
    assert on_shared
    for question in on_shared:
        clue = clue_named(CATALOGUE, question.clue)
        for name in clue.modules:
            assert recall_accepts(question, name)
            assert recall_accepts(question, CATALOGUE.modules[name].import_name)
        assert not recall_accepts(question, "left-pad")


def test_recall_on_a_blanked_prompt_takes_what_it_seems_to_fit():
    seeming = sorted(
        {m for clue in CATALOGUE.clues if clue.fits_when_blanked for m in clue.modules}
    )
    quiz_settings = QuizSettings(count=50, kinds=(Kind.RECALL,), modules=tuple(seeming))
    questions = [
        q
        for q in generate_quiz(CATALOGUE, quiz_settings, 5)
        if BLANK in q.prompt and clue_named(CATALOGUE, q.clue).fits_when_blanked
    ]
    assert questions
    for question in questions:
        for name in clue_named(CATALOGUE, question.clue).fits_when_blanked:
            assert recall_accepts(question, name), (name, question)


def test_normalise_name():
    assert normalise_name("  `Scikit-Learn` ") == "scikit_learn"
    assert normalise_name('"os.path"\n') == "os.path"
    assert normalise_name("concurrent . futures") == "concurrent.futures"


def test_recall_accepts_only_the_answer_for_other_kinds():
    quiz_settings = QuizSettings(count=5, kinds=(Kind.WHICH_MODULE,), modules=("json",))
    question = generate_quiz(CATALOGUE, quiz_settings, 0)[0]
    assert recall_accepts(question, " JSON ")
    assert not recall_accepts(question, next(o for o in question.options if o != "json"))


# --- Nothing to ask --------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["builtin-functions", "importing-modules"])
def test_a_category_without_use_cases_cannot_have_which_use_questions(category):
    quiz_settings = QuizSettings(kinds=(Kind.WHICH_USE,), categories=(category,))
    with pytest.raises(NoQuestionsError) as raised:
        generate_quiz(CATALOGUE, quiz_settings, 1)
    assert str(raised.value) == NO_QUESTIONS_MESSAGE


def test_no_kinds_or_no_modules_is_explained():
    with pytest.raises(NoQuestionsError, match=re.escape(NO_KINDS_MESSAGE)):
        generate_quiz(CATALOGUE, QuizSettings(kinds=()), 1)
    with pytest.raises(NoQuestionsError, match=re.escape(NO_MODULES_MESSAGE)):
        generate_quiz(CATALOGUE, QuizSettings(modules=("left-pad",)), 1)


def test_modules_gone_from_the_catalogue_are_skipped():
    quiz = generate_quiz(CATALOGUE, QuizSettings(modules=("left-pad", "json")), 1)
    assert {q.module for q in quiz} == {"json"}
