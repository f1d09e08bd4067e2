"""The question bank's quality gate: generate many quizzes and count what a teacher would
strike out (quizzes/audit.py holds the checks)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.snapshot import get_catalogue
from quizzes.audit import audit, report


class Command(BaseCommand):
    help = (
        "Generate quizzes over every category, both difficulties and every kind, and print per "
        "kind the questions checked, prompts with a blank or naming their answer, repeated "
        "prompts and modules, second right answers, unrelated hard distractors, the yes share "
        "of 'standard library or not?' and the clues per module. Fails when one is off target."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seeds", type=int, default=3, help="Quizzes per setting (default 3).")
        parser.add_argument(
            "--count", type=int, default=20, help="Questions asked for per quiz (default 20)."
        )
        parser.add_argument(
            "--examples",
            type=int,
            default=10,
            help="How many of the flawed questions to print (default 10).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seeds"] < 1 or not 1 <= options["count"] <= 50:
            raise CommandError("--seeds must be at least 1 and --count between 1 and 50.")
        result = audit(get_catalogue(), seeds=options["seeds"], count=options["count"])
        self.stdout.write("\n".join(report(result)))
        for failure in result.failures[: options["examples"]]:
            self.stdout.write(f"  e.g. {failure}")
        if result.problems():
            raise CommandError("The question bank is off target: see the figures above.")
