"""Practice as a habit: the learner's usual settings (the last quiz they set up, offered again
and used by "Practise this"), the quiz they left unfinished, and quizzes of one category or one
module."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.base import SessionBase

from accounts.models import Profile

from ..generation import NoQuestionsError
from ..models import Attempt
from ..questions import MAX_QUESTIONS, MIN_QUESTIONS, Kind, QuizSettings
from . import attempts

SESSION_KEY = "practice_settings"  # a visitor's usual settings


def _from_stored(data: Any) -> QuizSettings:
    """Stored settings read back; anything unreadable (an old format, a hand-edited row) gives
    the defaults rather than an error."""
    try:
        stored = QuizSettings.from_json({"categories": (), "modules": (), **data})
    except (KeyError, TypeError, ValueError):
        return QuizSettings()
    if not stored.kinds or not MIN_QUESTIONS <= stored.count <= MAX_QUESTIONS:
        return QuizSettings()
    return replace(stored, categories=(), modules=())


def usual_settings(profile: Profile | None, session: SessionBase) -> QuizSettings:
    """The learner's usual length, kinds and difficulty (every category, every module)."""
    stored = profile.practice_settings if profile is not None else session.get(SESSION_KEY)
    return _from_stored(stored) if stored else QuizSettings()


def usual_settings_keep(
    quiz_settings: QuizSettings, profile: Profile | None, session: SessionBase
) -> None:
    """Remember a quiz's length, kinds and difficulty as the usual ones."""
    kept = {
        "count": quiz_settings.count,
        "kinds": [str(kind) for kind in quiz_settings.kinds],
        "difficulty": str(quiz_settings.difficulty),
    }
    if profile is None:
        session[SESSION_KEY] = kept
    elif profile.practice_settings != kept:
        profile.practice_settings = kept
        profile.save(update_fields=["practice_settings"])


def unfinished(user: AbstractBaseUser | AnonymousUser, visitor: uuid.UUID | None) -> Attempt | None:
    """The quiz the learner (or visitor) left most recently without finishing it."""
    mine = Attempt.objects.for_learner(user, visitor)
    return mine.filter(finished_at__isnull=True).order_by("-started_at").first()


def practise_this_start(
    *,
    learner: User | None,
    visitor: uuid.UUID | None,
    usual: QuizSettings,
    category: str | None = None,
    module: str | None = None,
) -> Attempt:
    """A quiz of one category or one module with the usual settings. A module some of whose
    kinds cannot be asked (a lookalike is only asked "standard library or not?") falls back on
    every kind rather than refusing."""
    scoped = replace(
        usual,
        categories=(category,) if category else (),
        modules=(module,) if module else (),
    )
    try:
        return attempts.practice_start(learner=learner, visitor=visitor, quiz_settings=scoped)
    except NoQuestionsError:
        if scoped.kinds == tuple(Kind):
            raise
        return attempts.practice_start(
            learner=learner, visitor=visitor, quiz_settings=replace(scoped, kinds=tuple(Kind))
        )
