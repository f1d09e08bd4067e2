from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import UserCreationForm, UsernameField
from django.contrib.auth.models import User

from catalogue.models import Category

from .models import Profile, time_zone_names, validate_time_zone
from .questions import MAX_QUESTIONS, MIN_QUESTIONS, Difficulty, Kind, QuizSettings
from .services import DEMO_EMAIL_DOMAIN, DEMO_EMAIL_REFUSED, is_demo_email

KIND_HELP = {
    Kind.WHICH_MODULE: "A description: pick the module.",
    Kind.WHICH_USE: "A use case: pick the module you would use.",
    Kind.WHAT_FOR: "A module: pick what it is for.",
    Kind.RECALL: "A description: type the module's name.",
    Kind.STDLIB: "A module: is it in the standard library?",
}


class PracticeForm(forms.Form):
    categories = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to practise every category.",
    )
    count = forms.IntegerField(
        label="Number of questions",
        min_value=MIN_QUESTIONS,
        max_value=MAX_QUESTIONS,
        initial=10,
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["categories"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(Category.objects.values_list("slug", "name"))

    def quiz_settings(self) -> QuizSettings:
        data = self.cleaned_data
        return QuizSettings(
            count=data["count"],
            kinds=tuple(Kind(k) for k in data["kinds"]),
            difficulty=Difficulty(data["difficulty"]),
            categories=tuple(data["categories"]),
        )


class SignupForm(UserCreationForm[User]):
    email = forms.EmailField(
        required=True, help_text="Only for resetting your password; we send nothing else."
    )
    role = forms.ChoiceField(
        label="I am a",
        choices=Profile.Role.choices,
        initial=Profile.Role.STUDENT,
        widget=forms.RadioSelect,
    )
    time_zone = forms.CharField(
        initial="UTC",
        widget=forms.HiddenInput,
        validators=[validate_time_zone],
        help_text="Filled in from the browser; it can be changed later in settings.",
    )

    class Meta:
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if is_demo_email(email):
            raise forms.ValidationError(DEMO_EMAIL_REFUSED.format(domain=DEMO_EMAIL_DOMAIN))
        return email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's, but never for a demo account: their addresses are shared and not real."""

    def get_users(self, email: str) -> Iterator[User]:
        return (
            user
            for user in super().get_users(email)
            if not Profile.objects.filter(user_id=user.pk, is_demo=True).exists()
        )


class TimeZoneForm(forms.ModelForm[Profile]):
    time_zone = forms.TypedChoiceField(
        label="Your time zone",
        help_text="Your streak and your days are counted in this time zone.",
    )

    class Meta:
        model = Profile
        fields = ("time_zone",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]
