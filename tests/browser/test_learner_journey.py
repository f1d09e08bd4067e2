"""A learner's journey in headless Chromium: practise as a visitor, sign up and keep it, review
what is due, change settings, log out; and the dashboard on a phone."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Profile
from accounts.progress import progress_changed
from catalogue.models import Module
from quizzes.models import AskedQuestion, Attempt, Card
from quizzes.questions import Kind
from tests.factories import AttemptFactory, UserFactory
from tests.quiz_helpers import PASSWORD

PHONE = {"width": 390, "height": 844}


def current_question(page: Page) -> AskedQuestion:
    match = re.search(r"/quiz/([0-9a-f-]+)/q/(\d+)/", page.url)
    assert match, page.url
    return AskedQuestion.objects.select_related("module").get(
        attempt__public_id=match.group(1), position=int(match.group(2))
    )


def answer_by_clicking(page: Page, *, right: bool) -> AskedQuestion:
    asked = current_question(page)
    if asked.kind == Kind.RECALL:
        page.get_by_label("Module name").fill(asked.right_answer if right else "nonsense")
        page.get_by_role("button", name="Answer").click()
    else:
        index = asked.options.index(asked.right_answer)
        if not right:
            index = (index + 1) % len(asked.options)
        page.locator("button.option").nth(index).click()
    expect(page.get_by_text("Right!" if right else "Not quite.")).to_be_visible()
    return asked


def take_quiz(page: Page, count: int, screenshots, prefix: str, wrong=()) -> set[str]:
    """Answer every question by mouse, to the results; returns the modules asked."""
    modules = set()
    for position in range(1, count + 1):
        expect(page.get_by_text(f"Question {position} of {count}")).to_be_visible()
        expect(page).to_have_url(re.compile(rf"/q/{position}/$"))
        modules.add(answer_by_clicking(page, right=position not in wrong).module.name)
        page.screenshot(path=screenshots / f"{prefix}-{position:02d}-feedback.png", full_page=True)
        last = position == count
        page.get_by_role("link", name="See your results" if last else "Next question").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    return modules


def sign_up(page: Page, username: str, role: str = "Student") -> None:
    """Sign up from the page's first "Sign up" link: the summary's offer to keep the progress,
    where there is one, else the navigation's."""
    offer = page.locator("#main").get_by_role("link", name="Sign up")
    if offer.count() == 0:
        offer = page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up")
    offer.click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label(role).check()


