"""Learners and their quizzes through the views, as the tests of several pages need them."""

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from markupsafe import escape

from quizzes.models import AskedQuestion, Attempt
from quizzes.questions import Kind

ALL_KINDS = [k.value for k in Kind]
NOT_A_MODULE = "definitely-not-a-module"
PASSWORD = "Tr1cky-Battery-Horse"


def answer_field(asked: AskedQuestion) -> str:
    """The form field a question's answer is posted in."""
    return "typed" if asked.kind == Kind.RECALL else "choice"


def right_value(asked: AskedQuestion) -> str:
    if asked.kind == Kind.RECALL:
        return asked.right_answer
    return str(asked.options.index(asked.right_answer))


def wrong_value(asked: AskedQuestion) -> str:
    if asked.kind == Kind.RECALL:
        return NOT_A_MODULE
    return str(next(i for i, o in enumerate(asked.options) if o != asked.right_answer))


def right_response(asked: AskedQuestion) -> dict[str, str]:
    return {answer_field(asked): right_value(asked)}


def wrong_response(asked: AskedQuestion) -> dict[str, str]:
    return {answer_field(asked): wrong_value(asked)}


def start(client: Client, **fields) -> Attempt:
    """Start a quiz from the practice page; 10 questions of every kind unless told otherwise."""
    data = {"count": 10, "kinds": ALL_KINDS, "difficulty": "easy", **fields}
    response = client.post(reverse("quizzes:practice"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    attempt = Attempt.objects.latest("started_at")
    assert response["Location"] == reverse("quizzes:question", args=[attempt.public_id, 1])
    return attempt


def finish(client: Client, attempt: Attempt, *, wrong_positions=()) -> None:
    """Answer every question, wrongly at the given positions, without JavaScript."""
    for asked in attempt.questions.order_by("position"):
        data = wrong_response(asked) if asked.position in wrong_positions else right_response(asked)
        url = reverse("quizzes:answer", args=[attempt.public_id, asked.position])
        assert client.post(url, data).status_code == 302


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def logs_in(username: str, password: str) -> bool:
    """Whether the log-in page lets these credentials in, as a browser posts them."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def on_card(text: str) -> str:
    """`text` as the question's card writes it: the card is a Jinja2 template, escaped by
    MarkupSafe (a quote is `&#39;`, where Django's pages write `&#x27;`)."""
    return str(escape(text))
