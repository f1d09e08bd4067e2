"""A class's confusion tallies: its members' confusions summed, a row per (module, chosen).
Each wrong answer of a member adds to every class they are in, in the answer's transaction; a
student joining or leaving has the class counted afresh from its members' own tallies."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Sum

from config.prepared import PreparedRead
from quizzes.models import ConfusionTally

from .models import ClassConfusionTally, Membership

# Every wrong answer reads it: compiled once (see config.prepared).
classes_of = PreparedRead(
    lambda student: Membership.objects.filter(student_id=student).values_list("classroom_id"),
    student=Membership._meta.get_field("student"),
)


def class_confusion_record(*, learner_id: int, module_id: int, chosen: str) -> None:
    """One more time `chosen` was taken for the module, in each of the learner's classes. Safe
    however many answers race for a row, like the learner's own tallies."""
    ids = [classroom for (classroom,) in classes_of.rows(student=learner_id)]
    if not ids:
        return
    # Rows missing are made first (waiting for any racing insert of the same row), so the
    # increment finds every one: nothing is counted twice or lost.
    ClassConfusionTally.objects.bulk_create(
        [ClassConfusionTally(classroom_id=i, module_id=module_id, chosen=chosen) for i in ids],
        ignore_conflicts=True,
    )
    ClassConfusionTally.objects.filter(
        classroom_id__in=ids, module_id=module_id, chosen=chosen
    ).update(times=F("times") + 1)


def class_confusion_forget(*, learner_id: int, module_id: int, chosen: str) -> None:
    """One time fewer (a wrong answer counted right after all), in each of the learner's
    classes; a pair counted no more is gone."""
    rows = ClassConfusionTally.objects.filter(
        classroom_id__in=Membership.objects.filter(student_id=learner_id).values("classroom_id"),
        module_id=module_id,
        chosen=chosen,
    )
    rows.filter(times__lte=1).delete()
    rows.update(times=F("times") - 1)  # those left were counted more than once


def class_confusions_recount(classroom_ids: Iterable[int]) -> None:
    """Count these classes' confusions afresh from their members' tallies (a student joined or
    left, or histories were written in bulk). The old rows go first: an answer racing this
    either counted in a row deleted here, and is read again below, or waits for these rows and
    then counts in the new ones."""
    ids = list(classroom_ids)
    ClassConfusionTally.objects.filter(classroom_id__in=ids).delete()
    sums = (
        ConfusionTally.objects.filter(learner__memberships__classroom_id__in=ids)
        .values_list("learner__memberships__classroom_id", "module_id", "chosen")
        .annotate(times=Sum("times"))
    )
    ClassConfusionTally.objects.bulk_create(
        [
            ClassConfusionTally(classroom_id=c, module_id=m, chosen=chosen, times=times)
            for c, m, chosen, times in sums
        ],
        batch_size=1000,
    )
