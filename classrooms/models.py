"""Teaching: classes with a join code, the students in them, and the drills a teacher assigns."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from quizzes.questions import MAX_QUESTIONS, MIN_QUESTIONS, Difficulty, Kind, QuizSettings


class ClassroomQuerySet(models.QuerySet["Classroom"]):
    def for_teacher(self, user: AbstractBaseUser | AnonymousUser) -> ClassroomQuerySet:
        """The classes this person teaches: none for anyone else."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(teacher_id=user.pk)

    def for_student(self, user: AbstractBaseUser | AnonymousUser) -> ClassroomQuerySet:
        """The classes this person is a student in."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__student_id=user.pk)


class Classroom(models.Model):
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classrooms_taught"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=1000, blank=True)
    join_code = models.CharField(
        max_length=16, unique=True, help_text="What students type to join; regenerate to retire it."
    )
    is_open = models.BooleanField(
        "open to new students", default=True, help_text="Closed: the join code lets nobody in."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text=(
            "Counts the changes to the class itself (its name, drills, students): with its "
            "students' progress versions, it keys the class dashboard as computed."
        ),
    )
    students: models.ManyToManyField[User, Membership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="classrooms"
    )

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classrooms:detail", args=[self.pk])


class Membership(models.Model):
    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["student__username"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="one_membership_each")
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"


class DrillQuerySet(models.QuerySet["Drill"]):
    def for_teacher(self, user: AbstractBaseUser | AnonymousUser) -> DrillQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(classroom__teacher_id=user.pk)

    def for_student(self, user: AbstractBaseUser | AnonymousUser) -> DrillQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(classroom__memberships__student_id=user.pk)


class Drill(models.Model):
    """A category drill assigned to a class: every student gets a quiz of their own (their own
    seed) with these settings, and may retake it until the due date; the best attempt counts."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="drills")
    title = models.CharField(max_length=120)
    categories = models.ManyToManyField("catalogue.Category", related_name="+")
    kinds = models.JSONField(help_text="The kinds of question, as stored in quiz settings.")
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    question_count = models.PositiveSmallIntegerField()
    pass_mark = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The share of right answers, in percent, that passes."
    )
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    seed = models.PositiveBigIntegerField(help_text="For the printed worksheet: one for the class.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DrillQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=F("opens_at")), name="due_after_open"),
            models.CheckConstraint(
                condition=Q(question_count__gte=MIN_QUESTIONS)
                & Q(question_count__lte=MAX_QUESTIONS),
                name="drill_question_count_in_range",
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__isnull=True) | (Q(pass_mark__gte=1) & Q(pass_mark__lte=100)),
                name="pass_mark_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.classroom})"

    def get_absolute_url(self) -> str:
        return reverse("classrooms:drill", args=[self.classroom_id, self.pk])

    def quiz_settings(self, categories: list[str]) -> QuizSettings:
        """The settings every student's quiz is generated with (categories as slugs)."""
        return QuizSettings(
            count=self.question_count,
            kinds=tuple(Kind(k) for k in self.kinds),
            difficulty=Difficulty(self.difficulty),
            categories=tuple(categories),
        )


class ClassConfusionTally(models.Model):
    """How often the class's students, asked about `module`, chose `chosen` instead: the sum of
    its members' confusion tallies. Kept current as wrong answers are written, in the answer's
    transaction, and counted afresh when a student joins or leaves, so the class dashboard
    ranks its confusions from a row per pair, however long its students' histories."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="+")
    module = models.ForeignKey("catalogue.Module", on_delete=models.PROTECT, related_name="+")
    chosen = models.CharField(max_length=100)
    times = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "module", "chosen"], name="one_class_tally_per_confusion"
            )
        ]
        indexes = [models.Index(F("classroom"), F("times").desc(), name="class_confusions_top")]

    def __str__(self) -> str:
        return f"{self.classroom_id}: {self.module_id} taken for {self.chosen} x{self.times}"
