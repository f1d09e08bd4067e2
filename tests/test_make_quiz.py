"""`manage.py make_quiz`: worksheets for teachers, JSON for tests and audits."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalogue.models import Module
from quizzes.generation import NO_QUESTIONS_MESSAGE
from quizzes.questions import MAX_QUESTIONS, MIN_QUESTIONS, Kind

pytestmark = pytest.mark.django_db


def make_quiz(*args: str) -> str:
    out = io.StringIO()
    call_command("make_quiz", *args, stdout=out)
    return out.getvalue()


def quiz_json(*args: str) -> list[dict]:
    return json.loads(make_quiz("--json", *args))


def test_json_is_a_list_of_questions_as_shown():
    quiz = quiz_json("--seed", "1", "--count", "12")
    assert len(quiz) == 12
    names = set(Module.objects.values_list("name", flat=True))
    for question in quiz:
        assert set(question) == {"kind", "module", "prompt", "options", "answer"}
        assert question["kind"] in {str(kind) for kind in Kind}
        assert question["module"] in names
        assert isinstance(question["prompt"], str)
        assert question["prompt"]
        if question["kind"] != Kind.RECALL:
            assert question["answer"] in question["options"]


def test_the_default_count_is_ten():
    assert len(quiz_json("--seed", "4")) == 10


def test_the_same_seed_prints_the_same_quiz_and_another_seed_another():
    first = make_quiz("--seed", "7", "--json")
    assert make_quiz("--seed", "7", "--json") == first
    assert make_quiz("--seed", "8", "--json") != first
    assert make_quiz("--seed", "7") == make_quiz("--seed", "7")


def test_categories_restrict_the_modules_asked():
    quiz = quiz_json(
        "--seed", "2", "--count", "30", "--category", "networking", "--category", "date-and-time"
    )
    allowed = set(
        Module.objects.filter(categories__slug__in=["networking", "date-and-time"]).values_list(
            "name", flat=True
        )
    )
    lookalikes = set(Module.objects.filter(is_lookalike=True).values_list("name", flat=True))
    # "Standard library or not?" may pair a module with a lookalike of it (zoneinfo, pytz).
    assert {q["module"] for q in quiz if q["kind"] != "stdlib"} <= allowed
    assert {q["module"] for q in quiz if q["kind"] == "stdlib"} <= allowed | lookalikes
    assert {q["module"] for q in quiz} >= allowed


def test_kinds_restrict_the_questions_and_take_hyphens():
    quiz = quiz_json("--seed", "3", "--count", "20", "--kind", "which-module", "--kind", "stdlib")
    assert {q["kind"] for q in quiz} == {"which_module", "stdlib"}
    for question in quiz:
        if question["kind"] == "stdlib":
            assert sorted(question["options"]) == ["no", "yes"]
        else:
            assert len(question["options"]) == 4


def test_hard_difficulty_is_accepted():
    assert len(quiz_json("--seed", "3", "--difficulty", "hard", "--kind", "what_for")) == 10


def test_the_worksheet_letters_options_and_ends_with_the_answer_key():
    sheet = make_quiz("--seed", "5", "--count", "8", "--category", "networking")
    quiz = quiz_json("--seed", "5", "--count", "8", "--category", "networking")
    assert sheet.splitlines()[0].startswith("Batteries quiz: 8 questions, seed 5")
    assert "Networking" in sheet.splitlines()[0]
    questions, key = sheet.split("\nAnswer key\n")
    key_lines = key.strip().splitlines()
    assert len(key_lines) == 8
    for number, (question, line) in enumerate(zip(quiz, key_lines, strict=True), start=1):
        assert f"{number}. {Kind(question['kind']).label}" in questions
        assert question["prompt"] in questions
        if question["kind"] == Kind.WHAT_FOR:
            assert f"What is {question['prompt']} for?" in questions
        assert line.startswith(f"{number}. ")
        assert question["answer"] in line
        if question["kind"] == Kind.RECALL:
            continue
        if question["kind"] == Kind.STDLIB:
            continue
        letter = "ABCD"[question["options"].index(question["answer"])]
        assert line == f"{number}. {letter}. {question['answer']}"
        for letter, option in zip("ABCD", question["options"], strict=True):
            assert f"   {letter}. {option}" in questions


def test_recall_and_stdlib_questions_leave_room_to_answer():
    sheet = make_quiz("--seed", "6", "--kind", "recall", "--kind", "stdlib")
    assert "Answer: ________" in sheet
    assert "yes / no" in sheet


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--category", "no-such-thing"], "Unknown category 'no-such-thing'. Valid categories:"),
        (["--kind", "essay"], "Unknown kind 'essay'. Valid kinds: which_module, which_use,"),
        (["--count", str(MIN_QUESTIONS - 1)], f"between {MIN_QUESTIONS} and {MAX_QUESTIONS}"),
        (["--count", str(MAX_QUESTIONS + 1)], f"between {MIN_QUESTIONS} and {MAX_QUESTIONS}"),
    ],
)
def test_bad_options_are_refused_with_the_valid_values(args, message):
    with pytest.raises(CommandError, match=message):
        make_quiz("--seed", "1", *args)


def test_the_unknown_category_message_lists_the_real_ones():
    with pytest.raises(CommandError) as raised:
        make_quiz("--seed", "1", "--category", "nope")
    assert "networking" in str(raised.value)
    assert "date-and-time" in str(raised.value)


def test_settings_with_nothing_to_ask_are_explained():
    # Hard questions about tkinter need three plausible relatives of it: it has too few.
    with pytest.raises(CommandError) as raised:
        make_quiz(
            "--seed", "1", "--category", "graphical-user-interfaces", "--kind", "which_use",
            "--difficulty", "hard",
        )  # fmt: skip
    assert str(raised.value) == NO_QUESTIONS_MESSAGE


def test_a_small_category_gives_the_questions_it_has_and_says_so():
    sheet = make_quiz("--seed", "1", "--count", "50", "--category", "importing-modules")
    title = sheet.splitlines()[0]
    assert "(all there are of 50 asked for)" in title
    asked = int(title.split(":")[1].split()[0])
    assert 8 <= asked < 50
    assert len(sheet.split("\nAnswer key\n")[1].strip().splitlines()) == asked


def test_the_seed_is_required():
    with pytest.raises(CommandError, match="--seed"):
        make_quiz("--count", "5")
