"""Attempts and answers: starting a quiz, showing its questions, recording each answer once."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import router, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Session
from accounts.progress import progress_changed
from catalogue.models import Module
from catalogue.snapshot import Catalogue, get_catalogue
from config.prepared import PreparedInsert, PreparedUpdate

from ..generation import generate_quiz, module_meant, recall_accepts
from ..memory import practice_weights, rating_for
from ..models import Answer, AskedQuestion, Attempt
from ..progress import local_day
from ..questions import MAX_QUESTIONS, Difficulty, Kind, Question, QuizSettings
from ..reads import attempt_lock
from . import cards, one_trip, tallies

ANSWER_MISSING = "Choose one of the options to answer."
ANSWER_NOT_AN_OPTION = "That is not one of this question's options."
ANSWER_EMPTY = "Type a module name to answer."
ANSWER_TOO_LONG = "That answer is too long: module names are short."
ALREADY_ANSWERED = "You have already answered this question; here is what you answered."
ANSWER_IN_ORDER = "Answer the questions in order: this one is not next yet."
NOTHING_TO_PRACTISE_AGAIN = "Nothing to practise again: every answer was right."
GIVE_UP_RECALL_ONLY = "Only a question where you type the name can be answered “I don't know”."
CORRECTION_RECALL_ONLY = "Only a typed name can be corrected: a chosen option is what it is."
CORRECTION_ALREADY_RIGHT = "That answer is already counted as right."
CORRECTION_GAVE_UP = "You answered “I don't know”: there is no typed name to count as right."
ALREADY_CORRECTED = "You have already corrected this answer: it counts as right."
CORRECTION_UNANSWERED = "There is no answer to count as right yet: answer this question first."

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


class AnswerOutOfOrder(Exception):
    """An earlier question is still unanswered; nothing was written."""

    def __init__(self) -> None:
        super().__init__(ANSWER_IN_ORDER)
        self.message = ANSWER_IN_ORDER


class CorrectionRefused(Exception):
    """The answer cannot be counted as right after all; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AlreadyCorrected(Exception):
    """The answer was corrected before; nothing was written."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(ALREADY_CORRECTED)
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
    drill_id: int | None = None,
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
        drill_id=drill_id,
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
    if learner is not None:
        progress_changed(learner.pk)  # the dashboard lists it
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
        chosen = module_meant(catalogue, typed)
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


# Written on every answer: compiled once (see config.prepared).
# An answer already there keeps the new one out (see answer_record).
answer_inserted = PreparedInsert(Answer, ignore_conflicts=True)
progress_saved = PreparedUpdate(
    lambda pk, answered, correct, finished: (
        Attempt.objects.filter(pk=pk),
        {"answered_count": answered, "correct_count": correct, "finished_at": finished},
    ),
    pk=Attempt._meta.pk,
    answered=Attempt._meta.get_field("answered_count"),
    correct=Attempt._meta.get_field("correct_count"),
    finished=Attempt._meta.get_field("finished_at"),
)


def answer_record(
    *,
    asked: AskedQuestion,
    response: str | None,
    gave_up: bool = False,
    catalogue: Catalogue | None = None,
    now: datetime | None = None,
    learner: User | None = None,
    card: one_trip.CardAsRead | None = None,
) -> Answer:
    """Record the one answer a question gets, in the quiz's order; a second submission, or one
    out of turn, changes nothing. `gave_up`: "I don't know" to a recall question, wrong like
    a wrong name, but no module was taken for it (whatever was typed is ignored).

    `learner`: the signed-in account answering, with its profile, as the request has it. With
    it (or for a visitor's quiz), the answer is written in one statement (one_trip); `card`: the
    learner's card for the question's module, read with the question (one_trip), if it was."""
    if gave_up:
        if asked.kind != Kind.RECALL:
            raise AnswerRejected(GIVE_UP_RECALL_ONLY)
        given, chosen, right = "", "", False
    else:
        catalogue = catalogue or get_catalogue()
        given, chosen, right = interpret_response(asked, asked.module.name, response, catalogue)
    now = now or timezone.now()
    answer = Answer(
        question=asked,
        given=given,
        chosen_module=chosen,
        is_correct=right,
        answered_at=now,
        response_ms=response_ms(asked.shown_at, now),
        gave_up=gave_up,
    )
    written = answer_in_one_trip(asked, answer, learner, card)
    if written is not None:
        return written
    with transaction.atomic():
        # The attempt's row is the lock that serialises answers to one attempt (two tabs), so
        # the counts read here are current.
        attempt = attempt_lock(asked.attempt_id, learner=learner)
        if asked.position <= attempt.answered_count:
            # Answers come in order, so this one has its answer: a second tab, a double click.
            existing = Answer.objects.filter(question=asked).first()
            if existing is not None:
                raise AlreadyAnswered(existing)
        if asked.position != attempt.answered_count + 1:
            raise AnswerOutOfOrder
        if not answer_inserted.run(answer):
            # The question has an answer its quiz's count did not show (written around the
            # lock, by hand): that one stands. No savepoint is needed to go on from here.
            raise AlreadyAnswered(Answer.objects.get(question=asked))
        attempt.answered_count += 1
        attempt.correct_count += int(right)
        if attempt.answered_count == attempt.question_count:
            attempt.finished_at = now
        progress_saved.run(
            pk=attempt.pk,
            answered=attempt.answered_count,
            correct=attempt.correct_count,
            finished=attempt.finished_at,
        )
        asked.attempt = attempt  # the caller's question knows its quiz as it now stands
        learner = attempt.learner
        if learner is not None:
            progress_changed(learner.pk)
            rating = rating_for(
                kind=Kind(asked.kind), is_correct=right, response_ms=answer.response_ms
            )
            cards.card_review(
                learner_id=learner.pk, module_id=asked.module_id, rating=rating, when=now
            )
            tallies.tallies_record(
                learner_id=learner.pk,
                module_id=asked.module_id,
                clue=asked.clue,
                is_correct=right,
                chosen=chosen,
            )
            tallies.day_record(
                learner_id=learner.pk,
                day=local_day(now, tallies.learner_zone(learner)),
                is_correct=right,
            )
    asked.attempt = attempt
    return answer


def answer_in_one_trip(
    asked: AskedQuestion,
    answer: Answer,
    learner: User | None,
    card: one_trip.CardAsRead | None = None,
) -> Answer | None:
    """The answer written in one statement (see one_trip), with the question's quiz as it now
    stands; None when it was not (a database other than PostgreSQL and SQLite, a quiz whose
    learner is not the one given, or a case answer_record's transaction sorts out)."""
    using = router.db_for_write(Answer)
    attempt = asked.attempt
    if not one_trip.available(using) or attempt.learner_id != (learner.pk if learner else None):
        return None
    right = answer.is_correct
    written = one_trip.answer_write(
        answer=answer,
        attempt_id=attempt.pk,
        position=asked.position,
        learner=learner,
        module_id=asked.module_id,
        clue=asked.clue,
        day=local_day(answer.answered_at, tallies.learner_zone(learner)) if learner else None,
        rating=rating_for(kind=Kind(asked.kind), is_correct=right, response_ms=answer.response_ms),
        using=using,
        card_read_already=card,
    )
    if written is None:
        return None
    answer.pk = written.answer_id
    answer._state.adding, answer._state.db = False, using
    attempt.answered_count, attempt.correct_count = written.answered, written.correct
    attempt.finished_at = written.finished
    return answer


def correction_refusal(kind: Kind, *, is_correct: bool, gave_up: bool) -> str | None:
    """Why an answer may not be counted as right after all ("I was right"), or None when it
    may: only a wrong typed name, which may be a typo; an option chosen is not."""
    if kind != Kind.RECALL:
        return CORRECTION_RECALL_ONLY
    if gave_up:
        return CORRECTION_GAVE_UP
    if is_correct:
        return CORRECTION_ALREADY_RIGHT
    return None


def answer_correct(*, answer: Answer, now: datetime | None = None) -> Answer:
    """I was right: count a wrong typed name as right (a typo) everywhere it counted wrong:
    the answer (keeping what was typed), the quiz's score, and for a learner their tallies and
    their card, rescheduled from their answers as they now stand. A second correction, or one
    refused, changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        # The attempt's row is the lock answer_record takes too: the answer read under it is
        # current, and two corrections of one answer (a double click) run one after the other.
        attempt = attempt_lock(answer.question.attempt_id)
        answer = Answer.objects.select_related("question__module").get(pk=answer.pk)
        asked = answer.question
        if answer.corrected_at is not None:
            raise AlreadyCorrected(answer)
        refusal = correction_refusal(
            Kind(asked.kind), is_correct=answer.is_correct, gave_up=answer.gave_up
        )
        if refusal is not None:
            raise CorrectionRefused(refusal)
        answer.is_correct = True
        answer.corrected_at = now
        answer.save(update_fields=["is_correct", "corrected_at"])
        attempt.correct_count += 1
        attempt.save(update_fields=["correct_count"])
        if attempt.learner is not None:
            progress_changed(attempt.learner.pk)
            tallies.tallies_correct(
                learner_id=attempt.learner.pk,
                module_id=asked.module_id,
                clue=asked.clue,
                chosen=answer.chosen_module,
            )
            tallies.day_record(
                learner_id=attempt.learner.pk,
                day=local_day(answer.answered_at, tallies.learner_zone(attempt.learner)),
                is_correct=True,
                corrected=True,
            )
            cards.card_replay(
                learner_id=attempt.learner.pk, module_id=asked.module_id, when=answer.answered_at
            )
    asked.attempt = attempt
    return answer


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


def practise_again_start(*, attempt: Attempt, seed: int | None = None) -> Attempt:
    """Practise again: a new attempt of the modules this one got wrong, with the same kinds
    and difficulty."""
    missed = missed_modules(attempt)
    if not missed:
        raise AnswerRejected(NOTHING_TO_PRACTISE_AGAIN)
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
        purpose=Attempt.Purpose.PRACTISE_AGAIN,
        seed=seed,
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
        weights = practice_weights(cards.learner_cards(learner), now) or None
    return attempt_start(
        learner=learner,
        visitor=visitor,
        quiz_settings=quiz_settings,
        weights=weights,
        seed=seed,
        now=now,
    )
