"""The teaching pages as a browser calls them: full pages and HTMX fragments, bad input, dates
in each person's time zone, the CSV downloads, and query counts pinned for classes of 3 and 30."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.snapshot import get_catalogue
from classrooms import services
from classrooms.models import Classroom, Drill, Membership
from classrooms.progress import DrillStatus
from quizzes.models import Attempt
from quizzes.questions import Kind
from quizzes.services import attempts
from tests.classroom_helpers import PASSWORD, class_of, drill_for, person, teacher
from tests.factories import CardFactory
from tests.quiz_helpers import right_value, signed_in

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def finish(attempt: Attempt, *, wrong: int = 0, when: datetime | None = None) -> None:
    for asked in attempt.questions.order_by("position"):
        if asked.position <= wrong:
            response = (
                "nothing-like-it"
                if asked.kind == Kind.RECALL
                else str(next(i for i, o in enumerate(asked.options) if o != asked.right_answer))
            )
        else:
            response = right_value(asked)
        attempts.answer_record(asked=asked, response=response, now=when)


# --- Classes ---------------------------------------------------------------------------------


def test_a_teacher_creates_a_class_and_sees_its_join_code():
    owner = teacher()
    client = signed_in(owner)
    response = client.post(
        reverse("classrooms:create"), {"name": "  Year 10 Python ", "description": "Tuesdays"}
    )
    classroom = Classroom.objects.get()
    assert response["Location"] == classroom.get_absolute_url()
    assert (classroom.name, classroom.teacher) == ("Year 10 Python", owner)
    page = client.get(classroom.get_absolute_url())
    assert page.context["join_code"] == services.code_display(classroom.join_code)
    html = page.content.decode()
    assert services.code_display(classroom.join_code) in html
    assert reverse("classrooms:join_link", args=[classroom.join_code]) in html


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_class_needs_a_sensible_name(name):
    client = signed_in(teacher())
    response = client.post(reverse("classrooms:create"), {"name": name})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not Classroom.objects.exists()


def test_the_list_shows_only_my_classes_with_their_counts():
    owner = teacher()
    class_of(owner, [person("ada"), person("grace")], name="Mine")
    class_of(teacher("other"), [], name="Theirs")
    response = signed_in(owner).get(reverse("classrooms:list"))
    [mine] = response.context["classrooms"]
    assert (mine.name, mine.student_count, mine.drill_count) == ("Mine", 2, 0)
    assert "Theirs" not in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_new_code_over_htmx_swaps_the_panel_and_without_it_redirects(htmx):
    owner = teacher()
    classroom = class_of(owner)
    old = classroom.join_code
    response = signed_in(owner).post(
        reverse("classrooms:code", args=[classroom.pk]), **(HTMX if htmx else {})
    )
    classroom.refresh_from_db()
    assert classroom.join_code != old
    if htmx:
        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<section id="join"')
        assert "<html" not in html
        assert services.code_display(classroom.join_code) in html
    else:
        assert response["Location"] == classroom.get_absolute_url()


@pytest.mark.parametrize("htmx", [False, True])
def test_closing_and_opening_the_class(htmx):
    owner = teacher()
    classroom = class_of(owner)
    client = signed_in(owner)
    extra = HTMX if htmx else {}
    client.post(reverse("classrooms:joining", args=[classroom.pk]), **extra)
    classroom.refresh_from_db()
    assert not classroom.is_open
    response = client.post(
        reverse("classrooms:joining", args=[classroom.pk]), {"open": "1"}, **extra
    )
    classroom.refresh_from_db()
    assert classroom.is_open
    if htmx:
        assert "Close to new students" in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_removing_a_student(htmx):
    owner, ada = teacher(), person("ada")
    classroom = class_of(owner, [ada])
    url = reverse("classrooms:student_remove", args=[classroom.pk, ada.pk])
    response = signed_in(owner).post(url, **(HTMX if htmx else {}))
    assert not Membership.objects.exists()
    assert response.status_code == (200 if htmx else 302)
    # Twice: nobody to remove any more.
    assert signed_in(owner).post(url).status_code == 404


# --- Joining ---------------------------------------------------------------------------------


def test_a_student_joins_with_the_code_and_sees_the_class_on_the_dashboard():
    classroom = class_of(teacher())
    ada = person("ada")
    client = signed_in(ada)
    response = client.post(reverse("classrooms:join"), {"code": classroom.join_code.lower()})
    assert response["Location"] == reverse("quizzes:dashboard")
    dashboard = client.get(reverse("quizzes:dashboard"))
    assert list(dashboard.context["classrooms"]) == [classroom]
    assert "You have joined Year 10." in dashboard.content.decode()


def test_a_wrong_code_says_so_and_joins_nothing():
    class_of(teacher())
    response = signed_in(person("ada")).post(reverse("classrooms:join"), {"code": "WRONG123"})
    assert response.status_code == 400
    assert services.CODE_UNKNOWN in response.context["form"].errors["code"]
    assert not Membership.objects.exists()


def test_the_join_link_names_the_class_and_a_visitor_logs_in_first():
    classroom = class_of(teacher())
    link = reverse("classrooms:join_link", args=[classroom.join_code])
    visitor = Client().get(link)
    assert visitor["Location"] == f"{reverse('login')}?next={link}"
    page = signed_in(person("ada")).get(link)
    assert page.context["classroom"] == classroom
    assert page.context["form"].initial["code"] == classroom.join_code


def signup_data(username: str, **extra: str) -> dict[str, str]:
    return {
        "username": username,
        "email": f"{username}@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "student",
        "time_zone": "Europe/Paris",
        **extra,
    }


def test_a_visitor_with_the_join_link_signs_up_and_comes_back_to_join():
    classroom = class_of(teacher())
    link = reverse("classrooms:join_link", args=[classroom.join_code])
    client = Client()
    login_page = client.get(client.get(link)["Location"])
    signup_url = f"{reverse('signup')}?next={quote(link)}"
    assert f'href="{signup_url}"' in login_page.content.decode()
    form = client.get(signup_url)
    assert f'name="next" value="{link}"' in form.content.decode()

    signed_up = client.post(reverse("signup"), signup_data("ada", next=link))

    assert signed_up["Location"] == link
    joined = client.post(reverse("classrooms:join"), {"code": classroom.join_code})
    assert joined["Location"] == reverse("quizzes:dashboard")
    assert Membership.objects.filter(classroom=classroom, student__username="ada").exists()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "", "quizzes:practice", "999"]
)
def test_signing_up_never_sends_anyone_to_another_site(next_url):
    response = Client().post(reverse("signup"), signup_data("ada", next=next_url))
    assert response["Location"] == reverse("quizzes:dashboard")


def test_an_unknown_join_link_is_a_404_with_the_form():
    response = signed_in(person("ada")).get(reverse("classrooms:join_link", args=["NOPE1234"]))
    assert response.status_code == 404
    assert response.context["classroom"] is None


def test_guessing_join_codes_is_slowed_down():
    client = signed_in(person("ada"))
    statuses = [
        client.post(reverse("classrooms:join"), {"code": f"GUESS{n:03d}"}).status_code
        for n in range(25)
    ]
    assert statuses[:20] == [400] * 20
    assert statuses[-1] == 429


def test_a_student_leaves_a_class():
    ada = person("ada")
    classroom = class_of(teacher(), [ada])
    response = signed_in(ada).post(reverse("classrooms:leave", args=[classroom.pk]))
    assert response["Location"] == reverse("quizzes:dashboard")
    assert not Membership.objects.exists()


# --- Drills ----------------------------------------------------------------------------------


def drill_form(**overrides: object) -> dict[str, object]:
    return {
        "title": "Dates",
        "categories": ["date-and-time"],
        "kinds": ["which_module", "recall"],
        "difficulty": "easy",
        "question_count": 6,
        "pass_mark": 60,
        "opens_at": "2026-12-01T09:00",
        "due_at": "2026-12-04T17:00",
        **overrides,
    }


def test_a_drill_is_entered_in_the_teachers_time_zone_and_stored_in_utc():
    owner = teacher(time_zone="Asia/Tokyo")
    classroom = class_of(owner)
    response = signed_in(owner).post(
        reverse("classrooms:drill_create", args=[classroom.pk]), drill_form()
    )
    drill = Drill.objects.get()
    assert response["Location"] == drill.get_absolute_url()
    assert drill.due_at == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)  # 17:00 in Tokyo
    assert drill.opens_at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert (drill.question_count, drill.pass_mark, drill.kinds) == (
        6,
        60,
        ["which_module", "recall"],
    )
    page = signed_in(owner).get(drill.get_absolute_url())
    assert "Fri 4 Dec, 17:00" in page.content.decode()  # shown back in Tokyo time


def test_a_student_sees_the_due_date_in_their_own_time_zone():
    ada = person("ada", time_zone="America/New_York")
    classroom = class_of(teacher(time_zone="Europe/London"), [ada])
    now = timezone.now()
    due = (
        (now + timedelta(days=1))
        .astimezone(ZoneInfo("America/New_York"))
        .replace(hour=17, minute=0, second=0, microsecond=0)
    )
    drill = drill_for(classroom, due_at=due)
    response = signed_in(ada).get(reverse("quizzes:dashboard"))
    [mine] = response.context["drills"]
    assert mine.drill == drill
    assert mine.due.endswith("17:00")
    assert mine.due in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["no-such"]}, "categories"),
        ({"kinds": []}, "kinds"),
        ({"question_count": 4}, "question_count"),
        ({"question_count": "9" * 300}, "question_count"),
        ({"pass_mark": 101}, "pass_mark"),
        ({"due_at": "2026-11-30T09:00"}, "due_at"),
        ({"opens_at": "yesterday"}, "opens_at"),
        ({"difficulty": "nightmare"}, "difficulty"),
    ],
)
def test_bad_drill_settings_are_a_400_and_assign_nothing(overrides, field):
    owner = teacher()
    classroom = class_of(owner)
    response = signed_in(owner).post(
        reverse("classrooms:drill_create", args=[classroom.pk]), drill_form(**overrides)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Drill.objects.exists()


def test_a_student_takes_a_drill_from_the_dashboard():
    ada = person("ada")
    drill = drill_for(class_of(teacher(), [ada]))
    client = signed_in(ada)
    response = client.post(reverse("classrooms:drill_start", args=[drill.pk]))
    attempt = Attempt.objects.get(learner=ada)
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.public_id])
    assert attempt.drill == drill
    finish(attempt)
    [mine] = client.get(reverse("quizzes:dashboard")).context["drills"]
    assert mine.result.status is DrillStatus.DONE


def test_the_students_dashboard_takes_as_many_queries_for_one_drill_as_for_many(
    django_assert_max_num_queries,
):
    ada = person("ada")
    drill = drill_for(class_of(teacher(), [ada]))
    finish(services.drill_start(student=ada, drill=drill))
    client = signed_in(ada)
    url = reverse("quizzes:dashboard")
    get_catalogue()  # the catalogue read once, as in a running app
    # The dashboard's own (see test_dashboard), and the attempts at the drills.
    with django_assert_max_num_queries(10) as one:
        client.get(url)

    for name in ("Year 11", "Python club"):
        classroom = class_of(teacher(name.replace(" ", "").lower()), [ada], name=name)
        for _ in range(3):
            finish(services.drill_start(student=ada, drill=drill_for(classroom)))

    with django_assert_max_num_queries(10) as seven:
        response = client.get(url)
    assert len(response.context["drills"]) == 7
    assert len(response.context["classrooms"]) == 3
    assert len(seven) == len(one)


def test_the_drill_page_shows_each_students_status_and_the_class_average():
    owner = teacher()
    ada, grace, linus = person("ada"), person("grace"), person("linus")
    classroom = class_of(owner, [ada, grace, linus])
    drill = drill_for(classroom, count=5, pass_mark=60)
    finish(services.drill_start(student=ada, drill=drill))  # 100%
    finish(services.drill_start(student=grace, drill=drill), wrong=3)  # 40%
    services.drill_start(student=linus, drill=drill)  # started only
    response = signed_in(owner).get(drill.get_absolute_url())
    summary = response.context["summary"]
    statuses = {r.student.username: (r.result.status, r.result.percent) for r in summary.results}
    assert statuses == {
        "ada": (DrillStatus.PASSED, 100),
        "grace": (DrillStatus.DONE, 40),
        "linus": (DrillStatus.IN_PROGRESS, None),
    }
    assert summary.average == 70
    assert "70%" in response.content.decode()


def test_the_worksheet_prints_the_drills_questions_and_their_key():
    owner = teacher()
    drill = drill_for(class_of(owner), count=8)
    response = signed_in(owner).get(
        reverse("classrooms:worksheet", args=[drill.classroom_id, drill.pk])
    )
    quiz = response.context["quiz"]
    assert len(quiz) == 8
    html = response.content.decode()
    assert "Answer key" in html
    # The same worksheet each time: the drill's own seed.
    again = signed_in(owner).get(
        reverse("classrooms:worksheet", args=[drill.classroom_id, drill.pk])
    )
    assert again.context["quiz"] == quiz


# --- Dashboard and exports -------------------------------------------------------------------


def test_the_class_dashboard_has_the_heatmap_drills_hard_items_and_confusions():
    owner = teacher()
    ada, grace, linus = person("ada"), person("grace"), person("linus")
    classroom = class_of(owner, [ada, grace, linus])
    drill = drill_for(classroom, count=6)
    finish(services.drill_start(student=ada, drill=drill))
    finish(services.drill_start(student=grace, drill=drill), wrong=6)
    finish(services.drill_start(student=linus, drill=drill), wrong=2)
    response = signed_in(owner).get(classroom.get_absolute_url())
    dash = response.context["dash"]
    assert [row.student.username for row in dash.heatmap] == ["ada", "grace", "linus"]
    dates = next(c for c in dash.heatmap[0].cells if c.category.slug == "date-and-time")
    assert dates.practised >= 1
    assert dates.total == 4
    [summary] = dash.drills
    assert summary.finished == 3
    assert dash.hardest
    assert all(0 <= item.facility <= 1 for item in dash.hardest)
    assert dash.confusions  # grace's wrong answers
    html = response.content.decode()
    assert "Mastery by student and category" in html
    assert "Frequent confusions" in html


def test_the_item_statistics_page_lists_modules_and_clues():
    owner = teacher()
    ada = person("ada")
    classroom = class_of(owner, [ada])
    finish(services.drill_start(student=ada, drill=drill_for(classroom)))
    report = (
        signed_in(owner).get(reverse("classrooms:items", args=[classroom.pk])).context["report"]
    )
    assert sum(item.asked for item in report.modules) == 5
    assert sum(item.asked for item in report.clues) == 5


def test_a_teacher_reads_one_students_progress_and_one_categorys_modules():
    owner, ada = teacher(), person("ada")
    classroom = class_of(owner, [ada])
    finish(services.drill_start(student=ada, drill=drill_for(classroom)))
    student = signed_in(owner).get(reverse("classrooms:student", args=[classroom.pk, ada.pk]))
    assert student.context["dash"].total_answers == 5
    [(_drill, row)] = student.context["results"]
    assert row.result.status is DrillStatus.DONE
    category = signed_in(owner).get(
        reverse("classrooms:category", args=[classroom.pk, "date-and-time"])
    )
    assert [row["module"] for row in category.context["rows"]] == [
        "calendar",
        "datetime",
        "time",
        "zoneinfo",
    ]


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_downloads_open_cleanly_and_run_no_formula():
    owner = teacher()
    mallory = person("mallory")
    mallory.first_name = '=HYPERLINK("http://evil.example")'
    mallory.save()
    ada = person("ada")
    classroom = class_of(owner, [ada, mallory])
    finish(services.drill_start(student=ada, drill=drill_for(classroom)))
    drills = read_csv(
        signed_in(owner).get(reverse("classrooms:export_drills", args=[classroom.pk]))
    )
    assert drills[0][:5] == ["Drill", "Due", "Student", "Username", "Status"]
    names = [row[2] for row in drills[1:]]
    assert "Ada" in names
    assert '\'=HYPERLINK("http://evil.example")' in names
    heatmap = read_csv(
        signed_in(owner).get(reverse("classrooms:export_heatmap", args=[classroom.pk]))
    )
    assert heatmap[0][:3] == ["Student", "Username", "Built-In Functions"]
    assert len(heatmap) == 3
    assert all(cell.isdigit() for cell in heatmap[1][2:])


# --- Queries ---------------------------------------------------------------------------------


def students_add(classroom: Classroom, drill: Drill, numbers: range) -> None:
    """Students who join and take the drill, one answer wrong each."""
    for n in numbers:
        member = person(f"student{n}")
        services.classroom_join(student=member, code=classroom.join_code)
        finish(services.drill_start(student=member, drill=drill), wrong=1)


def test_teacher_pages_take_a_fixed_number_of_queries_for_3_students_or_30(
    django_assert_max_num_queries,
):
    owner = teacher()
    classroom = class_of(owner)
    drill = drill_for(classroom)
    students_add(classroom, drill, range(3))
    client = signed_in(owner)
    first = Membership.objects.filter(classroom=classroom).earliest("pk")
    # Each page's queries (session, user and profile included): the same at any size.
    pages = {
        classroom.get_absolute_url(): 11,  # on a first view; a repeat one makes 5
        reverse("classrooms:list"): 3,
        reverse("classrooms:items", args=[classroom.pk]): 5,
        reverse("classrooms:category", args=[classroom.pk, "date-and-time"]): 7,
        reverse("classrooms:student", args=[classroom.pk, first.student_id]): 12,
        drill.get_absolute_url(): 8,
        reverse("classrooms:worksheet", args=[classroom.pk, drill.pk]): 7,
        reverse("classrooms:export_drills", args=[classroom.pk]): 10,
        reverse("classrooms:export_heatmap", args=[classroom.pk]): 10,
        reverse("classrooms:edit", args=[classroom.pk]): 3,
        reverse("classrooms:drill_create", args=[classroom.pk]): 4,
    }

    def counts() -> dict[str, int]:
        found = {}
        for url, most in pages.items():
            with django_assert_max_num_queries(most) as queries:
                assert client.get(url).status_code == 200, url
            found[url] = len(queries)
        return found

    three = counts()
    students_add(classroom, drill, range(3, 30))
    assert counts() == three


def test_the_heatmap_is_rendered_once_for_its_rows_and_afresh_when_they_change():
    """The heatmap is kept rendered, keyed by its rows (and the class): a student's new card,
    a renamed student or another class never shows a heatmap rendered for other rows."""
    owner = teacher()
    ada = person("ada")
    classroom = class_of(owner, [ada])
    client = signed_in(owner)

    def heatmap_row() -> str:
        html = client.get(classroom.get_absolute_url()).content.decode()
        start = html.index('<th scope="row"><a href="/classes/')
        return html[start : html.index("</tr>", start)]

    assert '<span class="score">0</span>' in heatmap_row()
    CardFactory.create(learner=ada, module_name="datetime", stability=400)
    assert '<span class="score">25</span>' in heatmap_row()  # one of four dates mastered
    ada.first_name = "Augusta"
    ada.save()
    assert ">Augusta</a>" in heatmap_row()
    other = class_of(owner, [ada], name="Year 11")
    html = client.get(other.get_absolute_url()).content.decode()
    assert f"/classes/{other.pk}/students/{ada.pk}/" in html
    assert f"/classes/{classroom.pk}/students/" not in html
