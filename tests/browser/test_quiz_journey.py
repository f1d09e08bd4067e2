"""Taking whole quizzes in headless Chromium: by keyboard, by mouse, and practising again."""

import re

from playwright.sync_api import Page, expect

from quizzes.models import AskedQuestion, Attempt
from quizzes.questions import Kind


def current_question(page: Page) -> AskedQuestion:
    match = re.search(r"/quiz/([0-9a-f-]+)/q/(\d+)/", page.url)
    assert match, page.url
    return AskedQuestion.objects.select_related("module").get(
        attempt__public_id=match.group(1), position=int(match.group(2))
    )


def start_quiz(page: Page, base_url: str, count: int) -> None:
    page.goto(base_url + "/practice/")
    page.get_by_label("Number of questions").fill(str(count))
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.get_by_text(f"Question 1 of {count}")).to_be_visible()


def test_a_ten_question_quiz_by_keyboard(
    page: Page, catalogue_live_server, screenshots, assert_accessible
):
    start_quiz(page, catalogue_live_server.url, 10)
    assert_accessible(page)
    kinds_seen = set()
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        expect(page).to_have_url(re.compile(rf"/q/{position}/$"))
        asked = current_question(page)
        kinds_seen.add(asked.kind)
        page.screenshot(path=screenshots / f"{position:02d}-question.png", full_page=True)
        if asked.kind == Kind.RECALL:
            box = page.get_by_label("Module name")
            expect(box).to_be_focused()
            box.press_sequentially(asked.right_answer.upper())
            box.press("Enter")
        else:
            page.keyboard.press(str(asked.options.index(asked.right_answer) + 1))
        expect(page.get_by_text("Right!")).to_be_visible()
        if position == 1:
            assert_accessible(page)
        page.screenshot(path=screenshots / f"{position:02d}-feedback.png", full_page=True)
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.get_by_text("10 of 10 right")).to_be_visible()
    assert Kind.RECALL in kinds_seen, kinds_seen
    page.screenshot(path=screenshots / "11-summary.png", full_page=True)
    assert_accessible(page)


def test_a_quiz_by_mouse_with_mistakes_then_practise_these_again(
    page: Page, catalogue_live_server, screenshots, assert_accessible
):
    start_quiz(page, catalogue_live_server.url, 10)
    missed = []
    for position in range(1, 11):
        expect(page.get_by_text(f"Question {position} of 10")).to_be_visible()
        expect(page).to_have_url(re.compile(rf"/q/{position}/$"))
        asked = current_question(page)
        wrong = position in {2, 3, 7}
        if asked.kind == Kind.RECALL:
            page.get_by_label("Module name").fill("nonsense" if wrong else asked.right_answer)
            page.get_by_role("button", name="Answer").click()
        else:
            index = asked.options.index(asked.right_answer)
            if wrong:
                index = (index + 1) % len(asked.options)
            page.locator("button.option").nth(index).click()
        expect(page.get_by_text("Not quite." if wrong else "Right!")).to_be_visible()
        if wrong:
            missed.append(asked.module.name)
            page.screenshot(path=screenshots / f"{position:02d}-wrong.png", full_page=True)
            if position == 2:
                assert_accessible(page)
        last = position == 10
        page.get_by_role("link", name="See your results" if last else "Next question").click()

    expect(page.get_by_text("7 of 10 right")).to_be_visible()
    for name in missed:
        expect(page.locator(".mistakes")).to_contain_text(name)
    page.screenshot(path=screenshots / "11-summary.png", full_page=True)

    page.get_by_role("button", name="Practise these again").click()
    distinct = len(set(missed))
    expect(page.get_by_text(f"Question 1 of {distinct}")).to_be_visible()
    retry = Attempt.objects.get(purpose=Attempt.Purpose.PRACTISE_AGAIN)
    assert {q.module.name for q in retry.questions.select_related("module")} == set(missed)
    page.screenshot(path=screenshots / "12-practise-again.png", full_page=True)


def test_practice_page_on_a_phone(browser, catalogue_live_server, screenshots, assert_accessible):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    start_quiz(page, catalogue_live_server.url, 5)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshots / "phone-question.png", full_page=True)
    assert_accessible(page)
    context.close()
