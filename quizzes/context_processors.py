"""What every template may compare against: the kinds of question, by name."""

from __future__ import annotations

from django.http import HttpRequest

from .questions import Kind


def question_kinds(request: HttpRequest) -> dict[str, type[Kind]]:
    return {"Kind": Kind}
