"""Prepared reads: the question read, compiled once, gives what its queryset gives, and a read
that could bind an argument in the wrong place is refused when it is compiled."""

import gc
import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.backends import user_read
from accounts.models import Profile, Session
from accounts.sessions import SessionStore
from catalogue.models import Module
from config.prepared import (
    Prepared,
    PreparedBeside,
    PreparedCount,
    PreparedInsert,
    PreparedRead,
    PreparedUpdate,
)
from quizzes import reads as quizzes_reads
from quizzes.models import Answer, AskedQuestion, Attempt, DayTally, ItemTally, ownership
from quizzes.reads import attempt_lock, own_question
from quizzes.services import one_trip, tallies
from quizzes.services.attempts import answer_inserted
from tests.factories import AttemptFactory, UserFactory

pytestmark = pytest.mark.django_db


def as_orm_reads(user, visitor, public_id, position):
    owned = ownership(user, visitor, through="attempt__")
    if owned is None:
        return None
    return (
        AskedQuestion.objects.select_related("attempt", "module", "answer")
        .filter(owned, attempt__public_id=public_id, position=position)
        .first()
    )


def columns(row):
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def facts(asked):
    """Every column of the four models, as read; of the module, its id and name (the rest
    is deferred: the question's pages take the module from the catalogue)."""
    if asked is None:
        return None
    answer = getattr(asked, "answer", None)
    return (
        columns(asked),
        columns(asked.attempt),
        (asked.module.pk, asked.module.name),
        None if answer is None else columns(answer),
    )


def test_the_prepared_question_read_gives_what_its_queryset_gives(django_assert_num_queries):
    learner = UserFactory.create()
    mine = AttemptFactory.create(learner=learner, count=3, answered=True, answered__wrong=())
    fresh = AttemptFactory.create(learner=learner, count=3)
    visitors = AttemptFactory.create(learner=None, count=3)
    visitor = visitors.visitor_id
    stranger = UserFactory.create()
    anonymous = AnonymousUser()
    cases: list[tuple[User | AnonymousUser, uuid.UUID | None, uuid.UUID, int]] = [
        (learner, None, mine.public_id, 1),  # answered
        (learner, None, mine.public_id, 3),
        (learner, None, fresh.public_id, 2),  # not answered
        (learner, None, fresh.public_id, 4),  # no such question
        (stranger, None, mine.public_id, 1),  # someone else's
        (anonymous, visitor, visitors.public_id, 2),
        (anonymous, uuid.uuid4(), visitors.public_id, 2),  # another visitor's
        (anonymous, None, visitors.public_id, 2),
        (learner, None, visitors.public_id, 2),
        (anonymous, visitor, uuid.uuid4(), 1),
    ]
    found = 0
    for user, visitor_id, public_id, position in cases:
        expected = as_orm_reads(user, visitor_id, public_id, position)
        with django_assert_num_queries(1 if user.is_authenticated or visitor_id else 0):
            asked = own_question(user, visitor_id, public_id, position)
            read = facts(asked)  # the relations come with it: no further query
        assert read == facts(expected), (user, visitor_id, position)
        found += asked is not None
    assert found == 4


def test_the_question_reads_its_module_name_and_defers_the_rest(django_assert_num_queries):
    """What else the module holds is read only when asked for (by a query of its own): the
    question's pages never ask."""
    learner = UserFactory.create()
    attempt = AttemptFactory.create(learner=learner, count=1)
    with django_assert_num_queries(1):
        asked = own_question(learner, None, attempt.public_id, 1)
        assert asked is not None
        name = asked.module.name
    assert asked.module.get_deferred_fields() == {
        f.attname for f in Module._meta.concrete_fields if f.attname not in {"id", "name"}
    }
    expected = Module.objects.get(name=name).docs_url
    with django_assert_num_queries(1):
        assert asked.module.docs_url == expected


def test_a_claimed_visitors_quiz_is_no_longer_the_visitors():
    attempt = AttemptFactory.create(learner=None, count=1)
    visitor = attempt.visitor_id
    Attempt.objects.filter(pk=attempt.pk).update(learner=UserFactory.create())
    assert own_question(AnonymousUser(), visitor, attempt.public_id, 1) is None


