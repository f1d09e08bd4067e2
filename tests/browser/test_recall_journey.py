"""Recall in headless Chromium: "I don't know" by keyboard, a typo then "I was right", the
summary that shows the correction, and the same without JavaScript."""

import re

from playwright.sync_api import Browser, Page, expect

from quizzes.memory import rating_for
from quizzes.models import Answer, Attempt, Card
from quizzes.questions import Kind
from tests.factories import AttemptFactory, UserFactory
from tests.quiz_helpers import PASSWORD
from tests.test_cards import assert_card_is, fsrs_after

TYPO = "pathlb"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def recall_quiz(username: str, *modules: str) -> Attempt:
    learner = UserFactory.create(username=username)
    return AttemptFactory.create(learner=learner, kinds=(Kind.RECALL,), modules=modules)


def test_i_dont_know_by_keyboard_then_a_typo_counted_right(
    page: Page, catalogue_live_server, screenshots, assert_accessible
):
    base = catalogue_live_server.url
    attempt = recall_quiz("robin", "json", "pathlib", "os")
    log_in(page, base, "robin")
    page.goto(base + attempt.questions.get(position=1).get_absolute_url())

    # 1. json: not known. From the name box, Tab past "Answer" to "I don't know", then Enter.
    box = page.get_by_label("Module name")
    expect(box).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Answer")).to_be_focused()
    page.keyboard.press("Tab")
    dont_know = page.get_by_role("button", name="I don't know")
    expect(dont_know).to_be_focused()
    page.screenshot(path=screenshots / "01-question-dont-know-focused.png", full_page=True)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Here is the answer.")).to_be_visible()
    expect(page.locator(".feedback")).to_contain_text("the answer is json")
    expect(page.get_by_role("button", name="I was right")).to_have_count(0)
    page.screenshot(path=screenshots / "02-dont-know-feedback.png", full_page=True)
    assert_accessible(page)
    json_answer = Answer.objects.get(question__attempt=attempt, question__position=1)
    assert (json_answer.gave_up, json_answer.is_correct) == (True, False)

    # 2. pathlib, typed with a typo: wrong, until the learner says it was a typo.
    page.keyboard.press("Enter")
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/q/2/$"))
    box = page.get_by_label("Module name")
    expect(box).to_be_focused()
    box.press_sequentially(TYPO)
    box.press("Enter")
    expect(page.get_by_text("Not quite.")).to_be_visible()
    card = Card.objects.get(learner__username="robin", module__name="pathlib")
    assert (card.reviews, card.lapses) == (1, 1)
    page.screenshot(path=screenshots / "03-typo-feedback.png", full_page=True)
    assert_accessible(page)
    i_was_right = page.get_by_role("button", name="I was right")
    i_was_right.focus()
    page.keyboard.press("Enter")  # the button's own Enter, not "next question"
    expect(page.get_by_text("Counted as right.")).to_be_visible()
    expect(page.locator(".feedback")).to_contain_text(f"You typed {TYPO} for pathlib")
    expect(page).to_have_url(re.compile(r"/q/2/$"))
    page.screenshot(path=screenshots / "04-counted-right.png", full_page=True)
    assert_accessible(page)

    # 3. os, right; the bar shows 2 of 3 answered until it is.
    page.keyboard.press("Enter")
    expect(page.get_by_text("Question 3 of 3")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "2")
    page.get_by_label("Module name").press_sequentially("os")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Right!")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "3")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.get_by_text("2 of 3 right")).to_be_visible()
    corrected = page.get_by_role("heading", name="Corrected by you")
    expect(corrected).to_be_visible()
    expect(page.locator("ol.mistakes").last).to_contain_text(TYPO)
    expect(page.locator("ol.mistakes").first).to_contain_text("I don't know")
    page.screenshot(path=screenshots / "05-summary.png", full_page=True)
    assert_accessible(page)

    # The card is what answering pathlib right at that moment would have made it.
    typed = Answer.objects.get(question__attempt=attempt, question__position=2)
    assert (typed.is_correct, typed.given) == (True, TYPO)
    assert typed.corrected_at is not None
    card.refresh_from_db()
    rating = rating_for(kind=Kind.RECALL, is_correct=True, response_ms=typed.response_ms)
    assert_card_is(card, fsrs_after((rating, typed.answered_at)))
    assert (card.reviews, card.lapses) == (1, 0)
    json_card = Card.objects.get(learner__username="robin", module__name="json")
    assert (json_card.reviews, json_card.lapses) == (1, 1)
    attempt.refresh_from_db()
    assert attempt.correct_count == 2


def test_recall_and_its_corrections_without_javascript(
    browser: Browser, catalogue_live_server, screenshots
):
    base = catalogue_live_server.url
    attempt = recall_quiz("sam", "json", "pathlib", "os")
    choice = AttemptFactory.create(learner=attempt.learner, modules=("os",))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, "sam")

    # Without the script the keys do nothing, so their tip is not shown.
    page.goto(base + choice.questions.get().get_absolute_url())
    expect(page.locator("button.option")).to_have_count(4)
    expect(page.locator(".keys-help")).to_be_hidden()
    page.screenshot(path=screenshots / "01-choice-no-keys-tip.png", full_page=True)

    # "I don't know" with the box empty: the form is sent all the same.
    page.goto(base + attempt.questions.get(position=1).get_absolute_url())
    page.get_by_role("button", name="I don't know").click()
    expect(page.get_by_text("Here is the answer.")).to_be_visible()
    page.get_by_role("link", name="Next question").click()

    page.get_by_label("Module name").fill(TYPO)
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_text("Not quite.")).to_be_visible()
    page.get_by_role("button", name="I was right").click()
    expect(page.get_by_text("Counted as right.")).to_be_visible()
    # (axe runs as a script, so it cannot run here: the first journey checks these pages.)
    page.screenshot(path=screenshots / "02-counted-right-without-js.png", full_page=True)
    page.get_by_role("link", name="Next question").click()

    # A typo noticed only on the summary: corrected from there.
    page.get_by_label("Module name").fill("oss")
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_text("Not quite.")).to_be_visible()
    page.get_by_role("link", name="See your results").click()
    expect(page.get_by_text("1 of 3 right")).to_be_visible()
    expect(page.get_by_role("button", name="I was right")).to_have_count(1)  # os, not json
    page.screenshot(path=screenshots / "03-summary-without-js.png", full_page=True)
    page.get_by_role("button", name="I was right").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.get_by_text("2 of 3 right")).to_be_visible()
    corrected = page.locator("ol.mistakes").last
    expect(corrected).to_contain_text(TYPO)
    expect(corrected).to_contain_text("oss")
    expect(page.get_by_role("button", name="I was right")).to_have_count(0)
    page.screenshot(path=screenshots / "04-summary-corrected-without-js.png", full_page=True)
    context.close()

    # With the script, the tip is there.
    page = browser.new_page()
    log_in(page, base, "sam")
    page.goto(base + choice.questions.get().get_absolute_url())
    expect(page.locator(".keys-help")).to_be_visible()
    page.close()
