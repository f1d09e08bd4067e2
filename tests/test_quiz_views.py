"""Taking a quiz as a browser does it: plain forms and HTMX, bad input, other people's attempts."""

import re
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.visitors import VISITOR_SESSION_KEY
from catalogue.models import Clue, Module
from catalogue.templatetags.catalogue_tags import inline_code
from quizzes.models import Answer, AskedQuestion, Attempt
from quizzes.questions import Kind
from quizzes.services import attempts
from tests.factories import AnswerFactory, AttemptFactory, UserFactory
from tests.quiz_helpers import (
    ALL_KINDS,
    finish,
    on_card,
    right_response,
    signed_in,
    start,
    wrong_response,
)

pytestmark = pytest.mark.django_db

DATE_AND_TIME = {"calendar", "datetime", "time", "zoneinfo"}

HTMX = {"HTTP_HX_REQUEST": "true"}


def question_url(attempt: Attempt, position: int) -> str:
    return reverse("quizzes:question", args=[attempt.public_id, position])


def answer_url(attempt: Attempt, position: int) -> str:
    return reverse("quizzes:answer", args=[attempt.public_id, position])


def nth(attempt: Attempt, position: int) -> AskedQuestion:
    return attempt.questions.get(position=position)


@pytest.fixture
def attempt(client) -> Attempt:
    return start(client)


# --- starting -----------------------------------------------------------------------------


