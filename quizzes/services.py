"""Workflows that touch several models: starting an attempt, recording an answer."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from fsrs import Card as FsrsCard
from fsrs import Rating

from catalogue.models import Module
from catalogue.snapshot import Catalogue, get_catalogue

from .generation import generate_quiz, normalise_name, recall_accepts, typed_names
from .memory import NEW_CARD, due_for_review, practice_weights, rating_for, review, weakest
from .models import Answer, AskedQuestion, Attempt, Card, Profile
from .questions import MAX_QUESTIONS, Difficulty, Kind, Question, QuizSettings

ANSWER_MISSING = "Choose one of the options to answer."
ANSWER_NOT_AN_OPTION = "That is not one of this question's options."
ANSWER_EMPTY = "Type a module name to answer."
ANSWER_TOO_LONG = "That answer is too long: module names are short."
ALREADY_ANSWERED = "You have already answered this question; here is what you answered."
NOTHING_TO_RETRY = "Nothing to practise again: every answer was right."

MAX_TYPED_LENGTH = 100


class AnswerRejected(Exception):
    """The submission is not a valid answer; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyAnswered(Exception):
    """The question has an answer already; nothing was written."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(ALREADY_ANSWERED)
        self.answer = answer


def new_seed() -> int:
    return secrets.randbelow(2**31)


CONFUSIONS_CACHE_KEY = "quizzes:confusions"
CONFUSIONS_CACHE_SECONDS = 600
CONFUSIONS_WINDOW = timedelta(days=90)


def confusions(catalogue: Catalogue) -> dict[str, list[str]]:
    """For each module, the modules learners wrongly chose for it lately, most frequent first.

    Every hard quiz asks for this and it reads all learners' recent mistakes, so it is kept in
    the shared cache for a few minutes: a confusion matters once many learners make it."""
    found: dict[str, list[str]] | None = cache.get(CONFUSIONS_CACHE_KEY)
    if found is None:
        found = count_confusions(catalogue, since=timezone.now() - CONFUSIONS_WINDOW)
        cache.set(CONFUSIONS_CACHE_KEY, found, CONFUSIONS_CACHE_SECONDS)
    return found


def count_confusions(catalogue: Catalogue, *, since: datetime) -> dict[str, list[str]]:
    rows = (
        Answer.objects.filter(is_correct=False, answered_at__gte=since)
        .exclude(chosen_module="")
        .values_list("question__module__name", "chosen_module")
        .annotate(times=Count("id"))
        .order_by("-times", "chosen_module")
    )
    found: dict[str, list[str]] = {}
    for asked, chosen, _times in rows:
        if chosen in catalogue.modules and chosen != asked:
            found.setdefault(asked, []).append(chosen)
    return found


@transaction.atomic
def attempt_start(
    *,
    learner: User | None,
    visitor: uuid.UUID | None,
    quiz_settings: QuizSettings,
    purpose: str = Attempt.Purpose.PRACTICE,
    seed: int | None = None,
    weights: Mapping[str, float] | None = None,
    order: list[str] | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Generate a quiz and store it, every question exactly as it will be shown.

    `order` (module names) sorts the questions, e.g. most overdue first for a review."""
    catalogue = get_catalogue()
    seed = new_seed() if seed is None else seed
    quiz = generate_quiz(
        catalogue,
        quiz_settings,
        seed,
        weights=weights,
        confusions=confusions(catalogue) if quiz_settings.difficulty == Difficulty.HARD else None,
    )
    if order:
        rank = {name: i for i, name in enumerate(order)}
        quiz.sort(key=lambda question: rank.get(question.module, len(rank)))
    attempt = Attempt.objects.create(
        learner=learner,
        visitor_id=None if learner else visitor,
        purpose=purpose,
        settings=quiz_settings.to_json(),
        seed=seed,
        catalogue_version=catalogue.version,
        question_count=len(quiz),
        started_at=now or timezone.now(),
    )
    module_ids = dict(
        Module.objects.filter(name__in={q.module for q in quiz}).values_list("name", "pk")
    )
    AskedQuestion.objects.bulk_create(
        asked_question(
            question, attempt=attempt, position=position, module_id=module_ids[question.module]
        )
        for position, question in enumerate(quiz, start=1)
    )
    return attempt


