"""A learner's progress version: one more with every change to what their dashboard shows (an
answer, a correction, a quiz started or claimed, a class joined or left, a drill assigned or
its class renamed), in the transaction of the change. The dashboard is kept rendered under it
(see config.kept), and a class's dashboard under its students' versions summed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from config.prepared import PreparedUpdate

from .models import Profile

# Every answer runs it: compiled once (see config.prepared).
progress_bumped = PreparedUpdate(
    lambda learner: (
        Profile.objects.filter(user_id=learner),
        {"progress_version": F("progress_version") + 1},
    ),
    learner=Profile._meta.get_field("user"),
)


def progress_changed(learner_id: int) -> None:
    """One learner's dashboard changes."""
    progress_bumped.run(learner=learner_id)


def progress_changed_all(learner_ids: Iterable[int]) -> None:
    """Many learners' dashboards change (a drill assigned to their class, say)."""
    Profile.objects.filter(user_id__in=learner_ids).update(
        progress_version=F("progress_version") + 1
    )
