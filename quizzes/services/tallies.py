"""Tallies: per learner, how often each item was asked and answered right, and which modules
were taken for which. Kept current in each answer's transaction; rebuilt from the answers
where history is written in bulk."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, F, Model, Q
from django.db.models.functions import TruncDate

from accounts.models import Profile
from accounts.progress import progress_changed_all
from classrooms.models import Membership
from classrooms.tallies import (
    class_confusion_forget,
    class_confusion_record,
    class_confusions_recount,
)
from config.prepared import PreparedInsert, PreparedUpdate

from ..models import Answer, ConfusionTally, DayTally, ItemTally, ModuleTally

# The increments every answer makes, compiled once (see config.prepared).
item_counted = PreparedUpdate(
    lambda learner, module, clue, right: (
        ItemTally.objects.filter(learner_id=learner, module_id=module, clue=clue),
        {"asked": F("asked") + 1, "right": F("right") + right},
    ),
    learner=ItemTally._meta.get_field("learner"),
    module=ItemTally._meta.get_field("module"),
    clue=ItemTally._meta.get_field("clue"),
    right=ItemTally._meta.get_field("right"),
)
module_counted = PreparedUpdate(
    lambda learner, module, right: (
        ModuleTally.objects.filter(learner_id=learner, module_id=module),
        {"asked": F("asked") + 1, "right": F("right") + right},
    ),
    learner=ModuleTally._meta.get_field("learner"),
    module=ModuleTally._meta.get_field("module"),
    right=ModuleTally._meta.get_field("right"),
)
confusion_counted = PreparedUpdate(
    lambda learner, module, chosen: (
        ConfusionTally.objects.filter(learner_id=learner, module_id=module, chosen=chosen),
        {"times": F("times") + 1},
    ),
    learner=ConfusionTally._meta.get_field("learner"),
    module=ConfusionTally._meta.get_field("module"),
    chosen=ConfusionTally._meta.get_field("chosen"),
)
day_counted = PreparedUpdate(
    lambda learner, day, right: (
        DayTally.objects.filter(learner_id=learner, day=day),
        {"answered": F("answered") + 1, "right": F("right") + right},
    ),
    learner=DayTally._meta.get_field("learner"),
    day=DayTally._meta.get_field("day"),
    right=DayTally._meta.get_field("right"),
)


def count_one_more(increment: PreparedUpdate, missing: Model, **arguments: Any) -> None:
    """Count one more in a tally's row: the increment, or when the row is missing, an insert
    of `missing` that waits for a racing insert of the same row (and then does nothing), and
    the increment. Safe however many answers race for one row."""
    if not increment.run(**arguments):
        missing_inserted(type(missing)).run(missing)
        increment.run(**arguments)


@functools.cache
def missing_inserted(tally: type[Model]) -> PreparedInsert:
    """A tally's missing row, inserted unless a racing answer has just inserted it."""
    return PreparedInsert(tally, ignore_conflicts=True)


def tallies_record(
    *, learner_id: int, module_id: int, clue: str, is_correct: bool, chosen: str
) -> None:
    """Count one more answer, in every tally it counts in (see count_one_more)."""
    right = int(is_correct)
    count_one_more(
        item_counted,
        ItemTally(learner_id=learner_id, module_id=module_id, clue=clue),
        learner=learner_id,
        module=module_id,
        clue=clue,
        right=right,
    )
    count_one_more(
        module_counted,
        ModuleTally(learner_id=learner_id, module_id=module_id),
        learner=learner_id,
        module=module_id,
        right=right,
    )
    if is_correct or not chosen:
        return
    count_one_more(
        confusion_counted,
        ConfusionTally(learner_id=learner_id, module_id=module_id, chosen=chosen),
        learner=learner_id,
        module=module_id,
        chosen=chosen,
    )
    class_confusion_record(learner_id=learner_id, module_id=module_id, chosen=chosen)


def tallies_correct(*, learner_id: int, module_id: int, clue: str, chosen: str) -> None:
    """Count a wrong answer as right after all ("I was right"): one more right for the item,
    and one confusion fewer with the module it was taken for, if it was taken for one."""
    ItemTally.objects.filter(
        learner_id=learner_id, module_id=module_id, clue=clue, right__lt=F("asked")
    ).update(right=F("right") + 1)
    ModuleTally.objects.filter(
        learner_id=learner_id, module_id=module_id, right__lt=F("asked")
    ).update(right=F("right") + 1)
    if not chosen:
        return
    confusion = ConfusionTally.objects.filter(
        learner_id=learner_id, module_id=module_id, chosen=chosen
    )
    if not confusion.filter(times__gt=1).update(times=F("times") - 1):
        confusion.delete()
    class_confusion_forget(learner_id=learner_id, module_id=module_id, chosen=chosen)


def learner_zone(learner: AbstractBaseUser) -> ZoneInfo:
    """The zone of the learner's days: their profile's, or the site's for an account without
    one (made by createsuperuser)."""
    profile: Profile | None = getattr(learner, "profile", None)
    return profile.zone if profile is not None else ZoneInfo(settings.TIME_ZONE)


def day_record(*, learner_id: int, day: date, is_correct: bool, corrected: bool = False) -> None:
    """Count one more answer on the learner's day; or, for a wrong answer `corrected` to right
    later, one more right answer. Race-safe (see count_one_more)."""
    if corrected:
        # Never past the day's answers: a learner who has moved zone since may find the
        # answer's day counted under another date.
        DayTally.objects.filter(learner_id=learner_id, day=day, right__lt=F("answered")).update(
            right=F("right") + 1
        )
        return
    count_one_more(
        day_counted,
        DayTally(learner_id=learner_id, day=day),
        learner=learner_id,
        day=day,
        right=int(is_correct),
    )


def tallies_rebuild(learner_ids: Iterable[int]) -> None:
    """Count these learners' tallies afresh from all their answers (after a bulk import)."""
    learners = list(learner_ids)
    ItemTally.objects.filter(learner_id__in=learners).delete()
    ModuleTally.objects.filter(learner_id__in=learners).delete()
    ConfusionTally.objects.filter(learner_id__in=learners).delete()
    days_rebuild(learners)
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
    modules = answers.values(
        learner=F("question__attempt__learner_id"), module_id=F("question__module_id")
    ).annotate(asked=Count("id"), right=Count("id", filter=Q(is_correct=True)))
    ModuleTally.objects.bulk_create(
        [
            ModuleTally(
                learner_id=row["learner"],
                module_id=row["module_id"],
                asked=row["asked"],
                right=row["right"],
            )
            for row in modules
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
    class_confusions_recount(
        Membership.objects.filter(student_id__in=learners).values_list("classroom_id", flat=True)
    )


def days_rebuild(learner_ids: Iterable[int]) -> None:
    """Count these learners' days afresh from their answers, in each one's time zone now."""
    learner_ids = list(learner_ids)
    progress_changed_all(learner_ids)
    for profile in Profile.objects.filter(user_id__in=list(learner_ids)):
        DayTally.objects.filter(learner_id=profile.user_id).delete()
        rows = (
            Answer.objects.filter(question__attempt__learner_id=profile.user_id)
            .annotate(local=TruncDate("answered_at", tzinfo=profile.zone))
            .values("local")
            .annotate(answered=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        )
        DayTally.objects.bulk_create(
            [
                DayTally(
                    learner_id=profile.user_id,
                    day=row["local"],
                    answered=row["answered"],
                    right=row["right"],
                )
                for row in rows
            ],
            batch_size=1000,
        )