def asked_question(
    question: Question, *, attempt: Attempt, position: int, module_id: int
) -> AskedQuestion:
    """The row that keeps a generated question exactly as the learner sees it (unsaved)."""
    return AskedQuestion(
        attempt=attempt,
        position=position,
        kind=question.kind,
        module_id=module_id,
        prompt=question.prompt,
        options=list(question.options),
        right_answer=question.answer,
        clue=question.clue or "",
        option_modules=list(question.option_modules),
    )


def as_question(asked: AskedQuestion, module_name: str) -> Question:
    return Question(
        kind=Kind(asked.kind),
        module=module_name,
        prompt=asked.prompt,
        options=tuple(asked.options),
        answer=asked.right_answer,
        clue=asked.clue or None,
        option_modules=tuple(asked.option_modules),
    )


def interpret_response(
    asked: AskedQuestion, module_name: str, response: str | None, catalogue: Catalogue
) -> tuple[str, str, bool]:
    """Check a raw form value against the question: (given, chosen module, right?).

    Choice questions post the option's index, so the page never carries the option texts
    back and forth; recall posts what was typed."""
    if asked.kind == Kind.RECALL:
        typed = (response or "").strip()
        if not typed:
            raise AnswerRejected(ANSWER_EMPTY)
        if len(typed) > MAX_TYPED_LENGTH:
            raise AnswerRejected(ANSWER_TOO_LONG)
        meant = typed_names(typed)
        chosen = next(
            (
                m.name
                for m in catalogue.modules.values()
                if any(normalise_name(n) in meant for n in (m.name, m.import_name, *m.aliases))
            ),
            "",
        )
        right = recall_accepts(as_question(asked, module_name), typed, known=catalogue.modules)
        return typed, chosen, right
    if response is None or response == "":
        raise AnswerRejected(ANSWER_MISSING)
    # Only a short run of ASCII digits can be an index: int() would take "²", " 1" or 5,000 digits.
    if not re.fullmatch(r"[0-9]{1,3}", response) or int(response) >= len(asked.options):
        raise AnswerRejected(ANSWER_NOT_AN_OPTION)
    index = int(response)
    given = asked.options[index]
    modules = asked.option_modules
    chosen = (modules[index] or "") if index < len(modules) else ""
    return given, chosen, given == asked.right_answer


def answer_record(
    *,
    asked: AskedQuestion,
    response: str | None,
    catalogue: Catalogue | None = None,
    now: datetime | None = None,
) -> Answer:
    """Record the one answer a question gets; a second submission changes nothing."""
    catalogue = catalogue or get_catalogue()
    given, chosen, right = interpret_response(asked, asked.module.name, response, catalogue)
    now = now or timezone.now()
    with transaction.atomic():
        # The attempt's row is the lock that serialises answers to one attempt (two tabs), so
        # the counts read here are current.
        attempt = Attempt.objects.select_for_update().get(pk=asked.attempt_id)
        existing = Answer.objects.filter(question=asked).first()
        if existing is not None:
            raise AlreadyAnswered(existing)
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    question=asked,
                    given=given,
                    chosen_module=chosen,
                    is_correct=right,
                    answered_at=now,
                    response_ms=response_ms(asked.shown_at, now),
                )
        except IntegrityError:
            # Another request answered it between our check and our insert.
            raise AlreadyAnswered(Answer.objects.get(question=asked)) from None
        attempt.answered_count += 1
        attempt.correct_count += int(right)
        if attempt.answered_count == attempt.question_count:
            attempt.finished_at = now
        attempt.save(update_fields=["answered_count", "correct_count", "finished_at"])
        if attempt.learner_id is not None:
            rating = rating_for(
                kind=Kind(asked.kind), is_correct=right, response_ms=answer.response_ms
            )
            card_review(
                learner_id=attempt.learner_id, module_id=asked.module_id, rating=rating, when=now
            )
    asked.attempt = attempt
    return answer