def test_practice_page_offers_categories_kinds_difficulty_and_count(client):
    response = client.get(reverse("quizzes:practice"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Date and Time" in html
    for kind in Kind:
        assert kind.label in html
    assert 'name="difficulty"' in html
    assert 'name="count"' in html


def test_starting_a_quiz_stores_its_settings_seed_and_questions(client):
    attempt = start(client, categories=["date-and-time"], count=5, kinds=["which_module", "stdlib"])

    assert attempt.question_count == 5
    assert attempt.settings["categories"] == ["date-and-time"]
    assert set(attempt.settings["kinds"]) == {"which_module", "stdlib"}
    assert attempt.learner is None
    assert attempt.visitor_id is not None
    questions = list(
        attempt.questions.select_related("module").prefetch_related("module__categories")
    )
    assert [q.position for q in questions] == [1, 2, 3, 4, 5]
    assert {q.kind for q in questions} <= {"which_module", "stdlib"}
    for q in questions:
        # "Standard library or not?" may pair a module with a lookalike of it (pytz, zoneinfo).
        category = "date-and-time" in [c.slug for c in q.module.categories.all()]
        resembles = q.module.resembles.name if q.module.resembles else None
        assert category or (q.kind == "stdlib" and resembles in DATE_AND_TIME)


@pytest.mark.parametrize(
    "fields",
    [
        {"count": 4},
        {"count": 51},
        {"count": "ten"},
        {"count": "9" * 500},
        {"count": ""},
        {"kinds": []},
        {"kinds": ["nonsense"]},
        {"difficulty": "impossible"},
        {"categories": ["no-such-category"]},
        # tkinter, alone in its category, has too few close relatives for hard questions.
        {"categories": ["graphical-user-interfaces"], "kinds": ["which_use"], "difficulty": "hard"},
    ],
)
def test_bad_practice_settings_are_a_400_and_start_nothing(client, fields):
    data = {"count": 10, "kinds": ALL_KINDS, "difficulty": "easy", **fields}
    response = client.post(reverse("quizzes:practice"), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Attempt.objects.exists()


# --- a question ---------------------------------------------------------------------------


def test_question_page_shows_progress_and_options_but_not_the_answer(client, attempt):
    asked = nth(attempt, 1)
    response = client.get(question_url(attempt, 1))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Question 1 of 10" in html
    assert "<html" in html
    # Its script (keys for options, Enter for the next question), by its hashed static name.
    assert f'<script src="{static("js/quiz.js")}" defer></script>' in html
    answer_path = reverse("quizzes:answer", args=[attempt.public_id, 1])
    assert f'action="{answer_path}"' in html
    assert f'hx-post="{answer_path}"' in html
    assert "right answer" not in html
    assert "is-right" not in html
    assert "Right!" not in html
    assert "Not quite" not in html
    if asked.kind != Kind.RECALL:
        # Every option button is the same but for its index: nothing marks the right one.
        buttons = re.findall(r'<button type="submit" name="choice"[^>]*>', html)
        assert len(buttons) == len(asked.options)
        shapes = {re.sub(r'"\d+"', '"N"', b) for b in buttons}
        assert len(shapes) == 1


def test_question_page_over_htmx_is_just_the_card(client, attempt):
    response = client.get(question_url(attempt, 1), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="card"')
    assert "<html" not in html


def test_first_view_of_a_question_starts_its_clock(client, attempt):
    assert nth(attempt, 1).shown_at is None
    client.get(question_url(attempt, 1))
    shown = nth(attempt, 1).shown_at
    assert shown is not None
    client.get(question_url(attempt, 1))
    assert nth(attempt, 1).shown_at == shown


def test_a_later_question_cannot_be_opened_before_its_turn(client, attempt):
    response = client.get(question_url(attempt, 3))
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.public_id])
    assert client.get(response["Location"])["Location"] == question_url(attempt, 1)


# --- answering ----------------------------------------------------------------------------


def test_right_answer_over_htmx_swaps_in_feedback(client, attempt):
    asked = nth(attempt, 1)
    client.get(question_url(attempt, 1))
    response = client.post(answer_url(attempt, 1), right_response(asked), **HTMX)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="card"')
    assert "Right!" in html
    assert f"/modules/{asked.module.name}/" in html
    assert asked.module.docs_url in html
    assert question_url(attempt, 2) in html  # Next
    answer = Answer.objects.get(question=asked)
    assert answer.is_correct
    assert answer.response_ms is not None
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count) == (1, 1)


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        (Kind.WHICH_MODULE, lambda text: f"<code>{escape(text.replace('`', ''))}</code>"),
        (Kind.WHAT_FOR, inline_code),
        (Kind.STDLIB, lambda text: escape(text[:1].upper() + text[1:])),
    ],
)
def test_feedback_marks_the_right_option_and_the_wrong_one_chosen(client, kind, shown):
    attempt = start(client, kinds=[kind.value], count=5)
    asked = nth(attempt, 1)
    response = client.post(answer_url(attempt, 1), wrong_response(asked), **HTMX)
    html = response.content.decode()

    items = re.findall(r'<li class="option([^"]*)">\s*<span class="option-text">(.*?)</span>', html)
    assert [text for _marks, text in items] == [shown(option) for option in asked.options]
    given = Answer.objects.get(question=asked).given
    marks = {
        asked.options.index(asked.right_answer): " is-right",
        asked.options.index(given): " is-wrong",
    }
    assert [m for m, _text in items] == [marks.get(i, "") for i in range(len(asked.options))]
    assert html.count('<span class="mark">right answer</span>') == 1
    assert html.count('<span class="mark">your answer</span>') == 1


def test_wrong_answer_without_javascript_redirects_to_the_feedback(client, attempt):
    asked = nth(attempt, 1)
    response = client.post(answer_url(attempt, 1), wrong_response(asked))
    assert response.status_code == 302
    assert response["Location"] == question_url(attempt, 1)

    html = client.get(response["Location"]).content.decode()
    assert "Not quite." in html
    assert f"<code>{asked.module.name}</code>" in html
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count) == (1, 0)


def answered_wrongly(client: Client) -> tuple[Attempt, AskedQuestion, str]:
    """A "Which module?" quiz whose first question is answered with a wrong module: the quiz,
    the question and the module chosen."""
    attempt = start(client, kinds=["which_module"], count=5)
    asked = nth(attempt, 1)
    response = wrong_response(asked)
    client.post(answer_url(attempt, 1), response)
    return attempt, asked, asked.options[int(response["choice"])]


def test_feedback_says_what_the_wrongly_chosen_module_does(client):
    attempt, _asked, chosen = answered_wrongly(client)
    html = client.get(question_url(attempt, 1)).content.decode()
    assert f"What <code>{chosen}</code> does instead" in html