def test_arguments_bind_where_they_are_used_and_constants_stay():
    attempt = AttemptFactory.create(count=3)
    position = AskedQuestion._meta.get_field("position")
    read = PreparedRead(
        lambda at: (
            AskedQuestion.objects.filter(position=at, attempt__question_count=3)
            .exclude(position=29_371)  # a constant that looks like a sample
            .values_list("position", "attempt_id")
        ),
        at=position,
    )
    assert read.rows(at=2) == [(2, attempt.pk)]
    assert read.rows(at=4) == []


def test_a_prepared_statement_that_could_bind_wrongly_is_refused_when_compiled():
    position = AskedQuestion._meta.get_field("position")
    worked_out = PreparedRead(
        lambda at: AskedQuestion.objects.filter(position=at + 1).values_list("id"), at=position
    )
    with pytest.raises(ImproperlyConfigured, match="not exactly one argument"):
        worked_out.rows(at=1)
    unused = PreparedRead(lambda at: AskedQuestion.objects.values_list("id"), at=position)
    with pytest.raises(ImproperlyConfigured, match="must be used"):
        unused.rows(at=1)
    shape = PreparedRead(
        lambda at: AskedQuestion.objects.filter(position__in=range(at % 3)).values_list("id"),
        at=position,
    )
    with pytest.raises(ImproperlyConfigured, match="changes with its arguments"):
        shape.rows(at=1)


def test_a_prepared_update_changes_what_the_orm_would_and_counts_the_rows():
    learner = UserFactory.create()
    day = date(2026, 11, 30)
    DayTally.objects.create(learner=learner, day=day, answered=4, right=1)
    DayTally.objects.create(learner=learner, day=day + timedelta(days=1), answered=9, right=9)
    counted = PreparedUpdate(
        lambda learner, day, right: (
            DayTally.objects.filter(learner_id=learner, day=day),
            {"answered": F("answered") + 1, "right": F("right") + right},
        ),
        learner=DayTally._meta.get_field("learner"),
        day=DayTally._meta.get_field("day"),
        right=DayTally._meta.get_field("right"),
    )
    assert counted.run(learner=learner.pk, day=day, right=1) == 1
    assert counted.run(learner=learner.pk, day=day, right=0) == 1
    assert counted.run(learner=learner.pk, day=day - timedelta(days=1), right=1) == 0
    rows = DayTally.objects.order_by("day").values_list("answered", "right")
    assert list(rows) == [(6, 2), (9, 9)]


def test_a_prepared_count_inserts_a_missing_row_and_adds_to_one_there():
    learner = UserFactory.create()
    json, csv = Module.objects.get(name="json"), Module.objects.get(name="csv")

    def item(module: Module, clue: str, right: int) -> ItemTally:
        return ItemTally(learner=learner, module=module, clue=clue, asked=1, right=right)

    tallies.item_counted.run(item(json, "", 1))
    tallies.item_counted.run(item(json, "", 0))
    tallies.item_counted.run(item(json, "another", 0))
    tallies.item_counted.run(item(csv, "", 1))
    rows = ItemTally.objects.order_by("module__name", "clue").values_list(
        "module__name", "clue", "asked", "right"
    )
    assert list(rows) == [("csv", "", 1, 1), ("json", "", 2, 1), ("json", "another", 1, 0)]
    # Another learner's row of the same item is theirs.
    other = UserFactory.create()
    tallies.item_counted.run(ItemTally(learner=other, module=json, clue="", asked=1, right=0))
    assert ItemTally.objects.get(learner=learner, module=json, clue="").asked == 2


def test_a_prepared_count_must_name_a_unique_constraint():
    with pytest.raises(ImproperlyConfigured, match="unique constraint"):
        PreparedCount(ItemTally, unique=("learner", "module"), counts=("asked",)).compiled(
            "default"
        )


