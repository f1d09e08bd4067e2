"""A teacher's journey in headless Chromium: create a class and a drill; a student follows the
join link, signs up, joins and takes the drill; the teacher sees the result on the class
dashboard and downloads it as CSV. And the teacher's pages on a phone."""

import csv
import io
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from classrooms.models import Classroom, Drill
from classrooms.services import code_display
from tests.browser.test_learner_journey import PHONE, answer_by_clicking
from tests.classroom_helpers import PASSWORD, class_of, drill_for, drill_started, person, teacher

pytestmark = pytest.mark.browser_context_args(timezone_id="Europe/London")


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def fits_the_width(page: Page) -> bool:
    """Nothing wider than the window: the page scrolls only down (tables scroll inside)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_class_a_drill_a_student_who_joins_and_takes_it_and_the_results(
    page: Page, browser: Browser, catalogue_live_server, screenshots, assert_accessible
):
    base = catalogue_live_server.url
    teacher("mrs-hopper", time_zone="Europe/London")

    # The teacher creates a class from the Classes page.
    log_in(page, base, "mrs-hopper")
    page.get_by_role("link", name="Classes").click()
    expect(page.get_by_role("heading", name="Start your first class")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshots / "01-no-classes-yet.png", full_page=True)
    page.get_by_role("link", name="Create a class").click()
    page.get_by_label("Class name").fill("Year 10 Python")
    page.get_by_label("Description (optional)").fill("Tuesdays, room 4")
    page.get_by_role("button", name="Create the class").click()
    expect(page.get_by_role("heading", name="Year 10 Python")).to_be_visible()
    classroom = Classroom.objects.get(name="Year 10 Python")
    expect(page.locator(".join-code")).to_have_text(code_display(classroom.join_code))
    page.screenshot(path=screenshots / "02-class-created.png", full_page=True)

    # ... and assigns a drill on dates and times, five questions, due next week.
    page.get_by_role("link", name="Assign a drill").click()
    page.get_by_label("Title").fill("Dates drill")
    page.get_by_label("Date and Time", exact=True).check()
    page.get_by_label("Number of questions").fill("5")
    page.get_by_label("Pass mark, in percent (optional)").fill("60")
    assert_accessible(page)
    page.screenshot(path=screenshots / "03-drill-form.png", full_page=True)
    page.get_by_role("button", name="Assign the drill").click()
    expect(page.get_by_role("heading", name="Dates drill")).to_be_visible()
    drill = Drill.objects.get(title="Dates drill")
    assert (drill.question_count, drill.pass_mark) == (5, 60)
    assert list(drill.categories.values_list("slug", flat=True)) == ["date-and-time"]
    # The class's page gives the join link to send to students.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Year 10 Python"
    ).click()
    join_link = page.locator("#join a").get_attribute("href") or ""
    assert join_link == f"{base}/join/{classroom.join_code}/"

    # A student, not signed up yet, follows the link: sign up, come back, join.
    student_context = browser.new_context(timezone_id="America/New_York")
    student = student_context.new_page()
    student.goto(join_link)
    expect(student.get_by_role("heading", name="Log in")).to_be_visible()
    student.locator("#main").get_by_role("link", name="Sign up").click()
    student.get_by_label("Username").fill("ada")
    student.get_by_label("Email").fill("ada@example.com")
    student.get_by_label("Password:", exact=True).fill(PASSWORD)
    student.get_by_label("Password confirmation").fill(PASSWORD)
    student.get_by_label("Student").check()
    student.get_by_role("button", name="Create my account").click()
    expect(student.get_by_role("heading", name="Join Year 10 Python")).to_be_visible()
    expect(student.get_by_label("Join code")).to_have_value(classroom.join_code)
    assert_accessible(student)
    student.screenshot(path=screenshots / "04-student-join.png", full_page=True)
    student.get_by_role("button", name="Join the class").click()
    expect(student.get_by_text("You have joined Year 10 Python.")).to_be_visible()

    # The drill waits on the dashboard; the student takes it, one answer wrong.
    drills = student.locator(".my-drills")
    expect(drills).to_contain_text("Dates drill")
    student.screenshot(path=screenshots / "05-student-dashboard.png", full_page=True)
    drills.get_by_role("button", name="Start Dates drill").click()
    for position in range(1, 6):
        expect(student.get_by_text(f"Question {position} of 5")).to_be_visible()
        answer_by_clicking(student, right=position != 2)
        name = "See your results" if position == 5 else "Next question"
        student.get_by_role("link", name=name).click()
    expect(student.get_by_text("4 of 5 right")).to_be_visible()
    student.screenshot(path=screenshots / "06-student-drill-done.png", full_page=True)
    student.goto(base + "/dashboard/")
    expect(drills).to_contain_text("Passed")
    student_context.close()

    # The teacher sees the result on the class dashboard and the drill's page.
    page.goto(base + classroom.get_absolute_url())
    expect(page.locator(".drill-list")).to_contain_text("1 of 1 done · average 80%")
    heatmap = page.locator("table.heatmap")
    expect(heatmap.get_by_role("rowheader", name="ada")).to_be_visible()
    expect(page.get_by_role("heading", name="Where the class struggles")).to_be_visible()
    page.reload()  # the flash messages gone
    assert_accessible(page)
    page.screenshot(path=screenshots / "07-class-dashboard.png", full_page=True)
    page.get_by_role("link", name="Dates drill").click()
    row = page.locator("table.drill-results tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Passed")
    expect(row).to_contain_text("80%")
    assert_accessible(page)
    page.screenshot(path=screenshots / "08-drill-results.png", full_page=True)

    # ... and downloads the results as CSV: UTF-8 with a BOM, one row for ada.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download results (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "Year 10 Python drills.csv"
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Drill", "Due", "Student", "Username", "Status"]
    assert rows[1][2:6] == ["ada", "ada", "Passed", "80"]


@pytest.fixture
def busy_class(catalogue_db):
    """A class of three with a drill two of them have done (one half-way through)."""
    owner = teacher("mrs-hopper", time_zone="Europe/London")
    names = ["ada", "grace", "linus"]
    students = [person(name) for name in names]
    classroom = class_of(owner, students, name="Year 10 Python")
    drill = drill_for(classroom, count=5, pass_mark=60)
    for student, answered in zip(students, (5, 2), strict=False):
        drill_started(drill, student, answered=answered, category="date-and-time")
    return classroom, drill


@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 1280, "height": 900}], ids=["phone", "laptop"]
)
def test_the_teachers_pages_look_finished_on_a_phone_and_a_laptop(
    browser: Browser, catalogue_live_server, busy_class, screenshots, assert_accessible, viewport
):
    classroom, drill = busy_class
    context = browser.new_context(viewport=viewport, timezone_id="Europe/London")
    page = context.new_page()
    log_in(page, catalogue_live_server.url, "mrs-hopper")
    pages = {
        "class": classroom.get_absolute_url(),
        "drill": drill.get_absolute_url(),
        "items": f"{classroom.get_absolute_url()}items/",
        "list": "/classes/",
        "new-drill": f"{classroom.get_absolute_url()}drills/new/",
    }
    for name, path in pages.items():
        page.goto(catalogue_live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        assert fits_the_width(page), name
        assert_accessible(page)
        page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    context.close()
