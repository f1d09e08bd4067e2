"""Print a quiz: a worksheet with its answer key for teachers, or JSON for tests and audits."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.snapshot import Catalogue, get_catalogue
from quizzes.generation import NoQuestionsError, generate_quiz
from quizzes.questions import (
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    Difficulty,
    Kind,
    Question,
    QuizSettings,
)

LETTERS = "ABCDEFGHIJ"
ANSWER_LINE = "Answer: ________"


def parse_kind(value: str) -> Kind:
    """A kind as typed on a command line: which_module and which-module alike."""
    try:
        return Kind(value.strip().lower().replace("-", "_"))
    except ValueError:
        valid = ", ".join(str(kind) for kind in Kind)
        raise CommandError(f"Unknown kind {value!r}. Valid kinds: {valid}.") from None


def check_categories(catalogue: Catalogue, slugs: list[str]) -> tuple[str, ...]:
    unknown = [slug for slug in slugs if slug not in catalogue.categories]
    if unknown:
        valid = ", ".join(catalogue.categories)
        raise CommandError(f"Unknown category {unknown[0]!r}. Valid categories: {valid}.")
    return tuple(dict.fromkeys(slugs))


def check_count(count: int) -> int:
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise CommandError(
            f"--count must be between {MIN_QUESTIONS} and {MAX_QUESTIONS}, not {count}."
        )
    return count


def title(settings: QuizSettings, seed: int, catalogue: Catalogue, asked: int) -> str:
    kinds = (
        ", ".join(kind.label for kind in settings.kinds) if settings.kinds != tuple(Kind) else "all"
    )
    names = [catalogue.categories[slug].name for slug in settings.categories]
    # A quiz never shows a prompt twice, so a small category can run out before the count.
    fewer = f" (all there are of {settings.count} asked for)" if asked < settings.count else ""
    return (
        f"Batteries quiz: {asked} questions{fewer}, seed {seed}, {settings.difficulty}; "
        f"kinds: {kinds}; categories: {', '.join(names) or 'all'}"
    )


def question_lines(number: int, question: Question) -> list[str]:
    lines = [f"{number}. {question.kind.label}", f"   {question.heading}"]
    if question.kind is Kind.RECALL:
        lines.append(f"   {ANSWER_LINE}")
    elif question.kind is Kind.STDLIB:
        lines.append("   yes / no")
    else:
        lines += [f"   {LETTERS[i]}. {option}" for i, option in enumerate(question.options)]
    return lines


def key_line(number: int, question: Question) -> str:
    if question.kind is Kind.RECALL:
        others = [o for o in question.options if o != question.answer]
        also = f" (also accepted: {', '.join(others)})" if others else ""
        return f"{number}. {question.answer}{also}"
    if question.kind is Kind.STDLIB:
        return f"{number}. {question.answer}"
    letter = LETTERS[question.options.index(question.answer)]
    return f"{number}. {letter}. {question.answer}"


def worksheet(title_line: str, quiz: list[Question]) -> str:
    lines = [title_line, ""]
    for number, question in enumerate(quiz, start=1):
        lines += [*question_lines(number, question), ""]
    lines += ["Answer key", *(key_line(n, q) for n, q in enumerate(quiz, start=1))]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Print a quiz generated from the catalogue: a worksheet with its answer key, or the "
        "questions as JSON (--json). The same seed and options always print the same quiz."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            required=True,
            help="Required, so that every printed quiz can be printed again and audited.",
        )
        parser.add_argument(
            "--count",
            type=int,
            default=10,
            help=f"Number of questions, {MIN_QUESTIONS} to {MAX_QUESTIONS} (default 10).",
        )
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            metavar="SLUG",
            help="Ask only modules of this category; repeat for several (default: all).",
        )
        parser.add_argument(
            "--kind",
            action="append",
            default=[],
            metavar="KIND",
            help=(
                "Ask only this kind of question; repeat for several (default: all). "
                f"One of: {', '.join(str(k) for k in Kind)} (or with hyphens)."
            ),
        )
        parser.add_argument(
            "--difficulty",
            choices=[str(d) for d in Difficulty],
            default=str(Difficulty.EASY),
            help="easy: distractors from other categories; hard: from the same (default easy).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print the questions as JSON: a list of {kind, module, prompt, options, answer}.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        catalogue = get_catalogue()
        settings = QuizSettings(
            count=check_count(options["count"]),
            kinds=tuple(dict.fromkeys(parse_kind(k) for k in options["kind"])) or tuple(Kind),
            difficulty=Difficulty(options["difficulty"]),
            categories=check_categories(catalogue, options["category"]),
        )
        try:
            quiz = generate_quiz(catalogue, settings, options["seed"])
        except NoQuestionsError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps([q.to_json() for q in quiz], indent=2, ensure_ascii=False))
        else:
            heading = title(settings, options["seed"], catalogue, len(quiz))
            self.stdout.write(worksheet(heading, quiz))
