"""Load fixtures/catalogue.json and make the database's catalogue exactly that: loaddata adds
and updates rows but never removes one, so a clue a curator deleted, or rewrote (a clue's text
is its key), would otherwise stay and go on being asked."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import ProtectedError, QuerySet

from catalogue.models import Category, Clue, ConfusableGroup, Module

FIXTURE = "catalogue.json"
# Each model's natural key, the field a fixture names a row by.
NATURAL_KEY = {
    "catalogue.category": "slug",
    "catalogue.module": "name",
    "catalogue.clue": "text",
    "catalogue.confusablegroup": "name",
}


class Command(BaseCommand):
    help = (
        "Load the catalogue fixture, then delete the categories, modules, clues and confusable "
        "groups it no longer holds (a module that quizzes have asked about is kept). Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.BASE_DIR / "fixtures" / FIXTURE
        records = json.loads(path.read_text(encoding="utf-8"))
        keys: dict[str, set[str]] = {model: set() for model in NATURAL_KEY}
        for record in records:
            keys[record["model"]].add(record["fields"][NATURAL_KEY[record["model"]]])
        removed: list[str] = []
        kept: list[str] = []
        with transaction.atomic():
            call_command("loaddata", FIXTURE, verbosity=0)
            stale_rows: list[tuple[str, QuerySet[Any]]] = [
                ("clue", Clue.objects.exclude(text__in=keys["catalogue.clue"])),
                (
                    "group",
                    ConfusableGroup.objects.exclude(name__in=keys["catalogue.confusablegroup"]),
                ),
                ("category", Category.objects.exclude(slug__in=keys["catalogue.category"])),
            ]
            for label, stale in stale_rows:
                removed += [f"{label} {row}" for row in stale]
                stale.delete()
            for module in Module.objects.exclude(name__in=keys["catalogue.module"]):
                try:
                    module.delete()
                    removed.append(f"module {module.name}")
                except ProtectedError:
                    kept.append(module.name)  # asked in recorded quizzes: history stays whole
        self.stdout.write(
            f"Catalogue loaded from fixtures/{FIXTURE}: {len(records)} rows; "
            f"{len(removed)} no longer in it removed."
        )
        for row in removed:
            self.stdout.write(f"  removed {row}", self.style.NOTICE)
        if kept:
            self.stdout.write(f"Kept {', '.join(sorted(kept))}: quizzes have asked about them.")
