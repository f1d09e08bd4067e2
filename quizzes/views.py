"""The quiz pages: practice settings, one question at a time, the summary, the dashboard."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import router
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.services import profile_for
from accounts.visitors import visitor_id
from catalogue.snapshot import Catalogue, get_catalogue
from classrooms.models import Classroom
from classrooms.reports import student_drills
from config.errors import Missing, NotFound, WayOn, found_or_404
from config.htmx import HtmxHttpRequest
from config.kept import kept_render, soonest

from .dashboard import after_quiz, learner_dashboard
from .forms import PracticeForm
from .generation import NoQuestionsError
from .links import quiz_link
from .memory import due_for_review
from .models import Answer, AskedQuestion, Attempt
from .progress import ago_changes
from .questions import Kind
from .reads import own_question
from .reports import (
    AnsweredQuestion,
    Feedback,
    feedback_for,
    lesson_for,
    question_heading,
    shown_options,
    summarise,
)
from .services import attempts, cards, one_trip
from .services.practice import (
    practise_this_start,
    unfinished,
    usual_settings,
    usual_settings_keep,
)
from .throttling import quiz_start_limits


def attempt_or_404(request: HtmxHttpRequest, attempt_id: uuid.UUID) -> Attempt:
    """Only the learner's own attempts, or the visitor's own: anyone else's is a 404."""
    own = Attempt.objects.for_learner(request.user, visitor_id(request))
    return found_or_404(own, NotFound(Missing.QUIZ), public_id=attempt_id)


def question_missing(attempt: Attempt, position: int) -> NotFound:
    return NotFound(
        Missing.QUESTION,
        position=position,
        count=attempt.question_count,
        way_on=WayOn("Back to the quiz", attempt.get_absolute_url()),
    )


def question_or_404(attempt: Attempt, position: int) -> AskedQuestion:
    return found_or_404(
        AskedQuestion.objects.select_related("module", "answer"),
        question_missing(attempt, position),
        attempt=attempt,
        position=position,
    )


def asked_or_404(request: HtmxHttpRequest, attempt_id: uuid.UUID, position: int) -> AskedQuestion:
    """The question at `position` of the person's own quiz, with the quiz, its module and its
    answer, in one query; when there is none, a second says which is missing: the quiz (or it
    is someone else's), or the question."""
    asked = own_question(request.user, visitor_id(request), attempt_id, position)
    if asked is None:
        raise question_missing(attempt_or_404(request, attempt_id), position)
    return asked


def answered_or_404(
    request: HtmxHttpRequest, attempt_id: uuid.UUID, position: int, learner: User | None
) -> tuple[AskedQuestion, one_trip.CardAsRead | None]:
    """The question being answered, as asked_or_404 reads it; for a learner, with their card
    for its module in the same query (the answer's one statement needs it: one_trip)."""
    using = router.db_for_read(AskedQuestion)
    if learner is None or not one_trip.available(using):
        return asked_or_404(request, attempt_id, position), None
    found = one_trip.question_and_card(learner.pk, attempt_id, position, using)
    if found is None:
        raise question_missing(attempt_or_404(request, attempt_id), position)
    return found


def answer_of(asked: AskedQuestion) -> Answer | None:
    try:
        return asked.answer
    except ObjectDoesNotExist:
        return None


