"""Every kind of page, on a 390-pixel phone and a 1280-pixel laptop, in the light and the dark
colour scheme: nothing scrolls sideways, axe finds nothing (text contrast included), and a
screenshot of each is kept. On a phone the navigation folds under "Menu"."""

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from classrooms.models import Classroom
from quizzes.models import Attempt
from quizzes.services import attempts
from tests.browser.test_learner_journey import learner_with_history
from tests.classroom_helpers import class_of, drill_for, drill_started, person, teacher
from tests.factories import AttemptFactory, CardFactory
from tests.quiz_helpers import PASSWORD, right_value, wrong_value

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
# A spread of memory strengths (FSRS stability, in days): every mastery level shows.
STABILITIES = (0.5, 3.0, 12.0, 45.0)
DATES = ("calendar", "datetime", "time", "zoneinfo")


def quizzes_of(learner: User) -> tuple[Attempt, Attempt]:
    """A quiz half done (first answer wrong, second right) and a finished one, one wrong."""
    half_done = AttemptFactory.create(learner=learner, modules=("json", "os", "re", "sys", "csv"))
    questions = list(half_done.questions.order_by("position"))
    attempts.answer_record(asked=questions[0], response=wrong_value(questions[0]))
    attempts.answer_record(asked=questions[1], response=right_value(questions[1]))
    finished = AttemptFactory.create(
        learner=learner,
        modules=("pathlib", "shutil", "glob", "heapq"),
        answered=True,
        answered__wrong={"shutil"},
    )
    return half_done, finished


def class_with_levels() -> Classroom:
    """A class of three whose heatmap shows every level, with a drill two have started."""
    students = [person(name) for name in ("ada", "grace", "linus")]
    classroom = class_of(teacher("mrs-hopper"), students, name="Year 10 Python")
    drill = drill_for(classroom, count=5)
    # Dates and times: ada familiar, grace proficient, linus mastered; json attempted by all.
    for student, stability in zip(students, STABILITIES[1:], strict=True):
        for name in DATES:
            CardFactory.create(learner=student, module_name=name, stability=stability)
        CardFactory.create(learner=student, module_name="json", stability=STABILITIES[0])
    for student in students[:2]:
        drill_started(drill, student, answered=2, category="date-and-time")
    return classroom


TOO_WIDE = """width => [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .filter(e => getComputedStyle(e).position === "absolute" || !e.closest(".table-scroll *"))
    .slice(0, 8)
    .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right | 0}`)"""


def too_wide(page: Page, width: int) -> list[str]:
    """The first elements that stick out past the window's right edge: what to fix. Inside a
    table's scrolling region only those positioned absolutely count (they escape it unless
    it is their containing block)."""
    return page.evaluate(TOO_WIDE, width)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_page_fits_and_passes_axe(
    browser: Browser,
    catalogue_live_server,
    screenshots,
    assert_accessible,
    viewport,
    scheme,
):
    base = catalogue_live_server.url
    learner = learner_with_history("pat")
    for name, stability in zip(("json", "re", "os", "sys"), STABILITIES, strict=True):
        CardFactory.create(learner=learner, module_name=name, stability=stability)
    half_done, finished = quizzes_of(learner)
    classroom = class_with_levels()
    phone = viewport is PHONE
    context = browser.new_context(
        viewport=viewport, is_mobile=phone, color_scheme=scheme, timezone_id="Europe/London"
    )
    page = context.new_page()
    shot = 0

    def check(name: str, path: str | None = None, status: int = 200) -> None:
        """Open the page (unless already there); it fits, passes axe, and is photographed."""
        nonlocal shot
        if path is not None:
            response = page.goto(base + path)
            assert response is not None
            assert response.status == status, path
        expect(page.locator("h1")).to_be_visible()
        # Against the viewport asked for: a phone's browser widens its layout to fit the page.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, width, too_wide(page, viewport["width"]))
        assert_accessible(page)
        shot += 1
        page.screenshot(path=screenshots / f"{shot:02d}-{name}.png", full_page=True)

    # A visitor's pages.
    check("catalogue", "/")
    menu = page.locator("summary.nav-toggle")
    practise = page.get_by_role("navigation", name="Main").get_by_role("link", name="Practise")
    if phone:
        # One row: the brand and "Menu"; the links unfold under it, by mouse or keyboard.
        expect(practise).to_be_hidden()
        header = page.locator(".site-header").bounding_box()
        assert header is not None
        assert header["height"] < 80
        menu.click()
        expect(practise).to_be_visible()
        check("navigation")
        menu.focus()
        page.keyboard.press("Enter")
        expect(practise).to_be_hidden()
    else:
        # Unchanged on a laptop: the links in a row, no "Menu", reached by the keyboard.
        expect(menu).to_be_hidden()
        expect(practise).to_be_visible()
        page.locator(".brand").focus()
        page.keyboard.press("Tab")
        expect(page.get_by_role("navigation", name="Main").get_by_text("Catalogue")).to_be_focused()
        check("navigation")
    check("module", "/modules/json/")
    check("category", "/categories/date-and-time/")
    check("search", "/search/?q=compress")
    page.goto(base + "/practice/")
    page.get_by_label("Number of questions").focus()  # its focus ring in the screenshot
    check("practice")
    check("not-found-module", "/modules/nosuchmodule/", status=404)
    check("not-found-quiz", f"/quiz/{uuid.uuid4()}/q/1/", status=404)
    check("signup", "/accounts/signup/")
    check("login", "/accounts/login/")

    # The learner's: a quiz mid-way, its feedback, a summary, the dashboard, a message.
    log_in(page, base, "pat")
    check("question-wrong-feedback", f"/quiz/{half_done.public_id}/q/1/")
    check("question-right-feedback", f"/quiz/{half_done.public_id}/q/2/")
    check("question", f"/quiz/{half_done.public_id}/q/3/")
    check("summary", f"/quiz/{finished.public_id}/summary/")
    check("dashboard", "/dashboard/")
    expect(page.locator("table.history tbody tr")).to_have_count(9)
    page.goto(base + "/accounts/settings/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    check("settings-saved")

    # The teacher's class dashboard.
    context.clear_cookies()
    log_in(page, base, "mrs-hopper")
    check("class-dashboard", classroom.get_absolute_url())
    expect(page.locator("table.heatmap td.heat")).to_have_count(3 * 24)
    context.close()


def test_a_quiz_started_a_while_ago_in_another_browser(page: Page, catalogue_live_server):
    """The 404 of a quiz says so, in the layout, and offers a new one."""
    attempt = AttemptFactory.create(count=3, started_at=timezone.now() - timedelta(days=40))
    response = page.goto(f"{catalogue_live_server.url}/quiz/{attempt.public_id}/q/1/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("This quiz doesn't exist or has expired.")).to_be_visible()
    page.get_by_role("link", name="Start a new quiz").click()
    expect(page.get_by_role("heading", name="Practise", level=1)).to_be_visible()