def test_the_locked_quiz_comes_with_its_learner_and_profile_as_the_orm_reads_them(
    django_assert_num_queries,
):
    with_profile = AttemptFactory.create(count=1)
    visitors = AttemptFactory.create(learner=None, count=1)
    no_profile = AttemptFactory.create(count=1)
    Profile.objects.filter(user=no_profile.learner).delete()
    for attempt in (with_profile, visitors, no_profile):
        expected = Attempt.objects.select_related("learner__profile").get(pk=attempt.pk)
        with transaction.atomic(), django_assert_num_queries(1):
            locked = attempt_lock(attempt.pk)
            learner = locked.learner
            profile = getattr(learner, "profile", None)
        assert columns(locked) == columns(expected)
        if expected.learner is None:
            assert learner is None
            continue
        assert columns(learner) == columns(expected.learner)
        expected_profile = getattr(expected.learner, "profile", None)
        assert (profile and columns(profile)) == (expected_profile and columns(expected_profile))
    with pytest.raises(Attempt.DoesNotExist), transaction.atomic():
        attempt_lock(10**9)


# Django's database sessions over our model (named as theirs: the name salts the signature).
DjangoReads = type(
    "SessionStore", (DatabaseSessionStore,), {"get_model_class": classmethod(lambda cls: Session)}
)


def test_a_session_and_a_user_are_read_as_django_reads_them(client):
    user = UserFactory.create()
    client.force_login(user)
    key = client.session.session_key
    store = SessionStore(key)
    assert store.load() == DjangoReads(key).load() != {}
    # The user comes with the session, as user_read reads them.
    assert store.user_read_with is not None
    assert columns(store.user_read_with) == columns(user)
    assert columns(store.user_read_with.profile) == columns(user.profile)
    assert SessionStore("not-a-key-of-anyone-at-all").load() == {}
    read = user_read(user.pk)
    assert read is not None
    assert columns(read) == columns(User.objects.get(pk=user.pk))
    assert columns(read.profile) == columns(user.profile)
    assert user_read(10**9) is None


def test_an_integer_no_column_can_hold_finds_nothing_rather_than_failing():
    attempt = AttemptFactory.create(count=1)
    learner = attempt.learner
    assert learner is not None
    assert own_question(learner, None, attempt.public_id, 10**20) is None
    assert own_question(learner, None, attempt.public_id, 1) is not None
    assert user_read(10**20) is None


def test_a_prepared_insert_writes_the_row_save_would_and_gives_it_its_key():
    asked = AttemptFactory.create(modules=("json", "os")).questions.order_by("position")
    first, second = list(asked)
    when = timezone.now()
    mine = Answer(
        question=first, given="json", chosen_module="json", is_correct=True, answered_at=when
    )
    assert answer_inserted.run(mine) is True
    theirs = Answer.objects.create(
        question=second, given="json", chosen_module="json", is_correct=True, answered_at=when
    )
    assert mine.pk is not None
    assert not mine._state.adding
    columns = [f.attname for f in Answer._meta.concrete_fields if not f.primary_key]
    stored = Answer.objects.values(*columns)
    assert stored.get(pk=mine.pk) == {**stored.get(pk=theirs.pk), "question_id": first.pk}
    assert (mine.response_ms, mine.gave_up, mine.corrected_at) == (None, False, None)