def learner_of(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@require_http_methods(["GET", "HEAD", "POST"])
@quiz_start_limits
def practice(request: HtmxHttpRequest) -> HttpResponse:
    """Choose categories, number, kinds and difficulty, the usual ones ticked; start a quiz.
    Or go back to the quiz left unfinished."""
    learner = learner_of(request)
    profile = profile_for(learner) if learner else None
    usual = usual_settings(profile, request.session)
    form = PracticeForm(request.POST or None, usual=usual)
    context = {"form": form, "unfinished": unfinished(request.user, visitor_id(request))}
    if request.method == "POST":
        if form.is_valid():
            quiz_settings = form.quiz_settings()
            try:
                attempt = attempts.practice_start(
                    learner=learner,
                    visitor=None if learner else visitor_id(request, create=True),
                    quiz_settings=quiz_settings,
                )
            except NoQuestionsError as error:
                form.add_error(None, str(error))
            else:
                usual_settings_keep(quiz_settings, profile, request.session)
                return redirect("quizzes:question", attempt.public_id, 1)
        return render(request, "quizzes/practice.html", context, status=400)
    return render(request, "quizzes/practice.html", context)


PRACTISE_THIS_NEEDS_ONE = "Practise a category or a module: say which one."


@require_POST
@quiz_start_limits
def practise_this(request: HtmxHttpRequest) -> HttpResponse:
    """One click from a catalogue page or a mastery row: a quiz of that category or module,
    with the learner's usual settings."""
    category = request.POST.get("category", "")
    module = request.POST.get("module", "")
    if bool(category) == bool(module):
        return render(
            request,
            "quizzes/practice_this_error.html",
            {"message": PRACTISE_THIS_NEEDS_ONE},
            status=400,
        )
    catalogue = get_catalogue()
    if category and category not in catalogue.categories:
        raise NotFound(Missing.CATEGORY, slug=category)
    if module and module not in catalogue.modules:
        raise NotFound(Missing.MODULE, name=module)
    learner = learner_of(request)
    profile = profile_for(learner) if learner else None
    try:
        attempt = practise_this_start(
            learner=learner,
            visitor=None if learner else visitor_id(request, create=True),
            usual=usual_settings(profile, request.session),
            category=category or None,
            module=module or None,
        )
    except NoQuestionsError as error:
        return render(
            request, "quizzes/practice_this_error.html", {"message": str(error)}, status=409
        )
    return redirect("quizzes:question", attempt.public_id, 1)


@require_safe
def attempt_resume(request: HtmxHttpRequest, attempt_id: uuid.UUID) -> HttpResponse:
    """Back to where the learner left off: the next question, or the summary."""
    attempt = attempt_or_404(request, attempt_id)
    if attempt.is_finished:
        return redirect("quizzes:summary", attempt.public_id)
    return redirect("quizzes:question", attempt.public_id, attempt.answered_count + 1)


def taught(catalogue: Catalogue, partial: str, module: str) -> SafeString:
    """The card's `partial` of question.html teaching `module`, rendered once per catalogue
    version (in this process): it depends on the catalogue alone."""
    return catalogue.derived(
        ("quizzes/question.html", partial, module),
        lambda: render_to_string(
            f"quizzes/question.html#{partial}", {"lesson": lesson_for(catalogue, module)}
        ),
    )


def teaching(catalogue: Catalogue, feedback: Feedback) -> dict[str, SafeString]:
    """What the feedback teaches: its module, and the module chosen wrongly if there is one."""
    chosen = feedback.chosen
    return {
        "module": taught(catalogue, "lesson", feedback.module.name),
        "chosen": taught(catalogue, "chosen-lesson", chosen.name) if chosen else SafeString(),
    }


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
    kind = Kind(asked.kind)
    feedback = None
    lessons = None
    if answer is not None:
        catalogue = catalogue or get_catalogue()
        feedback = feedback_for(
            kind=kind,
            module=asked.module.name,
            clue=asked.clue or None,
            given=answer.given,
            right_answer=asked.right_answer,
            chosen_module=answer.chosen_module,
            is_correct=answer.is_correct,
            catalogue=catalogue,
            gave_up=answer.gave_up,
            corrected=answer.corrected_at is not None,
            correctable=correctable(asked, answer),
        )
        lessons = teaching(catalogue, feedback)
    is_last = asked.position == attempt.question_count
    public_id, position = attempt.public_id, asked.position
    options = (
        shown_options(kind, asked.options, right=asked.right_answer, given=answer.given)
        if answer is not None
        else shown_options(kind, asked.options)
    )
    # The links the card's face shows, and only those (the card has no others to make).
    if answer is None:
        links = {"answer": quiz_link("quizzes:answer", public_id, position)}
    elif is_last:
        links = {"summary": quiz_link("quizzes:summary", public_id)}
    else:
        links = {"next": quiz_link("quizzes:question", public_id, position + 1)}
    if feedback is not None and feedback.correctable:
        links["correct"] = quiz_link("quizzes:correct", public_id, position)
    context = {
        "attempt": attempt,
        "asked": asked,
        "kind": kind,
        "heading": question_heading(kind, asked.prompt),
        "options": options,
        "answer": answer,
        "feedback": feedback,
        "teaching": lessons,
        "error": error,
        "notice": notice,
        "is_last": is_last,
        "links": links,
        # Answered of all: full only once the last question is answered.
        "progress_percent": round(100 * attempt.answered_count / attempt.question_count),
    }
    # Jinja2's (config.templating); its output is escaped as the template went, so safe.
    template = engines["jinja2"].get_template("quizzes/card.html")  # templates/jinja2
    card = mark_safe(template.render(context, request))
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(card, status=status)
    page = {"asked": asked, "attempt": attempt, "card": card}
    return render(request, "quizzes/question.html", page, status=status)


@require_safe
def question(request: HtmxHttpRequest, attempt_id: uuid.UUID, position: int) -> HttpResponse:
    """One question; once answered, the same page shows the recorded result."""
    found = one_trip.question_with_session(request, attempt_id, position)
    asked = found[0] if found else asked_or_404(request, attempt_id, position)
    attempt = asked.attempt
    answer = answer_of(asked)
    if answer is None and position != attempt.answered_count + 1:
        return redirect("quizzes:attempt", attempt.public_id)
    if answer is None and request.method == "GET":
        attempts.question_show(asked)
    return render_card(request, attempt, asked, answer)


@require_POST
def answer(request: HtmxHttpRequest, attempt_id: uuid.UUID, position: int) -> HttpResponse:
    """Record the answer and show feedback (in place over HTMX, else after a redirect)."""
    found = one_trip.question_with_session(request, attempt_id, position)
    learner = learner_of(request)
    asked, card = found or answered_or_404(request, attempt_id, position, learner)
    attempt = asked.attempt
    existing = answer_of(asked)
    if existing is not None:
        return render_card(
            request, attempt, asked, existing, notice=attempts.ALREADY_ANSWERED, status=409
        )
    field = "typed" if asked.kind == Kind.RECALL else "choice"
    catalogue = get_catalogue()
    try:
        recorded = attempts.answer_record(
            asked=asked,
            response=request.POST.get(field),
            gave_up="dont_know" in request.POST,  # the "I don't know" button
            catalogue=catalogue,
            learner=learner,
            card=card,
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


def correctable(asked: AskedQuestion, answer: Answer) -> bool:
    """Whether the learner may still say "I was right" of this answer."""
    refusal = attempts.correction_refusal(
        Kind(asked.kind), is_correct=answer.is_correct, gave_up=answer.gave_up
    )
    return refusal is None


@require_POST
def answer_correct(request: HtmxHttpRequest, attempt_id: uuid.UUID, position: int) -> HttpResponse:
    """I was right: count a wrong typed name as right, then show the answer so (in place over
    HTMX, else after a redirect), on the question's card or, asked from there, the summary."""
    asked = asked_or_404(request, attempt_id, position)
    attempt = asked.attempt
    existing = answer_of(asked)
    on_summary = request.POST.get("then") == "summary" and attempt.is_finished
    if existing is None:
        current = question_or_404(attempt, attempt.answered_count + 1)
        error = attempts.CORRECTION_UNANSWERED
        return render_card(request, attempt, current, None, error=error, status=409)
    try:
        corrected = attempts.answer_correct(answer=existing)
    except attempts.CorrectionRefused as refused:
        if on_summary:
            return render_summary(request, attempt, error=refused.message, status=409)
        return render_card(request, attempt, asked, existing, error=refused.message, status=409)
    except attempts.AlreadyCorrected as already:
        if on_summary:
            return render_summary(request, attempt, error=attempts.ALREADY_CORRECTED, status=409)
        notice = attempts.ALREADY_CORRECTED
        return render_card(request, attempt, asked, already.answer, notice=notice, status=409)
    if on_summary:
        return redirect("quizzes:summary", attempt.public_id)
    if request.htmx:
        return render_card(request, corrected.question.attempt, corrected.question, corrected)
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
                gave_up=q.answer.gave_up,
                corrected=q.answer.corrected_at is not None,
                correctable=correctable(q, q.answer),
            )
            for q in rows
        ),
        get_catalogue(),
    )
    return render(
        request,
        "quizzes/summary.html",
        {
            "attempt": attempt,
            "report": report,
            "error": error,
            **after_quiz_context(request, attempt),
        },
        status=status,
    )


