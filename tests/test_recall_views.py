"""Recall's "I don't know" and "I was right" as a browser uses them, with and without
JavaScript; the progress bar; the keys tip; clue code shown as code on the quiz pages."""

import re

import pytest
from django.contrib.auth.models import User
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from jinja2 import UndefinedError

from catalogue.templatetags.catalogue_tags import inline_code
from quizzes.models import Answer, AskedQuestion, Attempt, Card, ConfusionTally, ItemTally
from quizzes.questions import Kind
from quizzes.services import attempts
from tests.factories import AttemptFactory, UserFactory
from tests.quiz_helpers import on_card, right_response, signed_in, wrong_response
from tests.test_quiz_views import HTMX, answer_url, nth, question_url, visitor_of

pytestmark = pytest.mark.django_db

TYPO = "pathlb"


def correct_url(attempt: Attempt, position: int) -> str:
    return reverse("quizzes:correct", args=[attempt.public_id, position])


def summary_url(attempt: Attempt) -> str:
    return reverse("quizzes:summary", args=[attempt.public_id])


def recall_quiz(client: Client, *modules: str, learner: User | None = None) -> Attempt:
    """A recall quiz of these modules, the client's own: the learner's, or else its visitor's."""
    visitor = None if learner else visitor_of(client)
    return AttemptFactory.create(
        learner=learner, visitor_id=visitor, kinds=(Kind.RECALL,), modules=modules
    )


def choice_quiz(client: Client, *modules: str) -> Attempt:
    return AttemptFactory.create(
        learner=None, visitor_id=visitor_of(client), kinds=(Kind.WHICH_MODULE,), modules=modules
    )


def state(attempt: Attempt) -> tuple[object, ...]:
    """What a correction changes, to show that a refused one changed nothing."""
    attempt.refresh_from_db()
    answers = Answer.objects.filter(question__attempt=attempt).order_by("pk")
    return (
        attempt.correct_count,
        list(answers.values_list("is_correct", "corrected_at", "given")),
        list(ItemTally.objects.values_list("right", flat=True)),
        list(ConfusionTally.objects.values_list("times", flat=True)),
        list(Card.objects.values_list("due", "reviews", "lapses")),
    )


@pytest.fixture
def typo(client) -> Answer:
    """A visitor's recall of pathlib, typed with a typo, without JavaScript."""
    attempt = recall_quiz(client, "pathlib", "json")
    assert client.post(answer_url(attempt, 1), {"typed": TYPO}).status_code == 302
    return Answer.objects.select_related("question__attempt").get(question=nth(attempt, 1))


# --- I don't know -------------------------------------------------------------------------


def test_the_recall_form_offers_i_dont_know_after_the_answer_button(client):
    attempt = recall_quiz(client, "pathlib")
    html = client.get(question_url(attempt, 1)).content.decode()

    buttons = re.findall(r"<button[^>]*>[^<]*</button>", html[html.index('class="answer-form"') :])
    assert 'type="submit">Answer</button>' in buttons[0]  # Enter in the box answers
    assert 'name="dont_know"' in buttons[1]
    assert "formnovalidate" in buttons[1]  # the empty box must not stop it
    assert ">I don't know</button>" in buttons[1]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["without-js", "htmx"])
def test_i_dont_know_shows_the_answer_and_its_clues(client, headers):
    attempt = recall_quiz(client, "pathlib", "json")
    client.get(question_url(attempt, 1))

    response = client.post(answer_url(attempt, 1), {"typed": "", "dont_know": "1"}, **headers)

    if not headers:
        assert response.status_code == 302
        assert response["Location"] == question_url(attempt, 1)
        response = client.get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="card"') == bool(headers)
    assert "Here is the answer." in html
    assert "the answer is <code>pathlib</code>" in html
    asked = nth(attempt, 1)
    assert str(inline_code(asked.clue)) in html  # the clue the prompt hid the name of
    assert "I was right" not in html
    assert question_url(attempt, 2) in html
    answer = Answer.objects.get(question=asked)
    assert (answer.gave_up, answer.is_correct, answer.given) == (True, False, "")
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count) == (1, 0)


def test_i_dont_know_to_a_choice_question_is_a_400_and_writes_nothing(client):
    attempt = choice_quiz(client, "json")
    for headers in ({}, HTMX):
        response = client.post(answer_url(attempt, 1), {"dont_know": "1"}, **headers)
        assert response.status_code == 400
        assert on_card(attempts.GIVE_UP_RECALL_ONLY) in response.content.decode()
    assert not Answer.objects.exists()


# --- I was right --------------------------------------------------------------------------


