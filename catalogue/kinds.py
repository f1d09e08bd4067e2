"""The kinds of clue, as plain data the quiz generator and the models share."""

from django.db.models import TextChoices


class ClueKind(TextChoices):
    DESCRIPTION = "description", "Description"  # what the module is or does
    USE_CASE = "use_case", "Use case"  # a scenario a developer meets
