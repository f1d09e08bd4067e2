"""`make bench`'s driver: wrk sends real answers in order and every one is recorded once; a run
that goes wrong says so; the table's shares and verdicts are the arithmetic they claim."""

import os
import random
import shutil
import uuid
from dataclasses import replace

import pytest

from config.loadbench import Load, Request, Result, Run, table, wrk_run
from quizzes.management.commands.bench_load import Browser, answer_form, quizzes_unanswered
from quizzes.models import Answer, Attempt


def run(per_second: float, *, not_200: int = 0, cpu_ms: float | None = 100.0) -> Run:
    return Run(
        requests=int(per_second * 10),
        seconds=10.0,
        p50_ms=2.0,
        p99_ms=9.0,
        not_200=not_200,
        last_bad=409 if not_200 else 0,
        exhausted=0,
        socket_errors=0,
        server_cpu_ms=cpu_ms,
    )


def test_shares_are_medians_against_bare_of_the_same_rounds():
    bare = [run(1000), run(3000), run(2000)]
    page = Result("question", [run(500), run(400), run(900)], bare, target=0.25)
    assert page.per_second == 500
    assert page.share == 0.25
    assert page.meets_target
    assert not Result("search", [run(299)] * 3, bare, target=0.15).meets_target
    row = page.row()
    assert row[:3] == ["question", "500", "25.0%"]
    assert row[-1] == "≥ 25% ✓"
    assert row[-3] == "0.02"  # 100 ms of CPU over 5,000 requests
    assert row[-2] == "—"  # no PostgreSQL measured
    with_database = [replace(r, database_cpu_ms=500.0) for r in page.runs]
    assert Result("question", with_database, bare, target=0.25).row()[-2] == "0.10"


def test_a_run_with_a_request_not_200_fails_and_is_counted_in_the_table():
    bare = [run(1000)]
    result = Result("answer", [run(500), run(500, not_200=3)], bare, target=None)
    assert result.failed
    assert result.row()[5] == "3"
    assert not Result("answer", [run(500)], bare, target=None).failed


def test_the_table_lines_up():
    bare = [run(1000)]
    lines = table([Result("bare /healthz", bare, bare, None), Result("x", bare, bare, 0.5)])
    rows = lines.splitlines()
    assert len({len(row) for row in rows}) == 1
    assert rows[1].startswith("|---")
    assert "≥ 50% ✓" in rows[3]


def test_a_request_with_a_tab_is_refused():
    with pytest.raises(ValueError, match="tab"):
        Request("GET", "/search/?q=a\tb").line()


wrk_installed = pytest.mark.skipif(
    shutil.which("wrk") is None and os.environ.get("CI", "").lower() != "true",
    reason="wrk not found: install it with `apt-get install -y wrk`.",
)


@wrk_installed
def test_wrk_answers_real_questions_in_order_each_recorded_once(catalogue_live_server):
    """Two visitors, each on their own connection, answer their quizzes' questions in order
    for a second: every request is an answer recorded, none is refused."""
    rng = random.Random(7)
    queues = []
    for _ in range(2):
        browser, visitor = Browser.of_visitor()
        quizzes = quizzes_unanswered(visitor, 300, rng)
        queues.append(
            [
                browser.post(
                    f"/quiz/{asked.attempt.public_id}/q/{asked.position}/answer/",
                    answer_form(asked, rng),
                )
                for quiz in quizzes
                for asked in quiz
            ]
        )
    result = wrk_run(catalogue_live_server.url, Load(queues, once=True), 1, None)
    assert result.requests > 10
    assert (result.not_200, result.exhausted, result.socket_errors) == (0, 0, 0)
    # wrk counts what came back by the end: a last request may be cut off by the clock.
    assert result.requests <= Answer.objects.count() <= result.requests + 2
    answered = sum(Attempt.objects.values_list("answered_count", flat=True))
    assert answered == Answer.objects.count()


@wrk_installed
def test_wrk_reports_an_answer_sent_twice(catalogue_live_server):
    """A list that runs out sends its last answer again: a 409, and the run fails."""
    browser, visitor = Browser.of_visitor()
    asked = quizzes_unanswered(visitor, 1, random.Random(1))[0][0]
    path = f"/quiz/{asked.attempt.public_id}/q/1/answer/"
    one = browser.post(path, answer_form(asked, random.Random(1)))
    result = wrk_run(catalogue_live_server.url, Load([[one]], once=True), 1, None)
    assert result.failed
    assert result.last_bad == 409
    assert result.exhausted >= 1
    assert Answer.objects.count() == 1


@wrk_installed
def test_wrk_pages_go_round_and_every_one_answers_200(catalogue_live_server):
    visitor_browser, _visitor = Browser.of_visitor()
    page = visitor_browser.get("/modules/json/", htmx=False)
    result = wrk_run(catalogue_live_server.url, Load([[page], [Request("GET", "/")]]), 1, None)
    assert result.requests > 2
    assert not result.failed
    missing = Request("GET", f"/quiz/{uuid.uuid4()}/q/1/")
    result = wrk_run(catalogue_live_server.url, Load([[missing]]), 1, None)
    assert result.failed
    assert result.last_bad == 404


@pytest.mark.django_db
def test_healthz_answers_ok_without_the_session_or_the_database(client, django_assert_num_queries):
    client.cookies["sessionid"] = "a-session-it-never-reads"
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"] == "text/plain"
    assert not response.has_header("Set-Cookie")
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_is_the_same_with_debug_off(client, settings):
    settings.DEBUG = False
    assert client.get("/healthz").content == b"ok"