def card_review(*, learner_id: int, module_id: int, rating: Rating, when: datetime) -> Card:
    """Schedule the learner's card for the module after one more answer (FSRS).

    Exactly once per call however many answers race for the same card (one learner in two
    quizzes, or a claim on log-in beside a live answer): the row is locked before it is read,
    and a missing row is first made with an insert that, on PostgreSQL, waits for a racing
    insert to commit and then does nothing, instead of failing on the unique constraint."""
    card = _locked_card(learner_id, module_id)
    if card is None:
        Card.objects.bulk_create(
            [Card(learner_id=learner_id, module_id=module_id, state=int(NEW_CARD.state), due=when)],
            ignore_conflicts=True,
        )
        card = _locked_card(learner_id, module_id)
        assert card is not None, "made just above, and cards are never deleted alone"
    if card.reviews == 0:
        scheduled = review(None, rating, when)
    else:
        # A visitor's older answers claimed into an account with newer ones count as now:
        # FSRS cannot go back in time.
        if card.last_review is not None and when < card.last_review:
            when = card.last_review
        scheduled = review(card.as_fsrs(), rating, when)
    card.take(scheduled)
    card.reviews += 1
    card.lapses += int(rating == Rating.Again)
    card.save()
    return card


def _locked_card(learner_id: int, module_id: int) -> Card | None:
    return (
        Card.objects.select_for_update().filter(learner_id=learner_id, module_id=module_id).first()
    )


@transaction.atomic
def visitor_claim(*, user: User, visitor: uuid.UUID | None) -> int:
    """Give a visitor's practice to the account they signed up or logged in with: their
    attempts move over, and their answers schedule the account's cards, oldest first, as if
    they had been given signed in. Returns how many attempts moved."""
    if visitor is None:
        return 0
    claimed = list(
        Attempt.objects.select_for_update()
        .filter(learner__isnull=True, visitor_id=visitor)
        .values_list("pk", flat=True)
    )
    if not claimed:
        return 0
    Attempt.objects.filter(pk__in=claimed).update(learner=user, visitor_id=None)
    answers = (
        Answer.objects.filter(question__attempt_id__in=claimed)
        .select_related("question")
        .order_by("answered_at", "pk")
    )
    for answer in answers:
        rating = rating_for(
            kind=Kind(answer.question.kind),
            is_correct=answer.is_correct,
            response_ms=answer.response_ms,
        )
        card_review(
            learner_id=user.pk,
            module_id=answer.question.module_id,
            rating=rating,
            when=answer.answered_at,
        )
    return len(claimed)


@dataclass(frozen=True)
class Pruned:
    quizzes: int
    sessions: int


@transaction.atomic
def abandoned_prune(*, now: datetime, days: int) -> Pruned:
    """Delete what nobody can come back to: visitors' quizzes started more than `days` ago
    (their questions and answers with them) and expired sessions. Learners' quizzes stay."""
    cutoff = now - timedelta(days=days)
    quizzes = Attempt.objects.filter(learner__isnull=True, started_at__lt=cutoff)
    count = quizzes.count()
    quizzes.delete()
    sessions, _by_model = Session.objects.filter(expire_date__lt=now).delete()
    return Pruned(quizzes=count, sessions=sessions)


def response_ms(shown_at: datetime | None, answered_at: datetime) -> int | None:
    if shown_at is None:
        return None
    return max(0, int((answered_at - shown_at).total_seconds() * 1000))


def question_show(asked: AskedQuestion, now: datetime | None = None) -> None:
    """Note when a question was first shown, to time the answer."""
    if asked.shown_at is None:
        asked.shown_at = now or timezone.now()
        AskedQuestion.objects.filter(pk=asked.pk, shown_at__isnull=True).update(
            shown_at=asked.shown_at
        )


def missed_modules(attempt: Attempt) -> list[str]:
    names = (
        attempt.questions.filter(answer__is_correct=False)
        .order_by("position")
        .values_list("module__name", flat=True)
    )
    return list(dict.fromkeys(names))


