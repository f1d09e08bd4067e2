"""The question bank's quality gate: `audit_questions` over the shipped catalogue, and the
audit's own checks proven able to fail."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue.snapshot import Catalogue
from quizzes.audit import KindFigures, audit, check_quiz, report
from quizzes.questions import Difficulty, Kind, Question, QuizSettings

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Catalogue.from_fixture(
    json.loads((ROOT / "fixtures" / "catalogue.json").read_text(encoding="utf-8"))
)


@pytest.fixture(scope="module")
def result():
    return audit(CATALOGUE, seeds=2, count=20)


def test_every_figure_is_on_target(result):
    assert result.problems() == []
    assert result.failures == []


def test_it_checks_every_kind_in_quantity(result):
    assert result.quizzes >= 500
    for kind in Kind:
        assert result.by_kind[kind].questions >= 500, kind
    assert result.by_kind[Kind.WHICH_MODULE].hard_distractors >= 1000


@pytest.mark.parametrize(
    ("figure", "target"),
    [
        ("with_blank", 0),
        ("naming_answer", 0),
        ("repeated_prompts", 0),
        ("repeated_modules", 0),
        ("second_right", 0),
        ("hard_unrelated", 0),
    ],
)
def test_flaw_counts_are_zero(result, figure, target):
    assert getattr(result.total, figure) == target


def test_standard_library_or_not_is_a_real_question(result):
    assert 0.40 <= result.by_kind[Kind.STDLIB].yes_share <= 0.60


def test_every_module_has_two_clues_of_each_kind(result):
    assert result.clues.min_descriptions >= 2
    assert result.clues.min_use_cases >= 2
    assert result.clues.under_four == ()
    assert result.clues.lookalikes >= 60
    assert result.clues.removed >= 20


# --- The checks can fail ---------------------------------------------------------------------


def a_clue(name, kind="description"):
    return CATALOGUE.clues_of(name, kind)[0]


def which(module, prompt, options, clue=None):
    return Question(
        kind=Kind.WHICH_MODULE,
        module=module,
        prompt=prompt,
        options=tuple(options),
        answer=module,
        clue=clue or prompt,
        option_modules=tuple(options),
    )


def figures_of(quiz, settings=None):
    by_kind = {kind: KindFigures() for kind in Kind}
    flaws = check_quiz(CATALOGUE, settings or QuizSettings(count=len(quiz)), quiz, by_kind)
    return by_kind[Kind.WHICH_MODULE], flaws


def test_a_blank_a_name_and_a_repeat_are_counted():
    clue = a_clue("json").text
    quiz = [
        which("json", "Reads ____ text.", ["json", "math", "time", "re"], clue),
        which("json", "Reads json text.", ["json", "math", "time", "re"], clue),
    ]
    figures, flaws = figures_of(quiz)
    assert figures.with_blank == 1
    assert figures.naming_answer == 1
    assert figures.repeated_prompts == 1
    assert figures.repeated_modules == 1
    assert len(flaws) == 4


def test_a_second_right_answer_and_an_unrelated_hard_distractor_are_counted():
    shared = next(c for c in CATALOGUE.clues if {"hmac", "secrets"} <= c.modules)
    question = which("hmac", shared.text, ["hmac", "secrets", "hashlib", "pygame"], shared.text)
    figures, _ = figures_of([question], QuizSettings(count=1, difficulty=Difficulty.HARD))
    assert figures.second_right == 1
    assert figures.hard_distractors == 3
    assert figures.hard_unrelated == 1  # pygame: no category or group shared with hmac


def test_the_report_says_pass_or_fail(result):
    assert report(result)[-1] == "PASS: every figure is on target"


@pytest.mark.django_db
def test_the_command_prints_the_figures():
    out = io.StringIO()
    call_command("audit_questions", "--seeds", "1", "--count", "10", stdout=out)
    text = out.getvalue()
    assert "Standard library or not?" in text
    assert "PASS: every figure is on target" in text


@pytest.mark.django_db
def test_the_command_refuses_bad_options():
    with pytest.raises(CommandError, match="--seeds"):
        call_command("audit_questions", "--seeds", "0")
