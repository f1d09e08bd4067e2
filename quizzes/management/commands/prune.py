"""Delete abandoned visitors' quizzes and expired sessions: run it daily (cron, a systemd
timer); `make run` runs it once."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from quizzes.services import attempts


class Command(BaseCommand):
    help = (
        "Delete visitors' quizzes (never claimed by an account) started more than --days days "
        "ago, with their questions and answers, and expired sessions. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.ABANDONED_AFTER_DAYS,
            help=f"Age in days (default {settings.ABANDONED_AFTER_DAYS}, ABANDONED_AFTER_DAYS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        if days < 1:
            raise CommandError(f"--days must be at least 1, not {days}.")
        pruned = attempts.abandoned_prune(now=timezone.now(), days=days)
        self.stdout.write(
            f"Deleted {pruned.quizzes} visitors' quizzes older than {days} days "
            f"and {pruned.sessions} expired sessions."
        )