def test_a_catalogue_edit_shows_in_the_feedback_at_once(client):
    """What the feedback teaches of a module is rendered once per catalogue version: an edit
    (which changes the version) shows on the next card, of the module and of the one chosen."""
    attempt, asked, chosen = answered_wrongly(client)
    before = client.get(question_url(attempt, 1)).content.decode()
    edits = {asked.module.name: "Freshly edited: the module.", chosen: "Freshly edited: chosen."}
    for module, text in edits.items():
        assert text not in before
        clue = Clue.objects.get(modules__name=module, is_summary=True)
        clue.text = text
        clue.save()
    after = client.get(question_url(attempt, 1)).content.decode()
    assert all(text in after for text in edits.values())


def visitor_of(client: Client) -> uuid.UUID:
    """The visitor id the client's session carries, as practising without an account does."""
    session = client.session
    visitor = uuid.UUID(session.setdefault(VISITOR_SESSION_KEY, str(uuid.uuid4())))
    session.save()
    return visitor


def stdlib_feedback(client, module: str) -> str:
    """Answer "is `module` in the standard library?" and return the feedback page."""
    attempt = AttemptFactory.create(
        learner=None,
        visitor_id=visitor_of(client),
        count=5,
        kinds=(Kind.STDLIB,),
        modules=(module,),
    )
    client.post(answer_url(attempt, 1), right_response(nth(attempt, 1)))
    return client.get(question_url(attempt, 1)).content.decode()


def test_standard_library_or_not_teaches_the_difference(client):
    pytz = stdlib_feedback(client, "pytz")
    assert "Right!" in pytz
    assert str(inline_code(Module.objects.get(name="pytz").note)) in pytz
    zoneinfo = stdlib_feedback(client, "zoneinfo")
    assert "zoneinfo ships with Python" in zoneinfo
    assert "Not to be confused with" in zoneinfo
    assert "pytz" in zoneinfo
    removed = stdlib_feedback(client, "imp")
    assert "Removed in Python 3.12" in removed


def test_recall_accepts_what_developers_type(client):
    attempt = AttemptFactory.create(
        learner=None, visitor_id=visitor_of(client), count=5, kinds=(Kind.RECALL,), modules=("xml",)
    )
    client.post(answer_url(attempt, 1), {"typed": "import xml.etree.ElementTree as ET"})
    answer = Answer.objects.get(question=nth(attempt, 1))
    assert answer.is_correct
    assert answer.given == "import xml.etree.ElementTree as ET"


def test_recall_forgives_case_backticks_and_spaces(client):
    attempt = start(client, kinds=["recall"], count=5)
    asked = nth(attempt, 1)
    typed = f"  `{asked.right_answer.upper()}` "
    client.post(answer_url(attempt, 1), {"typed": typed})
    assert Answer.objects.get(question=asked).is_correct


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("which_module", {}, attempts.ANSWER_MISSING),
        ("which_module", {"choice": "4"}, attempts.ANSWER_NOT_AN_OPTION),
        ("which_module", {"choice": "-1"}, attempts.ANSWER_NOT_AN_OPTION),
        ("which_module", {"choice": "one"}, attempts.ANSWER_NOT_AN_OPTION),
        ("which_module", {"choice": "9" * 5000}, attempts.ANSWER_NOT_AN_OPTION),
        ("which_module", {"choice": "²"}, attempts.ANSWER_NOT_AN_OPTION),
        ("which_module", {"choice": " 1"}, attempts.ANSWER_NOT_AN_OPTION),
        ("stdlib", {"choice": "2"}, attempts.ANSWER_NOT_AN_OPTION),
        ("recall", {"typed": ""}, attempts.ANSWER_EMPTY),
        ("recall", {"typed": "   "}, attempts.ANSWER_EMPTY),
        ("recall", {"typed": "x" * 101}, attempts.ANSWER_TOO_LONG),
        ("recall", {}, attempts.ANSWER_EMPTY),
    ],
)
def test_bad_answers_are_a_400_and_write_nothing(client, kind, data, message):
    attempt = start(client, kinds=[kind], count=5)
    for headers in ({}, HTMX):
        response = client.post(answer_url(attempt, 1), data, **headers)
        assert response.status_code == 400
        assert on_card(message) in response.content.decode()
    assert not Answer.objects.exists()
    attempt.refresh_from_db()
    assert attempt.answered_count == 0