def test_a_wrong_typed_name_offers_i_was_right(client, typo):
    attempt = typo.question.attempt
    html = client.get(question_url(attempt, 1)).content.decode()

    assert "Not quite." in html
    assert f"You typed <code>{TYPO}</code>; the answer is <code>pathlib</code>" in html
    assert f'action="{correct_url(attempt, 1)}"' in html
    assert "I was right</button>" in html


def test_no_i_was_right_after_a_right_answer_or_a_chosen_option(client):
    recall = recall_quiz(client, "pathlib")
    client.post(answer_url(recall, 1), {"typed": "pathlib"})
    choice = choice_quiz(client, "json")
    client.post(answer_url(choice, 1), wrong_response(nth(choice, 1)))

    for attempt in (recall, choice):
        html = client.get(question_url(attempt, 1)).content.decode()
        assert "I was right" not in html
        assert correct_url(attempt, 1) not in html


def test_i_was_right_without_javascript_redirects_to_the_answer_counted_right(client, typo):
    attempt = typo.question.attempt

    response = client.post(correct_url(attempt, 1))

    assert response.status_code == 302
    assert response["Location"] == question_url(attempt, 1)
    html = client.get(response["Location"]).content.decode()
    assert "Counted as right." in html
    assert f"You typed <code>{TYPO}</code> for <code>pathlib</code>" in html
    assert "corrected by you" in html
    assert "I was right</button>" not in html
    typo.refresh_from_db()
    assert (typo.is_correct, typo.given) == (True, TYPO)
    assert typo.corrected_at is not None
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count) == (1, 1)


def test_i_was_right_over_htmx_swaps_the_card(client, typo):
    attempt = typo.question.attempt

    response = client.post(correct_url(attempt, 1), {}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="card"')
    assert "<html" not in html
    assert "Counted as right." in html
    assert "data-next autofocus" in html  # the keyboard goes on from here
    attempt.refresh_from_db()
    assert attempt.correct_count == 1


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["without-js", "htmx"])
def test_a_second_i_was_right_is_a_409_and_changes_nothing(client, typo, headers):
    attempt = typo.question.attempt
    client.post(correct_url(attempt, 1))
    before = state(attempt)

    response = client.post(correct_url(attempt, 1), {}, **headers)

    assert response.status_code == 409
    html = response.content.decode()
    assert on_card(attempts.ALREADY_CORRECTED) in html
    assert "Counted as right." in html
    assert state(attempt) == before


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["without-js", "htmx"])
def test_i_was_right_is_refused_for_a_choice_a_right_answer_and_i_dont_know(client, headers):
    choice = choice_quiz(client, "json")
    client.post(answer_url(choice, 1), wrong_response(nth(choice, 1)))
    recall = recall_quiz(client, "pathlib", "json")
    client.post(answer_url(recall, 1), {"typed": "pathlib"})
    client.post(answer_url(recall, 2), {"dont_know": "1"})

    for attempt, position, message in (
        (choice, 1, attempts.CORRECTION_RECALL_ONLY),
        (recall, 1, attempts.CORRECTION_ALREADY_RIGHT),
        (recall, 2, attempts.CORRECTION_GAVE_UP),
    ):
        before = state(attempt)
        response = client.post(correct_url(attempt, position), {}, **headers)
        assert response.status_code == 409
        assert on_card(message) in response.content.decode()
        assert state(attempt) == before


def test_i_was_right_before_answering_is_a_409_and_writes_nothing(client):
    attempt = recall_quiz(client, "pathlib", "json")
    for position in (1, 2):
        response = client.post(correct_url(attempt, position))
        assert response.status_code == 409
        assert on_card(attempts.CORRECTION_UNANSWERED) in response.content.decode()
        assert "Question 1 of 2" in response.content.decode()  # the question to answer now
    assert not Answer.objects.exists()


def test_someone_elses_answer_cannot_be_corrected(client, typo):
    attempt = typo.question.attempt
    learner = UserFactory.create()
    their_attempt = recall_quiz(Client(), "pathlib", learner=learner)
    mine = signed_in(learner)
    mine.post(answer_url(their_attempt, 1), {"typed": TYPO})
    before = state(attempt), state(their_attempt)

    another_visitor = Client()
    visitor_of(another_visitor)
    for stranger, target in (
        (another_visitor, attempt),  # a visitor: another visitor's quiz
        (Client(), attempt),  # no session at all
        (signed_in(UserFactory.create()), attempt),  # a learner: a visitor's quiz
        (signed_in(UserFactory.create()), their_attempt),  # a learner: another learner's
        (client, their_attempt),  # a visitor: a learner's
    ):
        for headers in ({}, {"HX-Request": "true"}):
            assert stranger.post(correct_url(target, 1), headers=headers).status_code == 404
    assert (state(attempt), state(their_attempt)) == before


