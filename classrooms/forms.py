"""Forms for teaching: a class, joining one, assigning a drill."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from catalogue.models import Category
from quizzes.forms import KIND_HELP
from quizzes.questions import MAX_QUESTIONS, MIN_QUESTIONS, Difficulty, Kind

from .models import Classroom
from .services import CODE_LENGTH


class ClassroomForm(forms.ModelForm[Classroom]):
    class Meta:
        model = Classroom
        fields = ("name", "description")
        labels = {"name": "Class name", "description": "Description (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class JoinForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=2 * CODE_LENGTH,  # room for spaces and a dash
        help_text="The 8 letters and digits your teacher gave you, e.g. KQ7M-4XPA.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value is read in the teacher's time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DrillForm(forms.Form):
    title = forms.CharField(
        max_length=120, required=False, help_text="Leave empty to name it after its categories."
    )
    categories = forms.ModelMultipleChoiceField(
        queryset=Category.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
        error_messages={"required": "Choose at least one category."},
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds of question",
        choices=[(k.value, f"{k.label} — {KIND_HELP[k]}") for k in Kind],
        initial=[k.value for k in Kind],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of question."},
    )
    difficulty = forms.ChoiceField(
        choices=[
            (Difficulty.EASY.value, "Easy — wrong options come from other categories"),
            (Difficulty.HARD.value, "Hard — wrong options are close relatives"),
        ],
        initial=Difficulty.EASY.value,
        widget=forms.RadioSelect,
    )
    question_count = forms.IntegerField(
        label="Number of questions", min_value=MIN_QUESTIONS, max_value=MAX_QUESTIONS, initial=10
    )
    pass_mark = forms.IntegerField(
        label="Pass mark, in percent (optional)",
        min_value=1,
        max_value=100,
        required=False,
        help_text="Students at or above it are marked as passed.",
    )
    opens_at = forms.DateTimeField(label="Opens", widget=LocalDateTimeInput())
    due_at = forms.DateTimeField(label="Due", widget=LocalDateTimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Dates read and shown in the current time zone: the view sets the teacher's.
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["due_at"].initial = (now + timedelta(days=7)).replace(hour=17, minute=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, due = cleaned.get("opens_at"), cleaned.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", "The due date must come after the opening time.")
        return cleaned
