"""Teaching pages: a teacher's classes, drills and dashboards; a student joining, leaving and
starting drills. Every class is reached through `taught_or_404` or `joined_or_404`: only its
teacher sees it, and only its students take its drills."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from accounts.services import profile_for
from catalogue.snapshot import get_catalogue
from config.errors import Missing, NotFound, WayOn, found_or_404
from config.htmx import HtmxHttpRequest
from config.kept import kept_render, soonest
from quizzes.dashboard import learner_dashboard
from quizzes.generation import generate_quiz
from quizzes.memory import Mastery
from quizzes.questions import Difficulty, Kind
from quizzes.throttling import quiz_start_limits

from . import reports, services
from .exports import csv_response
from .forms import ClassroomForm, DrillForm, JoinForm
from .models import Classroom, Drill
from .progress import DrillStatus


def signed_in(request: HttpRequest) -> User:
    assert isinstance(request.user, User), "behind @login_required"
    return request.user


def taught_or_404(request: HttpRequest, classroom_id: int) -> Classroom:
    """A class of the signed-in teacher's own; anyone else's, or for anyone else, a 404."""
    return found_or_404(
        Classroom.objects.for_teacher(request.user), NotFound(Missing.CLASS), pk=classroom_id
    )


def back_to_class(classroom: Classroom) -> WayOn:
    """The way on from a 404 inside a teacher's own class."""
    return WayOn("Back to the class", classroom.get_absolute_url())


def joined_or_404(request: HttpRequest, classroom_id: int) -> Classroom:
    """A class the signed-in student is in; any other, a 404."""
    return found_or_404(
        Classroom.objects.for_student(request.user), NotFound(Missing.CLASS), pk=classroom_id
    )


def teachers_only(request: HttpRequest) -> HttpResponse | None:
    """The page a student gets instead of a teacher's page that is not about a class."""
    if profile_for(signed_in(request)).is_teacher:
        return None
    return render(
        request, "classrooms/teachers_only.html", {"message": services.NOT_A_TEACHER}, status=403
    )