def test_malformed_or_missing_answers_are_a_404(client, typo):
    attempt = typo.question.attempt
    assert client.post(f"/quiz/{attempt.public_id}/q/one/correct/").status_code == 404
    assert client.post("/quiz/not-a-uuid/q/1/correct/").status_code == 404
    assert client.post("/quiz/00000000-0000-0000-0000-000000000000/q/1/correct/").status_code == (
        404
    )
    for position in (0, 3, 2**31):
        assert client.post(correct_url(attempt, position)).status_code == 404
    assert Answer.objects.get().corrected_at is None


def test_i_was_right_takes_only_a_post_with_its_csrf_token(client, typo):
    attempt = typo.question.attempt
    assert client.get(correct_url(attempt, 1)).status_code == 405
    assert client.head(correct_url(attempt, 1)).status_code == 405
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies
    assert csrf_client.post(correct_url(attempt, 1)).status_code == 403
    assert Answer.objects.get().corrected_at is None


def test_a_learners_correction_reschedules_their_card():
    learner = UserFactory.create()
    client = signed_in(learner)
    attempt = recall_quiz(client, "pathlib", learner=learner)
    client.get(question_url(attempt, 1))
    client.post(answer_url(attempt, 1), {"typed": TYPO})
    card = Card.objects.get(learner=learner)
    assert card.lapses == 1

    assert client.post(correct_url(attempt, 1), HTTP_HX_REQUEST="true").status_code == 200

    card.refresh_from_db()
    assert (card.reviews, card.lapses) == (1, 0)
    assert ItemTally.objects.get(learner=learner).right == 1


def test_i_was_right_query_count_is_pinned(client, typo, django_assert_max_num_queries):
    attempt = typo.question.attempt
    client.get(question_url(attempt, 1))  # warm the catalogue cache, as a running app would
    with django_assert_max_num_queries(10):
        assert client.post(correct_url(attempt, 1), {}, **HTMX).status_code == 200


# --- the summary ----------------------------------------------------------------------------


def finished_recall_quiz(client: Client) -> Attempt:
    """pathlib typed with a typo, json given up, os right: a summary with one of each."""
    attempt = recall_quiz(client, "pathlib", "json", "os")
    client.post(answer_url(attempt, 1), {"typed": TYPO})
    client.post(answer_url(attempt, 2), {"typed": "", "dont_know": "1"})
    client.post(answer_url(attempt, 3), right_response(nth(attempt, 3)))
    return attempt


def test_the_summary_offers_i_was_right_for_a_wrong_typed_name_only(client):
    attempt = finished_recall_quiz(client)

    html = client.get(summary_url(attempt)).content.decode()

    assert "<strong>1</strong> of 3 right" in html
    assert html.count("I was right</button>") == 1
    assert f'action="{correct_url(attempt, 1)}"' in html
    assert '<input type="hidden" name="then" value="summary">' in html
    assert "<dd>I don't know</dd>" in html  # json: given up
    assert "Corrected by you" not in html


def test_i_was_right_on_the_summary_lists_the_answer_as_corrected(client):
    attempt = finished_recall_quiz(client)

    response = client.post(correct_url(attempt, 1), {"then": "summary"})

    assert response.status_code == 302
    assert response["Location"] == summary_url(attempt)
    html = client.get(summary_url(attempt)).content.decode()
    assert "<strong>2</strong> of 3 right" in html
    corrected = html[html.index("<h2>Corrected by you</h2>") :]
    assert "corrected by you" in corrected
    assert f"<dt>You typed</dt><dd><code>{TYPO}</code></dd>" in corrected
    assert "<strong><code>pathlib</code></strong>" in corrected
    assert "I was right</button>" not in html
    mistakes = html[html.index("Mistakes to review") : html.index("<h2>Corrected by you</h2>")]
    assert TYPO not in mistakes
    assert "json" in mistakes


