"""The learner's loop in headless Chromium, in light and dark mode: numbers that agree (the
lapsed streak, the weakest modules, a review capped at twenty), "Practise this" from a category
page and a mastery row, the daily goal and its celebration, the quiz left unfinished, the whole
history a page at a time, and a visitor's invitation to keep their progress."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from quizzes.models import Attempt
from quizzes.questions import QuizSettings
from tests.browser.test_learner_journey import PHONE, answer_by_clicking
from tests.factories import AttemptFactory, CardFactory, UserFactory
from tests.quiz_helpers import PASSWORD

LAPTOP = {"width": 1280, "height": 900}
MODES = [("light", PHONE), ("dark", PHONE), ("light", LAPTOP), ("dark", LAPTOP)]
MODE_IDS = ["phone-light", "phone-dark", "laptop-light", "laptop-dark"]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def lapsed_learner(username: str) -> User:
    """Four days in a row ending three days ago, a goal of 5 a day, and 23 modules due."""
    user = UserFactory.create(
        username=username, profile__time_zone="Europe/Paris", profile__daily_goal=5
    )
    now = timezone.now()
    # At noon, Paris time: the quiz's answers (a second apart) fall on the day it started.
    noon = timezone.localtime(now, ZoneInfo("Europe/Paris")).replace(hour=12, minute=0)
    for days_ago in (3, 4, 5, 6):
        AttemptFactory.create(
            learner=user,
            modules=("json", "os"),
            started_at=noon - timedelta(days=days_ago),
            answered=True,
            answered__wrong=("os",) if days_ago == 3 else (),
        )
    names = ["re", "sys", "time", "datetime", "calendar", "math", "random", "pathlib", "shutil"]
    names += ["glob", "csv", "sqlite3", "zipfile", "gzip", "hashlib", "secrets", "logging"]
    names += ["unittest", "argparse", "subprocess", "threading"]
    for n, name in enumerate(names):
        CardFactory.create(learner=user, module_name=name, due=now - timedelta(hours=n + 1))
    return user


def take(page: Page, count: int) -> None:
    for position in range(1, count + 1):
        expect(page.get_by_text(re.compile(rf"Question {position} of \d+"))).to_be_visible()
        answer_by_clicking(page, right=True)
        last = page.get_by_role("link", name="See your results")
        if last.count():
            last.click()
            return
        page.get_by_role("link", name="Next question").click()


@pytest.mark.parametrize(("scheme", "viewport"), MODES, ids=MODE_IDS)
def test_the_dashboards_numbers_agree_and_lead_to_practice(
    browser: Browser, catalogue_live_server, screenshots, assert_accessible, scheme, viewport
):
    base = catalogue_live_server.url
    user = lapsed_learner(f"lin-{scheme}-{viewport['width']}")
    context = browser.new_context(
        viewport=viewport, color_scheme=scheme, timezone_id="Europe/Paris"
    )
    page = context.new_page()
    log_in(page, base, user.username)

    # The lapsed streak says how long it was and when it ended; the review says it is capped.
    lead = page.locator(".dash-header .lead")
    expect(lead).to_contain_text(
        "No streak right now. Your longest streak: 4 days, ended 3 days ago."
    )
    expect(page.get_by_role("button", name="Review 20 of 23 due")).to_be_visible()
    expect(page.get_by_text("the next review takes the next 20")).to_be_visible()
    # os was answered wrong last: weakest, shown with when it comes back, never a percentage.
    weakest = page.locator("ol.weakest li")
    expect(weakest.first).to_contain_text("os")
    expect(page.locator("ol.weakest")).not_to_contain_text("likely remembered")
    expect(page.get_by_text("0 of 5 questions today.")).to_be_visible()
    fits(page)
    assert_accessible(page)
    page.screenshot(path=screenshots / "01-dashboard.png", full_page=True)
    page.locator("section:has(#mastery-heading)").screenshot(path=screenshots / "01b-mastery.png")

    # A mastery row's "Practise" starts a quiz of that category with the usual settings.
    page.get_by_role("button", name="Practise Date and Time").click()
    expect(page).to_have_url(re.compile(r"/quiz/[0-9a-f-]+/q/1/$"))
    attempt = Attempt.objects.filter(learner=user).latest("started_at")
    assert QuizSettings.from_json(attempt.settings).categories == ("date-and-time",)
    fits(page)
    page.screenshot(path=screenshots / "02-practise-this-question.png", full_page=True)
    take(page, attempt.question_count)

    # The goal of 5 is reached by this quiz: the summary celebrates.
    expect(
        page.get_by_role("heading", name=re.compile("Daily goal reached!|A new personal best!"))
    ).to_be_visible()
    fits(page)
    assert_accessible(page)
    page.screenshot(path=screenshots / "03-summary-goal.png", full_page=True)
    context.close()


@pytest.mark.parametrize(("scheme", "viewport"), MODES[:2], ids=MODE_IDS[:2])
def test_a_visitor_continues_a_quiz_left_half_done_and_is_offered_to_keep_it(
    browser: Browser, catalogue_live_server, screenshots, assert_accessible, scheme, viewport
):
    base = catalogue_live_server.url
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()

    # From a category page: one click to a quiz of it.
    page.goto(base + "/categories/date-and-time/")
    page.get_by_role("button", name="Practise this category").click()
    expect(page.get_by_text(re.compile(r"Question 1 of \d+"))).to_be_visible()
    answer_by_clicking(page, right=True)

    # Away and back: the practice page offers the quiz left unfinished, categories folded.
    page.goto(base + "/practice/")
    expect(page.get_by_role("heading", name="Continue your quiz")).to_be_visible()
    expect(page.locator("details.categories")).not_to_have_attribute("open", "")
    fits(page)
    assert_accessible(page)
    page.screenshot(path=screenshots / "01-practice-continue.png", full_page=True)
    page.get_by_role("link", name="Continue the quiz").click()
    expect(page).to_have_url(re.compile(r"/q/2/$"))
    attempt = Attempt.objects.get()
    for position in range(2, attempt.question_count + 1):
        expect(page.get_by_text(f"Question {position} of {attempt.question_count}")).to_be_visible()
        expect(page).to_have_url(re.compile(rf"/q/{position}/$"))
        answer_by_clicking(page, right=position % 2 == 0)
        name = "See your results" if position == attempt.question_count else "Next question"
        page.get_by_role("link", name=name).click()

    expect(page.get_by_role("heading", name="Keep your progress")).to_be_visible()
    fits(page)
    assert_accessible(page)
    page.screenshot(path=screenshots / "02-visitor-summary.png", full_page=True)
    context.close()


def test_the_whole_history_a_page_at_a_time(
    page: Page, catalogue_live_server, screenshots, assert_accessible
):
    user = UserFactory.create(username="hana", profile__time_zone="Europe/Paris")
    now = timezone.now()
    for n in range(30):
        AttemptFactory.create(
            learner=user, modules=("json",), started_at=now - timedelta(hours=n), answered=True
        )
    log_in(page, catalogue_live_server.url, "hana")
    page.get_by_role("link", name="All your quizzes").click()
    expect(page.get_by_text("30 quizzes, newest first: page 1 of 2.")).to_be_visible()
    expect(page.locator("table.history tbody tr")).to_have_count(25)
    assert_accessible(page)
    page.get_by_role("link", name="Older").click()
    expect(page.locator("table.history tbody tr")).to_have_count(5)
    page.screenshot(path=screenshots / "01-history-page-2.png", full_page=True)