def test_a_second_submission_changes_nothing_and_shows_the_recorded_result(client, attempt):
    asked = nth(attempt, 1)
    client.post(answer_url(attempt, 1), right_response(asked))

    for headers in ({}, HTMX):
        response = client.post(answer_url(attempt, 1), wrong_response(asked), **headers)
        html = response.content.decode()
        assert response.status_code == 409
        assert on_card(attempts.ALREADY_ANSWERED) in html
        assert "Right!" in html

    answer = Answer.objects.get(question=asked)
    assert answer.is_correct
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count) == (1, 1)


def test_the_database_refuses_a_second_answer(client, attempt):
    asked = nth(attempt, 1)
    AnswerFactory.create(question=asked, given="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerFactory.create(question=asked)


def test_an_answer_the_quiz_count_missed_stands_and_the_new_one_is_refused(client, attempt):
    """An answer written behind the quiz's count (by hand, say) keeps a second one out
    without an error: a 409 that shows the answer there, and nothing else changes."""
    asked = nth(attempt, 1)
    AnswerFactory.create(question=asked, given="x", is_correct=False)
    response = client.post(answer_url(attempt, 1), right_response(asked), **HTMX)
    assert response.status_code == 409
    assert on_card(attempts.ALREADY_ANSWERED) in response.content.decode()
    assert Answer.objects.get().given == "x"
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.correct_count) == (0, 0)


def test_answering_out_of_turn_is_a_409(client, attempt):
    response = client.post(answer_url(attempt, 3), right_response(nth(attempt, 3)))
    assert response.status_code == 409
    assert not Answer.objects.exists()


def test_no_such_question_is_a_404(client, attempt):
    assert client.get(question_url(attempt, 11)).status_code == 404
    assert client.post(answer_url(attempt, 0), {"choice": "0"}).status_code == 404
    assert not Answer.objects.exists()


def test_someone_elses_attempt_is_a_404_and_untouched(client, attempt):
    stranger = Client()
    start(stranger)  # the stranger has a session and attempts of their own
    asked = nth(attempt, 1)

    assert stranger.get(question_url(attempt, 1)).status_code == 404
    assert stranger.post(answer_url(attempt, 1), right_response(asked)).status_code == 404
    assert stranger.get(reverse("quizzes:summary", args=[attempt.public_id])).status_code == 404
    assert (
        stranger.post(reverse("quizzes:practise_again", args=[attempt.public_id])).status_code
        == 404
    )
    assert Client().get(question_url(attempt, 1)).status_code == 404  # no session at all
    assert not Answer.objects.filter(question__attempt=attempt).exists()


def test_malformed_attempt_ids_are_a_404(client):
    assert client.get("/quiz/not-a-uuid/q/1/").status_code == 404
    assert client.get("/quiz/00000000-0000-0000-0000-000000000000/q/1/").status_code == 404


def test_answer_requires_post_and_csrf(attempt):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = Client().cookies
    assert csrf_client.get(answer_url(attempt, 1)).status_code in {404, 405}
    assert csrf_client.post(answer_url(attempt, 1), {"choice": "0"}).status_code == 403
    assert not Answer.objects.exists()


# --- the end ------------------------------------------------------------------------------


def test_summary_waits_for_the_last_answer(client, attempt):
    response = client.get(reverse("quizzes:summary", args=[attempt.public_id]))
    assert response.status_code == 302


