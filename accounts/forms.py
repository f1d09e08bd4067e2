"""Forms for accounts: sign-up (role and time zone), settings, and password reset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import UserCreationForm, UsernameField
from django.contrib.auth.models import User

from .models import MAX_DAILY_GOAL, MIN_DAILY_GOAL, Profile, time_zone_names, validate_time_zone
from .services import DEMO_EMAIL_DOMAIN, DEMO_EMAIL_REFUSED, is_demo_email


class SignupForm(UserCreationForm[User]):
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text=(
            "Only for resetting your password, and we send nothing else: without an email, a "
            "forgotten password cannot be reset."
        ),
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
        # Optional: no email is "" (as Django stores it), and any number of accounts may have
        # none; nothing here requires emails to be unique.
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


class SettingsForm(forms.ModelForm[Profile]):
    time_zone = forms.TypedChoiceField(
        label="Your time zone",
        help_text="Your streak and your days are counted in this time zone.",
    )

    class Meta:
        model = Profile
        fields = ("time_zone", "daily_goal")
        labels = {"daily_goal": "Daily goal: questions a day"}
        help_texts = {
            "daily_goal": (
                f"Between {MIN_DAILY_GOAL} and {MAX_DAILY_GOAL}. Your dashboard and every "
                "quiz's results show how far along today you are."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]
