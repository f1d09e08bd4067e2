"""A learner browses the catalogue in headless Chromium, on a laptop and on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from catalogue.models import Clue
from catalogue.search import search_catalogue
from catalogue.snapshot import get_catalogue
from quizzes.models import Attempt

PHONE = {"width": 390, "height": 844}


def test_search_by_a_word_of_its_description_then_open_the_module(
    page: Page, catalogue_live_server, screenshots, assert_accessible
):
    page.goto(catalogue_live_server.url)
    expect(page.get_by_role("heading", name="Categories")).to_be_visible()
    expect(page.get_by_role("link", name="Date and Time")).to_be_visible()
    page.screenshot(path=screenshots / "1-catalogue.png", full_page=True)
    assert_accessible(page)

    # Typing is enough: HTMX fetches the results without a page load.
    page.get_by_label("Search modules by name or by what they do").press_sequentially("dirname")
    results = page.locator("#results")
    matches = len(search_catalogue(get_catalogue(), "dirname"))
    assert matches >= 2  # os.path and pathlib, at least
    expect(results).to_contain_text(f"{matches} modules match")
    expect(results.get_by_role("link", name="os.path")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/\?q=dirname$"))
    page.screenshot(path=screenshots / "2-live-results.png", full_page=True)
    assert_accessible(page)

    results.get_by_role("link", name="os.path").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("os.path")
    summary = Clue.objects.get(modules__name="os.path", is_summary=True)
    expect(page.locator(".clue-list").first).to_contain_text(summary.text.replace("`", ""))
    expect(page.get_by_role("link", name="Read the documentation for os.path")).to_have_attribute(
        "href", "https://docs.python.org/3/library/os.path.html"
    )
    page.screenshot(path=screenshots / "3-module.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="File and Directory Access").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("File and Directory Access")
    page.screenshot(path=screenshots / "4-category.png", full_page=True)
    assert_accessible(page)


def test_search_works_as_a_plain_form_without_javascript(
    browser, catalogue_live_server, screenshots
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(catalogue_live_server.url)
    page.get_by_label("Search modules by name or by what they do").fill("leap year")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=leap\+year$"))
    expect(page.locator("#results").get_by_role("link", name="calendar")).to_be_visible()
    page.screenshot(path=screenshots / "1-no-js-results.png", full_page=True)
    context.close()


@pytest.mark.parametrize("path", ["/", "/modules/concurrent.futures/", "/search/?q=compress"])
def test_pages_fit_a_phone(browser, catalogue_live_server, screenshots, assert_accessible, path):
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(catalogue_live_server.url + path)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    name = path.strip("/").replace("/", "-").replace("?", "-") or "home"
    page.screenshot(path=screenshots / f"phone-{name}.png", full_page=True)
    assert_accessible(page)
    context.close()


def test_unknown_module_shows_the_friendly_404(page: Page, catalogue_live_server, screenshots):
    response = page.goto(catalogue_live_server.url + "/modules/nosuchthing/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We couldn't find that page")
    page.screenshot(path=screenshots / "404.png", full_page=True)


@pytest.mark.parametrize(
    ("typed", "first"), [("regex", "re"), ("timezone", "datetime"), ("datetme", "datetime")]
)
def test_search_by_what_people_type_then_practise_the_module(
    page: Page, catalogue_live_server, screenshots, assert_accessible, typed, first
):
    """A common name, a synonym or a typo finds the module, first; its page starts a quiz of it
    in one click."""
    page.goto(catalogue_live_server.url + "/search/")
    page.get_by_label("Search modules by name or by what they do").press_sequentially(typed)
    cards = page.locator("#results .module-grid > li")
    expect(cards.first.get_by_role("heading")).to_have_text(first)
    expect(cards.first.locator(".match-reason")).not_to_be_empty()
    page.screenshot(path=screenshots / f"1-search-{typed}.png", full_page=True)
    assert_accessible(page)

    cards.first.get_by_role("link", name=first, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first)
    page.get_by_role("button", name=f"Practise this module {first}").click()
    expect(page).to_have_url(re.compile(r"/quiz/[0-9a-f-]+/q/1/$"))
    expect(page.get_by_text(re.compile(r"Question 1 of \d+"))).to_be_visible()
    quiz = Attempt.objects.latest("started_at")
    asked = {q.module for q in quiz.questions.select_related("module")}
    # "Standard library or not?" may pair it with a lookalike, to teach the difference.
    assert {module.name for module in asked if not module.is_lookalike} == {first}
    page.screenshot(path=screenshots / "2-quiz-of-the-module.png", full_page=True)
