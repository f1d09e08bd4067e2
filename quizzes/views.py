"""The quiz pages: practice settings, one question at a time, the summary, the dashboard."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.services import profile_for
from accounts.visitors import visitor_id
from catalogue.snapshot import Catalogue, get_catalogue
from classrooms.models import Classroom
from classrooms.reports import student_drills
from config.htmx import HtmxHttpRequest

from .dashboard import learner_dashboard
from .forms import PracticeForm
from .generation import NoQuestionsError
from .models import Answer, AskedQuestion, Attempt
from .questions import Kind
from .reports import AnsweredQuestion, feedback_for, summarise
from .services import attempts, cards
from .throttling import quiz_start_limits


def attempt_or_404(request: HtmxHttpRequest, attempt_id: uuid.UUID) -> Attempt:
    """Only the learner's own attempts, or the visitor's own: anyone else's is a 404."""
    own = Attempt.objects.for_learner(request.user, visitor_id(request))
    return get_object_or_404(own, public_id=attempt_id)


def question_or_404(attempt: Attempt, position: int) -> AskedQuestion:
    return get_object_or_404(
        AskedQuestion.objects.select_related("module", "answer"),
        attempt=attempt,
        position=position,
    )


def answer_of(asked: AskedQuestion) -> Answer | None:
    try:
        return asked.answer
    except ObjectDoesNotExist:
        return None


@require_http_methods(["GET", "HEAD", "POST"])
@quiz_start_limits
def practice(request: HtmxHttpRequest) -> HttpResponse:
    """Choose categories, number, kinds and difficulty; start a quiz."""
    form = PracticeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            learner = request.user if isinstance(request.user, User) else None
            try:
                attempt = attempts.practice_start(
                    learner=learner,
                    visitor=None if learner else visitor_id(request, create=True),
                    quiz_settings=form.quiz_settings(),
                )
            except NoQuestionsError as error:
                form.add_error(None, str(error))
            else:
                return redirect("quizzes:question", attempt.public_id, 1)
        return render(request, "quizzes/practice.html", {"form": form}, status=400)
    return render(request, "quizzes/practice.html", {"form": form})