def test_a_prepared_insert_that_breaks_a_constraint_fails_and_leaves_nothing():
    asked = AttemptFactory.create(modules=("json",)).questions.get()
    Answer.objects.create(question=asked, given="os", is_correct=False, answered_at=timezone.now())
    again = Answer(question=asked, given="json", is_correct=True, answered_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        PreparedInsert(Answer).run(again)
    assert Answer.objects.get().given == "os"


def test_the_answer_insert_is_kept_out_by_an_answer_there_and_says_so():
    asked = AttemptFactory.create(modules=("json",)).questions.get()
    Answer.objects.create(question=asked, given="os", is_correct=False, answered_at=timezone.now())
    again = Answer(question=asked, given="json", is_correct=True, answered_at=timezone.now())
    assert answer_inserted.run(again) is False
    assert again.pk is None
    assert Answer.objects.get().given == "os"


def test_a_prepared_insert_ignoring_conflicts_leaves_a_row_already_there_as_it_is():
    learner = UserFactory.create()
    day = date(2026, 5, 1)
    DayTally.objects.create(learner=learner, day=day, answered=3, right=2)
    ignoring = PreparedInsert(DayTally, ignore_conflicts=True)
    assert ignoring.run(DayTally(learner=learner, day=day)) is False  # no error, no row
    assert ignoring.run(DayTally(learner=learner, day=day + timedelta(days=1))) is True
    assert sorted(DayTally.objects.values_list("day", "answered", "right")) == [
        (day, 3, 2),
        (day + timedelta(days=1), 0, 0),
    ]


def every_prepared() -> list[Prepared]:
    # The hot paths' statements, made when their modules were imported.
    # type(), not isinstance(): that would evaluate lazy objects (a spent CSP nonce raises).
    return [found for found in gc.get_objects() if issubclass(type(found), Prepared)]


@pytest.mark.parametrize("value", [0, 7, 2**40, "", "json", "name with 'quotes' and ü"])
def test_an_argument_bound_as_given_is_what_its_field_would_prepare(value):
    """An argument bound as it is given skips its field's preparing only where the field, on
    this database, gives the value back unchanged."""
    statements = every_prepared()
    assert len(statements) >= 10
    given = 0
    for statement in statements:
        compiled = statement.compiled("default")
        for name, field in statement.arguments.items():
            if compiled.as_given[name] is type(value):
                prepared = field.get_db_prep_value(value, connection, prepared=False)
                assert prepared == value, (statement, name)
                assert type(prepared) is type(value), (statement, name)
                given += 1
    assert given  # not vacuous: keys and text are bound as given on both databases


def test_an_integer_the_driver_is_told_the_type_of_is_prepared_by_its_field():
    """On PostgreSQL a question's position is bound as psycopg's Int2, as its field makes it;
    on SQLite as the int itself."""
    compiled = quizzes_reads.by_visitor.compiled("default")
    expected = None if connection.vendor == "postgresql" else int
    assert compiled.as_given["position"] is expected
    params = quizzes_reads.by_visitor.params(
        compiled, {"owner": uuid.uuid4(), "public_id": uuid.uuid4(), "position": 3}, connection
    )
    assert params.count(3) == 1
    assert any(type(p).__name__ == "Int2" for p in params) == (expected is None)


def test_the_locked_quiz_takes_the_learner_in_hand_when_it_is_theirs(django_assert_num_queries):
    """An answer has its learner (the request's, with their profile) already: the lock reads
    the quiz alone. Another account in hand is not taken: the quiz's own learner is read."""
    owner = UserFactory.create()
    attempt = AttemptFactory.create(learner=owner, count=1)
    learner = User.objects.select_related("profile").get(pk=owner.pk)
    with transaction.atomic(), django_assert_num_queries(1):
        locked = attempt_lock(attempt.pk, learner=learner)
        assert locked.learner is learner
    assert columns(locked) == columns(Attempt.objects.get(pk=attempt.pk))
    stranger = UserFactory.create()
    with transaction.atomic(), django_assert_num_queries(2):
        locked = attempt_lock(attempt.pk, learner=stranger)
        found = locked.learner
        assert found is not None
        assert (found.pk, found.profile) == (learner.pk, learner.profile)
    with pytest.raises(Attempt.DoesNotExist), transaction.atomic():
        attempt_lock(10**9, learner=learner)


def test_reads_side_by_side_share_no_argument_and_refuse_one_beyond_its_column():
    """Side by side, an argument no row of `second` can equal would still let `first` find its
    row: so the read refuses it (fits() says so first), where a read alone finds nothing."""
    with pytest.raises(ImproperlyConfigured, match="share arguments"):
        PreparedBeside(quizzes_reads.by_learner, quizzes_reads.by_visitor)
    beside = one_trip.session_and_question_read
    arguments = {"key": "k" * 32, "now": timezone.now(), "public_id": uuid.uuid4()}
    assert beside.fits(connection, {**arguments, "position": 3})
    assert not beside.fits(connection, {**arguments, "position": 2**70})
    with pytest.raises(ValueError, match="beyond its column"):
        beside.rows("default", **arguments, position=2**70)
    assert beside.rows("default", **arguments, position=3) == []  # no session by that key
