"""The practice form: what a quiz asks about, how many questions, which kinds, how hard."""

from __future__ import annotations

from typing import Any

from django import forms

from catalogue.models import Category

from .questions import MAX_QUESTIONS, MIN_QUESTIONS, Difficulty, Kind, QuizSettings

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

    def __init__(self, *args: Any, usual: QuizSettings | None = None, **kwargs: Any) -> None:
        """`usual`: the learner's usual length, kinds and difficulty, ticked to start with."""
        super().__init__(*args, **kwargs)
        field = self.fields["categories"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(Category.objects.values_list("slug", "name"))
        if usual is not None:
            self.initial.update(
                count=usual.count,
                kinds=[str(kind) for kind in usual.kinds],
                difficulty=str(usual.difficulty),
            )

    @property
    def categories_chosen(self) -> int:
        """How many categories are ticked (for the collapsed list's summary)."""
        value = self["categories"].value() or []
        return len(value) if isinstance(value, list) else 1

    def quiz_settings(self) -> QuizSettings:
        data = self.cleaned_data
        return QuizSettings(
            count=data["count"],
            kinds=tuple(Kind(k) for k in data["kinds"]),
            difficulty=Difficulty(data["difficulty"]),
            categories=tuple(data["categories"]),
        )