def with_partial(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """The page's template, or over HTMX (not a history restore) only the named partial."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template


# --- A teacher's classes ---------------------------------------------------------------------


@login_required
@require_safe
def classroom_list(request: HttpRequest) -> HttpResponse:
    """The signed-in teacher's classes, with their numbers of students and drills."""
    if refused := teachers_only(request):
        return refused
    classrooms = Classroom.objects.for_teacher(request.user).annotate(
        student_count=Count("memberships", distinct=True),
        drill_count=Count("drills", distinct=True),
    )
    return render(request, "classrooms/list.html", {"classrooms": classrooms})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def classroom_create(request: HttpRequest) -> HttpResponse:
    """A new class: a name and a description; the join code is made for it."""
    if refused := teachers_only(request):
        return refused
    form = ClassroomForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            classroom = services.classroom_create(
                teacher=signed_in(request),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
            messages.success(request, f"“{classroom.name}” is ready: give your students its code.")
            return redirect(classroom)
        return render(request, "classrooms/form.html", {"form": form}, status=400)
    return render(request, "classrooms/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def classroom_edit(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Rename the class or change its description."""
    classroom = taught_or_404(request, classroom_id)
    form = ClassroomForm(request.POST or None, instance=classroom)
    if request.method == "POST":
        if form.is_valid():
            services.classroom_save(classroom=form.instance)
            messages.success(request, "Class saved.")
            return redirect(classroom)
        context = {"form": form, "classroom": classroom}
        return render(request, "classrooms/form.html", context, status=400)
    return render(request, "classrooms/form.html", {"form": form, "classroom": classroom})


@login_required
@require_safe
def classroom_detail(request: HtmxHttpRequest, classroom_id: int) -> HttpResponse:
    """The class dashboard: join code, roster, drills, mastery heatmap, hardest items and the
    most frequent confusions."""
    classroom = taught_or_404(request, classroom_id)
    time_zone = profile_for(signed_in(request)).time_zone
    now = timezone.now()
    catalogue = get_catalogue()

    def compute() -> tuple[dict[str, object], datetime]:
        dash = reports.class_dashboard(classroom, now, catalogue)
        # A drill falling due turns "in progress" into "missed".
        return {"dash": dash, "classroom": classroom}, soonest(
            now, [summary.drill.due_at for summary in dash.drills]
        )

    with timezone.override(ZoneInfo(time_zone)):
        kept = kept_render(
            request,
            name="class",
            key=(
                classroom.pk,
                classroom.name,
                classroom.version,
                reports.students_version(classroom),
                time_zone,
                catalogue.version,
            ),
            now=now,
            compute=compute,
            templates={
                "grid": "classrooms/_detail_grid.html",
                "rest": "classrooms/_detail_rest.html",
            },
        )
        return render(
            request,
            "classrooms/detail.html",
            {
                "kept": kept,
                "classroom": classroom,
                "join_code": services.code_display(classroom.join_code),
                "join_url": request.build_absolute_uri(
                    reverse("classrooms:join_link", args=[classroom.join_code])
                ),
            },
        )


def render_join_panel(request: HtmxHttpRequest, classroom: Classroom) -> HttpResponse:
    """After a change to how students join: the panel over HTMX, else back to the class."""
    if request.htmx:
        context = {
            "classroom": classroom,
            "join_code": services.code_display(classroom.join_code),
            "join_url": request.build_absolute_uri(
                reverse("classrooms:join_link", args=[classroom.join_code])
            ),
        }
        return render(request, "classrooms/detail.html#join", context)
    return redirect(classroom)


@login_required
@require_POST
def join_code_regenerate(request: HtmxHttpRequest, classroom_id: int) -> HttpResponse:
    """A new join code: the old one lets nobody in any more."""
    classroom = services.join_code_regenerate(classroom=taught_or_404(request, classroom_id))
    messages.success(request, "New join code made: the old one no longer works.")
    return render_join_panel(request, classroom)


@login_required
@require_POST
def classroom_joining(request: HtmxHttpRequest, classroom_id: int) -> HttpResponse:
    """Open the class to new students, or close it."""
    classroom = taught_or_404(request, classroom_id)
    is_open = request.POST.get("open") == "1"
    services.classroom_joining_set(classroom=classroom, is_open=is_open)
    messages.success(request, "The class is open to new students." if is_open else "Class closed.")
    return render_join_panel(request, classroom)


@login_required
@require_POST
def student_remove(request: HtmxHttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """Take a student out of the class; over HTMX the roster row simply goes."""
    classroom = taught_or_404(request, classroom_id)
    if not services.membership_remove(classroom=classroom, student_id=student_id):
        raise NotFound(Missing.STUDENT, way_on=back_to_class(classroom))
    if request.htmx:
        return HttpResponse("")  # the row is swapped for nothing
    messages.success(request, "The student has left the class.")
    return redirect(classroom)


@login_required
@require_safe
def student_progress(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """One student of the class: their mastery, accuracy and weak spots, and their drills."""
    classroom = taught_or_404(request, classroom_id)
    student = found_or_404(
        User,
        NotFound(Missing.STUDENT, way_on=back_to_class(classroom)),
        pk=student_id,
        memberships__classroom=classroom,
    )
    zone = profile_for(signed_in(request)).zone
    now = timezone.now()
    drills = list(classroom.drills.all())
    attempts = reports.drill_attempts(drills)
    me = reports.Student.of(student)
    results = [
        (drill, reports.drill_summary(drill, [me], attempts.get(drill.pk, {}), now).results[0])
        for drill in drills
    ]
    with timezone.override(zone):
        return render(
            request,
            "classrooms/student.html",
            {
                "classroom": classroom,
                "student": student,
                "dash": learner_dashboard(student, profile_for(student).zone, now),
                "results": results,
            },
        )


@login_required
@require_safe
def category_detail(request: HttpRequest, classroom_id: int, slug: str) -> HttpResponse:
    """One category across the class: each module's levels and how often it is answered right."""
    classroom = taught_or_404(request, classroom_id)
    catalogue = get_catalogue()
    category = catalogue.categories.get(slug)
    if category is None:
        raise NotFound(Missing.CATEGORY, slug=slug, way_on=back_to_class(classroom))
    students = reports.class_students(classroom)
    ids = [s.id for s in students]
    levels = reports.mastery_levels(ids)
    members = sorted(m.name for m in catalogue.modules.values() if slug in m.categories)
    statistics = {
        s.item: s for s in reports.item_statistics(reports.module_counts(ids)) if s.item in members
    }
    rows = [
        {
            "module": name,
            "levels": [
                (level, sum(1 for s in students if levels[s.id].get(name) == level))
                if level is not Mastery.NOT_STARTED
                else (level, sum(1 for s in students if name not in levels[s.id]))
                for level in Mastery
            ],
            "statistics": statistics.get(name),
        }
        for name in members
    ]
    return render(
        request,
        "classrooms/category.html",
        {"classroom": classroom, "category": category, "rows": rows, "students": students},
    )


@login_required
@require_safe
def items(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Item statistics: every module and clue the class has been asked, the hardest first."""
    classroom = taught_or_404(request, classroom_id)
    return render(
        request,
        "classrooms/items.html",
        {"classroom": classroom, "report": reports.class_items(classroom)},
    )


# --- Drills ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def drill_create(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Assign a drill: categories, kinds, difficulty, length, pass mark, opening and due dates,
    read in the teacher's time zone."""
    classroom = taught_or_404(request, classroom_id)
    with timezone.override(profile_for(signed_in(request)).zone):
        form = DrillForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    drill = services.drill_assign(
                        classroom=classroom,
                        title=data["title"],
                        categories=list(data["categories"]),
                        kinds=[Kind(k) for k in data["kinds"]],
                        difficulty=Difficulty(data["difficulty"]),
                        question_count=data["question_count"],
                        pass_mark=data["pass_mark"],
                        opens_at=data["opens_at"],
                        due_at=data["due_at"],
                    )
                except services.ClassroomError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, f"“{drill.title}” is assigned to {classroom.name}.")
                    return redirect(drill)
            context = {"form": form, "classroom": classroom}
            return render(request, "classrooms/drill_form.html", context, status=400)
        return render(request, "classrooms/drill_form.html", {"form": form, "classroom": classroom})


def drill_or_404(request: HttpRequest, classroom_id: int, drill_id: int) -> Drill:
    classroom = taught_or_404(request, classroom_id)
    return found_or_404(
        Drill.objects.prefetch_related("categories"),
        NotFound(Missing.DRILL, way_on=back_to_class(classroom)),
        classroom=classroom,
        pk=drill_id,
    )


@login_required
@require_safe
def drill_detail(request: HttpRequest, classroom_id: int, drill_id: int) -> HttpResponse:
    """Who has done the drill, their best scores and times, who is late, the class average."""
    drill = drill_or_404(request, classroom_id, drill_id)
    students = reports.class_students(drill.classroom)
    summary = reports.drill_summary(
        drill, students, reports.drill_attempts([drill]).get(drill.pk, {}), timezone.now()
    )
    with timezone.override(profile_for(signed_in(request)).zone):
        return render(
            request,
            "classrooms/drill.html",
            {"classroom": drill.classroom, "drill": drill, "summary": summary},
        )


@login_required
@require_safe
def drill_worksheet(request: HttpRequest, classroom_id: int, drill_id: int) -> HttpResponse:
    """The drill on paper: the class's questions (the drill's own seed) and the answer key."""
    drill = drill_or_404(request, classroom_id, drill_id)
    slugs = [c.slug for c in drill.categories.all()]
    quiz = generate_quiz(get_catalogue(), drill.quiz_settings(slugs), drill.seed)
    return render(
        request,
        "classrooms/worksheet.html",
        {"classroom": drill.classroom, "drill": drill, "quiz": quiz},
    )


# --- Exports ---------------------------------------------------------------------------------


@login_required
@require_safe
def export_drills(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Every drill's results, one row per student and drill, for a spreadsheet."""
    classroom = taught_or_404(request, classroom_id)
    dash = reports.class_dashboard(classroom, timezone.now())
    zone = profile_for(signed_in(request)).zone
    rows: list[Sequence[object]] = [
        ("Drill", "Due", "Student", "Username", "Status", "Best score (%)", "Minutes", "Late")
    ]
    for summary in dash.drills:
        for result in summary.results:
            best = result.result.best
            rows.append(
                (
                    summary.drill.title,
                    timezone.localtime(summary.drill.due_at, zone).strftime("%Y-%m-%d %H:%M"),
                    result.student.name,
                    result.student.username,
                    result.result.status.label,
                    "" if best is None else best.percent,
                    "" if best is None or best.seconds is None else round(best.seconds / 60, 1),
                    "yes" if result.result.status is DrillStatus.LATE else "no",
                )
            )
    return csv_response(f"{classroom.name} drills.csv", rows)


@login_required
@require_safe
def export_heatmap(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """The mastery heatmap: one row per student, one column per category (0 to 100)."""
    classroom = taught_or_404(request, classroom_id)
    dash = reports.class_dashboard(classroom, timezone.now())
    header: list[object] = ["Student", "Username", *(c.name for c in dash.categories)]
    body: Iterable[Sequence[object]] = (
        [row.student.name, row.student.username, *(cell.score for cell in row.cells)]
        for row in dash.heatmap
    )
    return csv_response(f"{classroom.name} mastery.csv", [header, *body])


# --- The student's side ----------------------------------------------------------------------

JOIN_ATTEMPTS = "20/m"  # a join code is a secret: guessing one should be slow


def render_join(
    request: HttpRequest, form: JoinForm, classroom: Classroom | None, status: int
) -> HttpResponse:
    return render(
        request, "classrooms/join.html", {"form": form, "classroom": classroom}, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(group="class-joins", key="user", rate=JOIN_ATTEMPTS, method="POST")
def join(request: HttpRequest, code: str = "") -> HttpResponse:
    """Join a class by its code, typed in or carried by the join link. A visitor following the
    link is asked to log in or sign up first, then comes back here."""
    classroom = None
    if code:
        normalised = services.code_normalise(code)
        classroom = Classroom.objects.filter(join_code=normalised).select_related("teacher").first()
    form = JoinForm(request.POST or None, initial={"code": code})
    if request.method == "POST":
        if form.is_valid():
            try:
                membership = services.classroom_join(
                    student=signed_in(request), code=form.cleaned_data["code"]
                )
            except services.ClassroomError as error:
                form.add_error("code", error.message)
            else:
                messages.success(request, f"You have joined {membership.classroom.name}.")
                return redirect("quizzes:dashboard")
        return render_join(request, form, classroom, 400)
    return render_join(request, form, classroom, 200 if classroom or not code else 404)


@login_required
@require_POST
def classroom_leave(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Leave a class (your practice and drill quizzes stay yours)."""
    classroom = joined_or_404(request, classroom_id)
    services.membership_remove(classroom=classroom, student_id=signed_in(request).pk)
    messages.success(request, f"You have left {classroom.name}.")
    return redirect("quizzes:dashboard")


@login_required
@require_POST
@quiz_start_limits
def drill_start(request: HttpRequest, drill_id: int) -> HttpResponse:
    """Take a drill: your own quiz of its settings, or back to the one in progress."""
    drill = found_or_404(
        Drill.objects.for_student(request.user).distinct().prefetch_related("categories"),
        NotFound(Missing.DRILL),
        pk=drill_id,
    )
    try:
        attempt = services.drill_start(student=signed_in(request), drill=drill)
    except services.ClassroomError as error:
        messages.error(request, error.message)
        return redirect("quizzes:dashboard")
    return redirect("quizzes:attempt", attempt.public_id)