def after_quiz_context(request: HtmxHttpRequest, attempt: Attempt) -> dict[str, object]:
    """What the summary adds to the score: for a learner, the day's goal and any personal best,
    and after a review the modules still due; for a visitor, an invitation to keep it all."""
    learner = learner_of(request)
    if learner is None:
        return {"goal": None, "still_due": 0}
    profile = profile_for(learner)
    now = timezone.now()
    still_due = 0
    if attempt.purpose == Attempt.Purpose.REVIEW:
        still_due = len(due_for_review(cards.learner_cards(learner), now))
    return {
        "goal": after_quiz(learner, attempt, profile.zone, now, profile.daily_goal),
        "still_due": still_due,
        "review_size": cards.REVIEW_SIZE,
    }


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
    catalogue = get_catalogue()

    def compute() -> tuple[dict[str, object], datetime]:
        dash = learner_dashboard(user, zone, now, profile.daily_goal, catalogue)
        drills = student_drills(user, zone, now)
        left = unfinished(user, None)
        context = {
            "dash": dash,
            "drills": drills,
            "classrooms": Classroom.objects.for_student(user).select_related("teacher"),
            "unfinished": left,
        }
        changes = [dash.changes_at, *(moment for d in drills for moment in d.changes)]
        if left is not None:
            changes.append(ago_changes(left.started_at, now))
        return context, soonest(now, changes)

    # Dates and times on the page read in the learner's own time zone.
    with timezone.override(zone):
        kept = kept_render(
            request,
            name="dashboard",
            key=(
                user.pk,
                user.get_username(),
                profile.progress_version,
                profile.time_zone,
                profile.daily_goal,
                catalogue.version,
            ),
            now=now,
            compute=compute,
            templates={"body": "quizzes/_dashboard.html"},
        )
        return render(request, "quizzes/dashboard.html", {"kept": kept})


HISTORY_PAGE_SIZE = 25


@login_required
@require_safe
def history(request: HtmxHttpRequest) -> HttpResponse:
    """Every quiz the learner has taken, newest first, a page at a time."""
    user = signed_in(request)
    paginator = Paginator(
        Attempt.objects.for_learner(user, None).order_by("-started_at", "-pk"), HISTORY_PAGE_SIZE
    )
    try:
        page = paginator.page(request.GET.get("page", "1"))
    except (EmptyPage, PageNotAnInteger):
        raise NotFound(Missing.PAGE) from None
    with timezone.override(profile_for(user).zone):
        return render(request, "quizzes/history.html", {"page": page})


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
