"""Tallies: per learner, how often each item was asked and answered right, and which modules
were taken for which. Kept current in each answer's transaction; rebuilt from the answers
where history is written in bulk."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, Q

from ..models import Answer, ConfusionTally, ItemTally


def tallies_record(
    *, learner_id: int, module_id: int, clue: str, is_correct: bool, chosen: str
) -> None:
    """Count one more answer. Safe however many answers race for one row: a missing row is
    made with an insert that waits for a racing one, and the count is always an increment."""
    item = ItemTally.objects.filter(learner_id=learner_id, module_id=module_id, clue=clue)
    counted = item.update(asked=F("asked") + 1, right=F("right") + int(is_correct))
    if not counted:
        ItemTally.objects.bulk_create(
            [ItemTally(learner_id=learner_id, module_id=module_id, clue=clue)],
            ignore_conflicts=True,
        )
        item.update(asked=F("asked") + 1, right=F("right") + int(is_correct))
    if is_correct or not chosen:
        return
    confusion = ConfusionTally.objects.filter(
        learner_id=learner_id, module_id=module_id, chosen=chosen
    )
    if not confusion.update(times=F("times") + 1):
        ConfusionTally.objects.bulk_create(
            [ConfusionTally(learner_id=learner_id, module_id=module_id, chosen=chosen)],
            ignore_conflicts=True,
        )
        confusion.update(times=F("times") + 1)


def tallies_rebuild(learner_ids: Iterable[int]) -> None:
    """Count these learners' tallies afresh from all their answers (after a bulk import)."""
    learners = list(learner_ids)
    ItemTally.objects.filter(learner_id__in=learners).delete()
    ConfusionTally.objects.filter(learner_id__in=learners).delete()
    answers = Answer.objects.filter(question__attempt__learner_id__in=learners)
    items = answers.values(
        learner=F("question__attempt__learner_id"),
        module_id=F("question__module_id"),
        clue=F("question__clue"),
    ).annotate(asked=Count("id"), right=Count("id", filter=Q(is_correct=True)))
    ItemTally.objects.bulk_create(
        [
            ItemTally(
                learner_id=row["learner"],
                module_id=row["module_id"],
                clue=row["clue"],
                asked=row["asked"],
                right=row["right"],
            )
            for row in items
        ],
        batch_size=1000,
    )
    confusions = (
        answers.filter(is_correct=False)
        .exclude(chosen_module="")
        .values(
            learner=F("question__attempt__learner_id"),
            module_id=F("question__module_id"),
            chosen=F("chosen_module"),
        )
        .annotate(times=Count("id"))
    )
    ConfusionTally.objects.bulk_create(
        [
            ConfusionTally(
                learner_id=row["learner"],
                module_id=row["module_id"],
                chosen=row["chosen"],
                times=row["times"],
            )
            for row in confusions
        ],
        batch_size=1000,
    )