@require_safe
def attempt_resume(request: HtmxHttpRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """Back to where the learner left off: the next question, or the summary."""
    attempt = attempt_or_404(request, attempt_id)
    if attempt.is_finished:
        return redirect("quizzes:summary", attempt.public_id)
    return redirect("quizzes:question", attempt.public_id, attempt.answered_count + 1)


def render_card(
    request: HtmxHttpRequest,
    attempt: Attempt,
    asked: AskedQuestion,
    answer: Answer | None,
    *,
    error: str | None = None,
    notice: str | None = None,
    status: int = 200,
    catalogue: Catalogue | None = None,
) -> HttpResponse:
    feedback = None
    if answer is not None:
        feedback = feedback_for(
            kind=Kind(asked.kind),
            module=asked.module.name,
            clue=asked.clue or None,
            given=answer.given,
            right_answer=asked.right_answer,
            chosen_module=answer.chosen_module,
            is_correct=answer.is_correct,
            catalogue=catalogue or get_catalogue(),
        )
    is_last = asked.position == attempt.question_count
    context = {
        "attempt": attempt,
        "asked": asked,
        "kind": Kind(asked.kind),
        "answer": answer,
        "feedback": feedback,
        "error": error,
        "notice": notice,
        "is_last": is_last,
        "next_position": asked.position + 1,
        "progress_percent": round(100 * asked.position / attempt.question_count),
    }
    template = "quizzes/question.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#card"
    return render(request, template, context, status=status)


@require_safe
def question(request: HtmxHttpRequest, attempt_id: uuid.UUID, position: int) -> HttpResponse:
    """One question; once answered, the same page shows the recorded result."""
    attempt = attempt_or_404(request, attempt_id)
    asked = question_or_404(attempt, position)
    answer = answer_of(asked)
    if answer is None and position != attempt.answered_count + 1:
        return redirect("quizzes:attempt", attempt.public_id)
    if answer is None and request.method == "GET":
        attempts.question_show(asked)
    return render_card(request, attempt, asked, answer)


@require_POST
def answer(request: HtmxHttpRequest, attempt_id: uuid.UUID, position: int) -> HttpResponse:
    """Record the answer and show feedback (in place over HTMX, else after a redirect)."""
    attempt = attempt_or_404(request, attempt_id)
    asked = question_or_404(attempt, position)
    existing = answer_of(asked)
    if existing is not None:
        return render_card(
            request, attempt, asked, existing, notice=attempts.ALREADY_ANSWERED, status=409
        )
    field = "typed" if asked.kind == Kind.RECALL else "choice"
    catalogue = get_catalogue()
    try:
        recorded = attempts.answer_record(
            asked=asked, response=request.POST.get(field), catalogue=catalogue
        )
    except attempts.AnswerRejected as rejected:
        return render_card(request, attempt, asked, None, error=rejected.message, status=400)
    except attempts.AnswerOutOfOrder as out_of_order:
        return render_card(request, attempt, asked, None, error=out_of_order.message, status=409)
    except attempts.AlreadyAnswered as already:
        return render_card(
            request, attempt, asked, already.answer, notice=attempts.ALREADY_ANSWERED, status=409
        )
    if request.htmx:
        return render_card(request, asked.attempt, asked, recorded, catalogue=catalogue)
    return redirect("quizzes:question", attempt.public_id, position)


@require_safe
def summary(request: HtmxHttpRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """Score, per-category breakdown, the mistakes, and practise them again."""
    attempt = attempt_or_404(request, attempt_id)
    if not attempt.is_finished:
        return redirect("quizzes:attempt", attempt.public_id)
    return render_summary(request, attempt)


def render_summary(
    request: HtmxHttpRequest, attempt: Attempt, *, error: str | None = None, status: int = 200
) -> HttpResponse:
    rows = attempt.questions.select_related("module", "answer").order_by("position")
    report = summarise(
        (
            AnsweredQuestion(
                position=q.position,
                kind=Kind(q.kind),
                module=q.module.name,
                prompt=q.prompt,
                given=q.answer.given,
                right_answer=q.right_answer,
                is_correct=q.answer.is_correct,
            )
            for q in rows
        ),
        get_catalogue(),
    )
    return render(
        request,
        "quizzes/summary.html",
        {"attempt": attempt, "report": report, "error": error},
        status=status,
    )


@require_POST
@quiz_start_limits
def practise_again(request: HtmxHttpRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """A new quiz of the modules this attempt got wrong."""
    attempt = attempt_or_404(request, attempt_id)
    if not attempt.is_finished:
        return redirect("quizzes:attempt", attempt.public_id)
    try:
        again = attempts.practise_again_start(attempt=attempt)
    except attempts.AnswerRejected as rejected:
        return render_summary(request, attempt, error=rejected.message, status=409)
    except NoQuestionsError as error:
        return render_summary(request, attempt, error=str(error), status=409)
    return redirect("quizzes:question", again.public_id, 1)


def signed_in(request: HttpRequest) -> User:
    assert isinstance(request.user, User), "behind @login_required"
    return request.user


@login_required
@require_safe
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Drills to do, mastery by category, reviews due, streak, accuracy over time, weak spots,
    history, and the learner's classes."""
    user = signed_in(request)
    profile = profile_for(user)
    zone = profile.zone
    now = timezone.now()
    context = {
        "dash": learner_dashboard(user, zone, now),
        "profile": profile,
        "drills": student_drills(user, zone, now),
        "classrooms": Classroom.objects.for_student(user).select_related("teacher"),
    }
    # Dates and times on the page read in the learner's own time zone.
    with timezone.override(zone):
        return render(request, "quizzes/dashboard.html", context)


@login_required
@require_POST
@quiz_start_limits
def review(request: HtmxHttpRequest) -> HttpResponse:
    """Review now: a quiz of the modules due, most overdue first."""
    attempt = cards.review_start(learner=signed_in(request))
    if attempt is None:
        messages.info(request, cards.NOTHING_DUE)
        return redirect("quizzes:dashboard")
    return redirect("quizzes:question", attempt.public_id, 1)


@login_required
@require_POST
@quiz_start_limits
def weak_spots(request: HtmxHttpRequest) -> HttpResponse:
    """Weak spots: a quiz of the modules the learner is least likely to remember."""
    attempt = cards.weak_spots_start(learner=signed_in(request))
    if attempt is None:
        messages.info(request, cards.NO_CARDS_YET)
        return redirect("quizzes:dashboard")
    return redirect("quizzes:question", attempt.public_id, 1)