def test_a_second_i_was_right_on_the_summary_is_a_409(client):
    attempt = finished_recall_quiz(client)
    client.post(correct_url(attempt, 1), {"then": "summary"})
    before = state(attempt)

    response = client.post(correct_url(attempt, 1), {"then": "summary"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Your results" in html
    assert escape(attempts.ALREADY_CORRECTED) in html
    assert state(attempt) == before


def test_given_up_on_the_summary_is_refused_there(client):
    attempt = finished_recall_quiz(client)
    response = client.post(correct_url(attempt, 2), {"then": "summary"})
    assert response.status_code == 409
    assert "Your results" in response.content.decode()
    assert escape(attempts.CORRECTION_GAVE_UP) in response.content.decode()


# --- progress bar and keys tip ------------------------------------------------------------


def progress(html: str) -> tuple[str, str]:
    """The bar's width and what it tells a screen reader."""
    width = re.search(r'class="progress-bar" style="width: (\d+)%"', html)
    valuenow = re.search(r'aria-valuenow="(\d+)"', html)
    assert width, html[:500]
    assert valuenow, html[:500]
    return width.group(1), valuenow.group(1)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_the_progress_bar_fills_only_as_questions_are_answered(client, headers):
    attempt = choice_quiz(client, "json", "os", "re", "math", "csv")
    first = client.get(question_url(attempt, 1), **headers).content.decode()
    assert progress(first) == ("0", "0")
    for position in range(1, 5):
        client.post(answer_url(attempt, position), right_response(nth(attempt, position)))

    last = client.get(question_url(attempt, 5), **headers).content.decode()
    assert "Question 5 of 5" in last
    assert progress(last) == ("80", "4")
    assert 'aria-valuetext="4 of 5 answered"' in last

    answered = client.post(answer_url(attempt, 5), right_response(nth(attempt, 5)), **headers)
    if not headers:
        answered = client.get(answered["Location"])
    assert progress(answered.content.decode()) == ("100", "5")


def test_the_keys_tip_waits_for_javascript(client):
    attempt = choice_quiz(client, "json")
    html = client.get(question_url(attempt, 1)).content.decode()
    assert re.search(r'<p class="help keys-help" hidden>Tip: press <kbd>1</kbd>', html)


# --- clue code shown as code ----------------------------------------------------------------

CLUE = "Turns `dict` values into text, as `print` shows them."


def backticked(asked: AskedQuestion) -> None:
    """Give the question a clue and options with code in backticks, as the catalogue writes."""
    if Kind(asked.kind).asks_a_clue:
        asked.prompt = CLUE
        asked.clue = CLUE
    if asked.kind == Kind.WHAT_FOR:
        asked.options = [CLUE, "Reads `input` lines.", "Counts with `len`.", "Sorts with `sorted`."]
        asked.right_answer = CLUE
    elif asked.kind == Kind.WHICH_MODULE:
        asked.options = ["`json`", "`print`", "`os`", "`re`"]
        asked.option_modules = ["json", "", "os", "re"]
        asked.right_answer = "`json`"
    asked.save()


@pytest.mark.parametrize("kind", [Kind.WHICH_MODULE, Kind.WHAT_FOR, Kind.RECALL])
def test_clue_and_option_code_is_shown_as_code_on_every_quiz_page(client, kind):
    attempt = AttemptFactory.create(
        learner=None, visitor_id=visitor_of(client), kinds=(kind,), modules=("json",)
    )
    asked = nth(attempt, 1)
    backticked(asked)

    pages = [client.get(question_url(attempt, 1))]
    wrong = {"typed": "nonsense"} if kind == Kind.RECALL else {"choice": "1"}
    pages.append(client.post(answer_url(attempt, 1), wrong, **HTMX))
    pages.append(client.get(question_url(attempt, 1)))
    pages.append(client.get(summary_url(attempt)))

    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<code>print</code>" in html
        assert "`" not in html


def test_inline_code_escapes_before_it_marks_code():
    shown = str(inline_code("Say `<script>alert(1)</script>` & mind a stray ` here."))
    assert shown == (
        "Say <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> &amp; mind a stray ` here."
    )


def test_a_hostile_clue_is_escaped_on_the_question_page(client):
    attempt = recall_quiz(client, "json")
    asked = nth(attempt, 1)
    asked.prompt = "Stops `<script>alert(1)</script>` and a stray ` too."
    asked.save()
    html = client.get(question_url(attempt, 1)).content.decode()
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code> and a stray ` too." in html
    assert "<script>alert" not in html


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full-page", "htmx"])
def test_what_a_learner_typed_is_escaped_on_the_card(client, headers):
    attempt = recall_quiz(client, "json")
    typed = "<img src=x onerror='alert(1)'>"
    response = client.post(answer_url(attempt, 1), {"typed": typed}, follow=True, **headers)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not quite." in html
    assert "<img src=x" not in html
    assert f"You typed <code>{on_card(typed)}</code>" in html


def test_the_card_template_refuses_a_name_its_context_lacks():
    card = engines["jinja2"].from_string("{{ feedback.verdict }}")
    with pytest.raises(UndefinedError):
        card.render({})
