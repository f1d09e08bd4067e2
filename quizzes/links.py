"""A question's links (its page, its answer, its correction) and its quiz's summary, made
without `reverse()` on every card: reversing took about 0.09 ms a link, and every question page
and every answer needs one or two. Each route is reversed once per process, with sample
arguments, and the sample values are swapped for the real ones; tests/test_quiz_links.py checks
the result against `reverse()`."""

from __future__ import annotations

import uuid
from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

SAMPLE_ID = uuid.UUID("5a3f0000-0000-4000-8000-00000000cafe")
SAMPLE_POSITION = 987_654_321


@cache
def shape(name: str, script_prefix: str) -> str:
    """The route's path with the sample quiz (and question position, where it takes one)."""
    if name == "quizzes:summary":
        return reverse(name, args=[SAMPLE_ID])
    return reverse(name, args=[SAMPLE_ID, SAMPLE_POSITION])


def quiz_link(name: str, public_id: uuid.UUID, position: int | None = None) -> str:
    """`reverse(name, args=[public_id, position])`, or without a position for the summary."""
    path = shape(name, get_script_prefix())
    if position is not None:  # first: the real id may hold the sample position's digits
        path = path.replace(str(SAMPLE_POSITION), str(int(position)))
    return path.replace(str(SAMPLE_ID), str(public_id))


@receiver(setting_changed)
def shapes_forget(**kwargs: object) -> None:
    """A test that changes the URL configuration gets the routes anew."""
    shape.cache_clear()