def test_summary_shows_score_categories_and_mistakes(client, attempt):
    finish(client, attempt, wrong_positions={2, 5})
    attempt.refresh_from_db()
    assert attempt.is_finished

    html = client.get(reverse("quizzes:summary", args=[attempt.public_id])).content.decode()
    assert "<strong>8</strong> of 10 right" in html
    assert "By category" in html
    for position in (2, 5):
        asked = nth(attempt, position)
        assert f"Question {position} ·" in html
        assert f"<strong>{inline_code(asked.right_answer)}</strong>" in html
    assert "Practise these again" in html


def test_last_feedback_leads_to_the_summary(client, attempt):
    finish(client, attempt)
    html = client.get(question_url(attempt, 10)).content.decode()
    assert reverse("quizzes:summary", args=[attempt.public_id]) in html
    assert client.get(reverse("quizzes:attempt", args=[attempt.public_id]))["Location"] == reverse(
        "quizzes:summary", args=[attempt.public_id]
    )


def test_a_finished_attempt_takes_no_more_answers(client, attempt):
    finish(client, attempt)
    response = client.post(answer_url(attempt, 10), wrong_response(nth(attempt, 10)))
    assert response.status_code == 409
    assert Answer.objects.filter(question__attempt=attempt, is_correct=False).count() == 0


def test_practise_these_again_asks_only_the_missed_modules(client, attempt):
    finish(client, attempt, wrong_positions={1, 4, 7})
    missed = {nth(attempt, p).module.name for p in (1, 4, 7)}

    response = client.post(reverse("quizzes:practise_again", args=[attempt.public_id]))
    retry = Attempt.objects.exclude(pk=attempt.pk).get()
    assert response["Location"] == question_url(retry, 1)
    assert retry.purpose == Attempt.Purpose.PRACTISE_AGAIN
    assert retry.visitor_id == attempt.visitor_id
    assert {q.module.name for q in retry.questions.select_related("module")} == missed
    assert retry.question_count == len(missed)


def test_practise_again_after_a_perfect_score_is_a_409(client, attempt):
    finish(client, attempt)
    response = client.post(reverse("quizzes:practise_again", args=[attempt.public_id]))
    assert response.status_code == 409
    assert escape(attempts.NOTHING_TO_PRACTISE_AGAIN) in response.content.decode()
    assert Attempt.objects.count() == 1


# --- queries ------------------------------------------------------------------------------


def test_question_page_and_answer_query_counts_are_pinned(client, django_assert_max_num_queries):
    attempt = start(client, count=50)
    client.get(question_url(attempt, 1))  # warm the catalogue cache, as a running app would
    # The session and, beside it, the question with its quiz, module and answer: one query
    # (quizzes.services.one_trip.question_with_session).
    with django_assert_max_num_queries(1):
        assert client.get(question_url(attempt, 2)).status_code == 302  # not its turn yet
    with django_assert_max_num_queries(1):
        assert client.get(question_url(attempt, 1), **HTMX).status_code == 200
    right = right_response(nth(attempt, 1))
    # The session with the question, the catalogue's version, and the one statement that
    # writes (quizzes.services.one_trip), in a savepoint of the test's own transaction.
    with django_assert_max_num_queries(5):
        response = client.post(answer_url(attempt, 1), right, **HTMX)
        assert response.status_code == 200
    with django_assert_max_num_queries(2):  # and the catalogue's version, for the feedback
        assert client.get(question_url(attempt, 1)).status_code == 200  # with its feedback


def test_a_signed_in_learners_answer_query_count_is_pinned(django_assert_max_num_queries):
    client = signed_in(UserFactory.create())
    attempt = start(client, count=5)
    asked = nth(attempt, 1)
    right = right_response(asked)
    # The session with its user and the question with the learner's card (one query), the
    # catalogue's version, and the one statement that writes it all (tests/test_one_trip.py),
    # in a savepoint of the test's own transaction: 5. Python's transaction, when the statement
    # declines, is 15 statements: the quiz locked, the answer, the quiz's counts, the
    # progress version, the card (read, inserted as it is new, read again under its lock,
    # written), one per tally (config.prepared.PreparedCount).
    with django_assert_max_num_queries(5):
        response = client.post(answer_url(attempt, 1), right, headers={"HX-Request": "true"})
        assert response.status_code == 200
