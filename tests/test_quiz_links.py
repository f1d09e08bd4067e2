"""A question's links are made without reverse() on every card: they are what reverse() makes,
whatever the quiz's id, the position and the script prefix."""

import uuid

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from quizzes.links import SAMPLE_POSITION, quiz_link

IDS = [
    uuid.UUID("00000000-0000-4000-8000-000000000000"),
    uuid.UUID(
        f"12345678-{str(SAMPLE_POSITION)[:4]}-4{str(SAMPLE_POSITION)[4:7]}-8000-000000000000"
    ),
    uuid.UUID("98765432-1987-4654-b321-987654321abc"),  # the sample position's digits in it
    *(uuid.uuid4() for _ in range(5)),
]


@pytest.mark.parametrize("public_id", IDS)
@pytest.mark.parametrize("position", [1, 9, 10, 50, SAMPLE_POSITION])
def test_links_are_what_reverse_makes(public_id, position):
    for name in ("quizzes:question", "quizzes:answer", "quizzes:correct"):
        assert quiz_link(name, public_id, position) == reverse(name, args=[public_id, position])
    assert quiz_link("quizzes:summary", public_id) == reverse("quizzes:summary", args=[public_id])


def test_links_keep_the_script_prefix():
    public_id = uuid.uuid4()
    set_script_prefix("/batteries/")
    try:
        link = quiz_link("quizzes:answer", public_id, 3)
        assert link.startswith("/batteries/")
        assert link == reverse("quizzes:answer", args=[public_id, 3])
    finally:
        clear_script_prefix()
    assert quiz_link("quizzes:answer", public_id, 3) == reverse(
        "quizzes:answer", args=[public_id, 3]
    )