def attempt_retry(*, attempt: Attempt, seed: int | None = None) -> Attempt:
    """A new attempt of the modules this one got wrong, with the same kinds and difficulty."""
    missed = missed_modules(attempt)
    if not missed:
        raise AnswerRejected(NOTHING_TO_RETRY)
    previous = QuizSettings.from_json(attempt.settings)
    quiz_settings = QuizSettings(
        count=min(MAX_QUESTIONS, len(missed)),
        kinds=previous.kinds,
        difficulty=previous.difficulty,
        modules=tuple(missed),
    )
    return attempt_start(
        learner=attempt.learner,
        visitor=attempt.visitor_id,
        quiz_settings=quiz_settings,
        purpose=Attempt.Purpose.RETRY,
        seed=seed,
    )


def first_unanswered_position(attempt: Attempt) -> int | None:
    position: int | None = (
        attempt.questions.filter(answer__isnull=True)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    return position


REVIEW_SIZE = 20
WEAK_SPOTS_SIZE = 10
NOTHING_DUE = "Nothing is due for review yet."
NO_CARDS_YET = "Answer a few questions first: weak spots come from what you have practised."


def learner_cards(user: User) -> dict[str, FsrsCard]:
    """The learner's cards by module name, as FSRS cards (one query)."""
    rows = Card.objects.for_learner(user).select_related("module")
    return {card.module.name: card.as_fsrs() for card in rows}


def review_start(
    *, learner: User, now: datetime | None = None, seed: int | None = None
) -> Attempt | None:
    """A quiz of the modules due for review, most overdue first; None when nothing is due."""
    now = now or timezone.now()
    due = due_for_review(learner_cards(learner), now)[:REVIEW_SIZE]
    if not due:
        return None
    order = [d.module for d in due]
    return attempt_start(
        learner=learner,
        visitor=None,
        quiz_settings=QuizSettings(count=len(order), modules=tuple(order)),
        purpose=Attempt.Purpose.REVIEW,
        order=order,
        seed=seed,
        now=now,
    )


def weak_spots_start(*, learner: User, now: datetime | None = None) -> Attempt | None:
    """A quiz of the modules the learner is least likely to remember; None without cards."""
    now = now or timezone.now()
    names = [name for name, _chance in weakest(learner_cards(learner), now, WEAK_SPOTS_SIZE)]
    if not names:
        return None
    return attempt_start(
        learner=learner,
        visitor=None,
        quiz_settings=QuizSettings(count=len(names), modules=tuple(names)),
        purpose=Attempt.Purpose.WEAK_SPOTS,
        order=names,
        now=now,
    )


def practice_start(
    *,
    learner: User | None,
    visitor: uuid.UUID | None,
    quiz_settings: QuizSettings,
    seed: int | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Free practice: for a signed-in learner, recent and well-known modules come up less."""
    now = now or timezone.now()
    weights = None
    if learner is not None:
        weights = practice_weights(learner_cards(learner), now) or None
    return attempt_start(
        learner=learner,
        visitor=visitor,
        quiz_settings=quiz_settings,
        weights=weights,
        seed=seed,
        now=now,
    )


# Demo accounts' addresses: .invalid never receives mail, and sign-up refuses the domain.
DEMO_EMAIL_DOMAIN = "demo.batteries.invalid"
DEMO_EMAIL_REFUSED = "Addresses at {domain} belong to the demo accounts: use your own address."
DEMO_ACCOUNT_LOCKED = (
    "This is a shared demo account: its password and email cannot be changed, so that everyone "
    "can keep using it. Sign up for an account of your own to change yours."
)


@transaction.atomic
def account_create(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    time_zone: str,
    first_name: str = "",
    is_demo: bool = False,
) -> User:
    """A new account with its profile: role and time zone."""
    user = User.objects.create_user(username, email=email, password=password, first_name=first_name)
    Profile.objects.create(user=user, role=role, time_zone=time_zone, is_demo=is_demo)
    return user


def is_demo_email(email: str) -> bool:
    return email.strip().casefold().endswith("@" + DEMO_EMAIL_DOMAIN)


def profile_for(user: User) -> Profile:
    """The learner's profile; accounts made outside sign-up (createsuperuser) get one."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile
