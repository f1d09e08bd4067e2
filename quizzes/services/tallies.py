"""Tallies: per learner, how often each item was asked and answered right, and which modules
were taken for which. Kept current in each answer's transaction; rebuilt from the answers
where history is written in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from accounts.models import Profile
from accounts.progress import progress_changed_all
from classrooms.models import Membership
from classrooms.tallies import (
    class_confusion_forget,
    class_confusion_record,
    class_confusions_recount,
)
from config.prepared import PreparedCount

from ..models import Answer, ConfusionTally, DayTally, ItemTally, ModuleTally

# The counts every answer adds to, each one statement compiled once (see config.prepared):
# the tally's row inserted, or where it is there already, its counts increased.
item_counted = PreparedCount(
    ItemTally, unique=("learner", "module", "clue"), counts=("asked", "right")
)
module_counted = PreparedCount(ModuleTally, unique=("learner", "module"), counts=("asked", "right"))
confusion_counted = PreparedCount(
    ConfusionTally, unique=("learner", "module", "chosen"), counts=("times",)
)
day_counted = PreparedCount(DayTally, unique=("learner", "day"), counts=("answered", "right"))


def tallies_record(
    *, learner_id: int, module_id: int, clue: str, is_correct: bool, chosen: str
) -> None:
    """Count one more answer, in every tally it counts in. Safe however many answers race
    for one row (see config.prepared.PreparedCount)."""
    right = int(is_correct)
    item_counted.run(
        ItemTally(learner_id=learner_id, module_id=module_id, clue=clue, asked=1, right=right)
    )
    module_counted.run(
        ModuleTally(learner_id=learner_id, module_id=module_id, asked=1, right=right)
    )
    if is_correct or not chosen:
        return
    confusion_counted.run(
        ConfusionTally(learner_id=learner_id, module_id=module_id, chosen=chosen, times=1)
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
    later, one more right answer. Race-safe (see tallies_record)."""
    if corrected:
        # Never past the day's answers: a learner who has moved zone since may find the
        # answer's day counted under another date.
        DayTally.objects.filter(learner_id=learner_id, day=day, right__lt=F("answered")).update(
            right=F("right") + 1
        )
        return
    day_counted.run(DayTally(learner_id=learner_id, day=day, answered=1, right=int(is_correct)))


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
