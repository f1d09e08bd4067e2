"""Attempts: one quiz taken by one learner, its questions as they were shown, and the answers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from fsrs import Card as FsrsCard
from fsrs import State

from .questions import Kind


def ownership(
    user: AbstractBaseUser | AnonymousUser, visitor_id: uuid.UUID | None, *, through: str = ""
) -> Q | None:
    """Which attempts this person may see, as a condition on an attempt (or on the attempt at
    the end of `through`, such as "attempt__"): their account's, or, signed out, their
    session's. None when they may see none."""
    if user.is_authenticated:
        return learner_owns(user.pk, through=through)
    if visitor_id is None:
        return None
    return visitor_owns(visitor_id, through=through)


def owned_by(
    attempt: Attempt, user: AbstractBaseUser | AnonymousUser, visitor_id: uuid.UUID | None
) -> bool:
    """Whether this person may see the attempt in hand: what `ownership` asks of the database."""
    if user.is_authenticated:
        return attempt.learner_id == user.pk
    return (
        visitor_id is not None and attempt.learner_id is None and attempt.visitor_id == visitor_id
    )


def learner_owns(learner_id: int, *, through: str = "") -> Q:
    return Q(**{f"{through}learner_id": learner_id})


def visitor_owns(visitor_id: uuid.UUID, *, through: str = "") -> Q:
    """A visitor's attempt: never one a log-in has since claimed for an account."""
    return Q(**{f"{through}learner__isnull": True, f"{through}visitor_id": visitor_id})


class AttemptQuerySet(models.QuerySet["Attempt"]):
    def for_learner(
        self, user: AbstractBaseUser | AnonymousUser, visitor_id: uuid.UUID | None
    ) -> AttemptQuerySet:
        """The attempts this person may see: their account's, or, signed out, their session's."""
        owned = ownership(user, visitor_id)
        return self.none() if owned is None else self.filter(owned)