@pytest.mark.browser_context_args(timezone_id="Europe/Paris")
def test_practise_as_a_visitor_sign_up_keep_it_review_and_log_out(
    page: Page, catalogue_live_server, screenshots, assert_accessible
):
    base = catalogue_live_server.url
    # Practise as a visitor: a five-question quiz, one answer wrong.
    page.goto(base + "/practice/")
    page.get_by_label("Number of questions").fill("5")
    page.screenshot(path=screenshots / "01-practice.png", full_page=True)
    page.get_by_role("button", name="Start the quiz").click()
    practised = take_quiz(page, 5, screenshots, "02-visitor-quiz", wrong={3})
    expect(page.get_by_text("4 of 5 right")).to_be_visible()
    page.screenshot(path=screenshots / "03-visitor-summary.png", full_page=True)

    # The summary offers to keep the progress; signing up through its form brings it along.
    expect(page.get_by_role("heading", name="Keep your progress")).to_be_visible()
    sign_up(page, "grace", role="Student")
    assert_accessible(page)
    page.screenshot(path=screenshots / "04-signup.png", full_page=True)
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("heading", name="Hello, grace")).to_be_visible()
    expect(
        page.get_by_text("Your practice so far (1 quiz) is saved to your account.")
    ).to_be_visible()
    user = User.objects.get(username="grace")
    profile = Profile.objects.get(user=user)
    assert (profile.role, profile.time_zone) == ("student", "Europe/Paris")  # from the browser
    history = page.locator("table.history tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("4 / 5")
    expect(history.first.get_by_role("link", name=re.compile("Summary"))).to_be_visible()
    practised_total = sum(
        int(cell.split(" / ")[0])
        for cell in page.locator("table.mastery-table tbody td:nth-child(2)").all_inner_texts()
    )
    # A module can sit in several categories: every practised module is counted at least once
    # (a lookalike, asked only "standard library or not?", belongs to none).
    assert practised_total >= Module.objects.askable().filter(name__in=practised).count()
    assert Card.objects.filter(learner=user).count() == len(practised)
    expect(page.get_by_text(re.compile(r"80% right over (all your )?5 answers"))).to_be_visible()
    expect(page.get_by_text("1-day streak")).to_be_visible()
    page.screenshot(path=screenshots / "05-dashboard-after-signup.png", full_page=True)
    # The flash messages fail axe (see test_a_page_with_messages_passes_axe): check the
    # dashboard itself once they are gone.
    page.reload()
    expect(page.locator(".messages")).to_have_count(0)
    assert_accessible(page)

    # Time passes: three of the cards fall due.
    now = timezone.now()
    due_ones = sorted(practised)[:3]
    for hours, name in enumerate(due_ones):
        Card.objects.filter(learner=user, module__name=name).update(
            due=now - timedelta(days=1, hours=hours)
        )
    Card.objects.filter(learner=user).exclude(module__name__in=due_ones).update(
        due=now + timedelta(days=2)
    )
    # The cards were rescheduled behind the services' backs, which say so when they write.
    progress_changed(user.pk)
    page.reload()
    review_button = page.get_by_role("button", name="Review now (3 due)")
    expect(review_button).to_be_visible()
    page.screenshot(path=screenshots / "06-dashboard-reviews-due.png", full_page=True)

    review_button.click()
    expect(page.get_by_text("Question 1 of 3")).to_be_visible()
    # Most overdue first: the last of the three was moved back furthest.
    assert current_question(page).module.name == due_ones[-1]
    page.screenshot(path=screenshots / "07-review-question.png", full_page=True)
    reviewed = take_quiz(page, 3, screenshots, "08-review")
    assert reviewed == set(due_ones)
    expect(page.get_by_text("3 of 3 right")).to_be_visible()
    page.screenshot(path=screenshots / "09-review-summary.png", full_page=True)

    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("button", name=re.compile("Review now"))).to_have_count(0)
    expect(page.get_by_text("Nothing is due now.")).to_be_visible()
    expect(page.locator("table.history tbody tr")).to_have_count(2)
    expect(page.locator("table.history tbody tr").first).to_contain_text("Review")
    page.screenshot(path=screenshots / "10-dashboard-after-review.png", full_page=True)

    # Settings: the time zone.
    page.get_by_role("link", name="grace", exact=True).click()
    expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/Paris")
    assert_accessible(page)
    page.get_by_label("Your time zone").select_option(label="America/New York")
    page.screenshot(path=screenshots / "11-settings.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(page.get_by_label("Your time zone")).to_have_value("America/New_York")
    assert Profile.objects.get(user=user).time_zone == "America/New_York"
    page.screenshot(path=screenshots / "12-settings-saved.png", full_page=True)

    # Log out, then the log-in page.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_have_count(0)
    page.screenshot(path=screenshots / "13-logged-out.png", full_page=True)
    page.get_by_role("link", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=screenshots / "14-login.png", full_page=True)

    # And back in: the history is still there.
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("table.history tbody tr")).to_have_count(2)


def test_a_fresh_account_sees_the_first_run_dashboard(
    page: Page, catalogue_live_server, screenshots, assert_accessible
):
    page.goto(catalogue_live_server.url + "/")
    sign_up(page, "newcomer", role="Teacher")
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(
        page.get_by_role("heading", name="Welcome! Let's find out what you know")
    ).to_be_visible()
    expect(page.get_by_text("No quizzes yet.")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(0)
    assert Profile.objects.get(user__username="newcomer").role == "teacher"
    page.reload()  # without the welcome message, which fails axe on its own (see below)
    expect(page.locator(".messages")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=screenshots / "01-first-run-dashboard.png", full_page=True)

    page.get_by_role("link", name="Take your first quiz").click()
    expect(page.get_by_role("button", name="Start the quiz")).to_be_visible()


def learner_with_history(username: str) -> User:
    """Two weeks of practice, some of it due for review now."""
    user = UserFactory.create(username=username, profile__time_zone="Europe/Paris")
    now = timezone.now()
    names = ["json", "os", "re", "sys", "datetime", "pathlib", "collections", "itertools"]
    for days in range(1, 15, 2):
        modules = tuple(names[days % 4 : days % 4 + 5])
        AttemptFactory.create(
            learner=user,
            modules=modules,
            started_at=now - timedelta(days=days),
            answered=True,
            answered__wrong={m for i, m in enumerate(modules) if (i + days) % 3 == 0},
        )
    return user


def test_the_dashboard_on_a_phone(browser, catalogue_live_server, screenshots, assert_accessible):
    learner_with_history("pat")
    assert Attempt.objects.filter(learner__username="pat").count() == 7
    context = browser.new_context(viewport=PHONE, is_mobile=True, timezone_id="Europe/Paris")
    page = context.new_page()
    page.goto(catalogue_live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Hello, pat")).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("table.history tbody tr")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshots / "01-phone-dashboard.png", full_page=True)
    assert_accessible(page)
    context.close()


def test_a_page_with_messages_passes_axe(page: Page, catalogue_live_server, assert_accessible):
    UserFactory.create(username="sam")
    page.goto(catalogue_live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(catalogue_live_server.url + "/accounts/settings/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    assert_accessible(page)