class Attempt(models.Model):
    class Purpose(models.TextChoices):
        PRACTICE = "practice", "Practice"
        PRACTISE_AGAIN = "practise_again", "Practise again"
        REVIEW = "review", "Review"
        WEAK_SPOTS = "weak_spots", "Weak spots"
        DRILL = "drill", "Drill"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    visitor_id = models.UUIDField(
        null=True, blank=True, db_index=True, help_text="The visitor's session, until they sign up."
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.PRACTICE)
    drill = models.ForeignKey(
        "classrooms.Drill",
        null=True,
        blank=True,
        # A drill deleted by its teacher leaves the students' quizzes as practice.
        on_delete=models.SET_NULL,
        related_name="attempts",
    )
    settings = models.JSONField(help_text="The QuizSettings the questions were generated with.")
    seed = models.PositiveBigIntegerField()
    catalogue_version = models.CharField(max_length=64, blank=True)
    question_count = models.PositiveSmallIntegerField()
    answered_count = models.PositiveSmallIntegerField(default=0)
    correct_count = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # The learner's latest quizzes (the dashboard, the history), and the one left
            # unfinished: read from the newest, without going through all they ever took.
            models.Index(fields=["learner", "-started_at"], name="attempt_learner_latest"),
            models.Index(
                fields=["learner", "-started_at"],
                condition=Q(finished_at__isnull=True),
                name="attempt_learner_unfinished",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(learner__isnull=False) | Q(visitor_id__isnull=False),
                name="attempt_has_an_owner",
            ),
            models.CheckConstraint(
                condition=Q(answered_count__lte=models.F("question_count"))
                & Q(correct_count__lte=models.F("answered_count")),
                name="attempt_counts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.public_id} ({self.answered_count}/{self.question_count})"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt", args=[self.public_id])

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class AskedQuestion(models.Model):
    """A question exactly as it was shown, so an attempt can be replayed and audited."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(help_text="1 for the first question.")
    kind = models.CharField(max_length=20, choices=[(k.value, k.label) for k in Kind])
    module = models.ForeignKey(
        "catalogue.Module", on_delete=models.PROTECT, related_name="asked_questions"
    )
    prompt = models.TextField()
    options = models.JSONField()
    right_answer = models.CharField(max_length=500)
    clue = models.TextField(blank=True)
    option_modules = models.JSONField(default=list)
    shown_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="one_question_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}: {self.kind} {self.module_id}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:question", args=[self.attempt.public_id, self.position])


class Answer(models.Model):
    # One-to-one: the database itself refuses a second answer to the same question.
    question = models.OneToOneField(AskedQuestion, on_delete=models.CASCADE, related_name="answer")
    given = models.CharField(max_length=500, help_text="The option chosen, or the name typed.")
    chosen_module = models.CharField(
        max_length=100, blank=True, help_text="The module the learner's choice stands for."
    )
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField()
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    gave_up = models.BooleanField(
        default=False,
        help_text="Answered “I don't know” (recall): wrong, but no module was taken for it.",
    )
    corrected_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the learner said “I was right” of a wrong typed name (a typo): it "
        "counts as right since, and `given` keeps what they typed.",
    )

    class Meta:
        ordering = ["answered_at"]
        indexes = [models.Index(fields=["answered_at"], name="answer_answered_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrected_at__isnull=True) | Q(is_correct=True),
                name="answer_corrected_is_right",
            ),
            models.CheckConstraint(
                condition=Q(gave_up=False) | Q(is_correct=False),
                name="answer_given_up_is_wrong",
            ),
        ]

    def __str__(self) -> str:
        if self.gave_up:
            return "I don't know (wrong)"
        verdict = (
            "corrected to right" if self.corrected_at else "right" if self.is_correct else "wrong"
        )
        return f"{self.given!r} ({verdict})"


class CardQuerySet(models.QuerySet["Card"]):
    def for_learner(self, user: AbstractBaseUser | AnonymousUser) -> CardQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(learner_id=user.pk)


class Card(models.Model):
    """A learner's spaced-repetition card for one module, scheduled by FSRS."""

    # One index for both (one_card_per_module's): a card is read by its learner, or by its
    # learner and module. An index on the module alone led PostgreSQL's plan for the question's
    # read to take every card of the module and keep the learner's (see Meta on `due`).
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards", db_index=False
    )
    module = models.ForeignKey(
        "catalogue.Module", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    state = models.PositiveSmallIntegerField(choices=[(s.value, s.name) for s in State])
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0, help_text="Times it was answered wrong.")

    objects = CardQuerySet.as_manager()

    class Meta:
        # Nothing reads cards by `due`: a learner's cards are read whole (by this constraint's
        # index) and what is due is picked in Python. An index on it would make every answer's
        # reschedule write index entries, where PostgreSQL otherwise updates the card in place.
        constraints = [
            models.UniqueConstraint(fields=["learner", "module"], name="one_card_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.module_id}: due {self.due:%Y-%m-%d %H:%M}"

    def as_fsrs(self) -> FsrsCard:
        return FsrsCard(
            card_id=0,
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review,
        )

    def take(self, scheduled: FsrsCard) -> None:
        """Copy FSRS's new schedule onto the row."""
        self.state = int(scheduled.state)
        self.step = scheduled.step
        self.stability = scheduled.stability
        self.difficulty = scheduled.difficulty
        self.due = scheduled.due
        self.last_review = scheduled.last_review


class ItemTally(models.Model):
    """How often a learner has been asked one item, and got it right. An item is a clue, or for
    a question whose prompt is a module's name, the module alone (clue blank). Kept current as
    answers are written, in the answer's transaction, so that statistics over a class read a
    row per learner and item rather than every answer ever given."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    module = models.ForeignKey("catalogue.Module", on_delete=models.PROTECT, related_name="+")
    clue = models.CharField(max_length=500, blank=True)
    asked = models.PositiveIntegerField(default=0)
    right = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "module", "clue"], name="one_tally_per_item"
            ),
            models.CheckConstraint(
                condition=Q(right__lte=models.F("asked")), name="right_of_asked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.module_id}: {self.right}/{self.asked}"


class ModuleTally(models.Model):
    """How often a learner has been asked about one module, and got it right: their item
    tallies of the module summed, kept current in the same transaction, so that a class's
    statistics by module read a row per learner and module."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    module = models.ForeignKey("catalogue.Module", on_delete=models.PROTECT, related_name="+")
    asked = models.PositiveIntegerField(default=0)
    right = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "module"], name="one_tally_per_module"),
            models.CheckConstraint(
                condition=Q(right__lte=models.F("asked")), name="module_right_of_asked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}/{self.module_id}: {self.right}/{self.asked}"


class ConfusionTally(models.Model):
    """How often a learner, asked about `module`, chose `chosen` instead: kept current as wrong
    answers are written."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    module = models.ForeignKey("catalogue.Module", on_delete=models.PROTECT, related_name="+")
    chosen = models.CharField(max_length=100)
    times = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "module", "chosen"], name="one_tally_per_confusion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}: {self.module_id} taken for {self.chosen} x{self.times}"


class DayTally(models.Model):
    """A learner's answers on one of their days (the date in their time zone when they
    answered): kept current as answers are written, in the answer's transaction, so the
    dashboard's chart, streaks and daily goal read a row a day rather than every answer. A
    learner who moves time zone keeps the days already counted as they were."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    answered = models.PositiveIntegerField(default=0)
    right = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "day"], name="one_tally_per_day"),
            models.CheckConstraint(
                condition=Q(right__lte=models.F("answered")), name="right_of_answered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} on {self.day}: {self.right}/{self.answered}"
