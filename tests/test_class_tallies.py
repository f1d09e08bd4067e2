"""A class's confusion tallies: always the sum of its members' own, through wrong answers,
corrections, joins, leaves and histories written in bulk, so the class dashboard can rank its
confusions from them."""

from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum

from classrooms import services
from classrooms.models import ClassConfusionTally, Classroom
from quizzes.models import Answer, ConfusionTally, ItemTally, ModuleTally
from quizzes.questions import Kind
from quizzes.services import attempts, tallies
from tests.classroom_helpers import class_of, person, teacher
from tests.factories import AttemptFactory
from tests.quiz_helpers import signed_in

pytestmark = pytest.mark.django_db


def class_counts(classroom: Classroom) -> Counter[tuple[str, str]]:
    rows = ClassConfusionTally.objects.filter(classroom=classroom).values_list(
        "module__name", "chosen", "times"
    )
    return Counter({(module, chosen): times for module, chosen, times in rows})


def members_counts(classroom: Classroom) -> Counter[tuple[str, str]]:
    """What the class's tallies must say: its students' own, summed."""
    total: Counter[tuple[str, str]] = Counter()
    rows = ConfusionTally.objects.filter(learner__memberships__classroom=classroom).values_list(
        "module__name", "chosen", "times"
    )
    for module, chosen, times in rows:
        total[(module, chosen)] += times
    return total


def typed(learner: User, module: str, name: str) -> Answer:
    """A recall question about `module` answered with another module's name."""
    attempt = AttemptFactory.create(learner=learner, kinds=(Kind.RECALL,), modules=(module,))
    return attempts.answer_record(asked=attempt.questions.get(), response=name)


@pytest.fixture
def people() -> dict[str, User]:
    return {name: person(name) for name in ("ada", "grace", "linus")}


def test_wrong_answers_count_in_every_class_of_the_student_and_nowhere_else(people):
    owner = teacher()
    year10 = class_of(owner, [people["ada"], people["grace"]])
    club = class_of(owner, [people["grace"]], name="Club")
    typed(people["ada"], "pathlib", "os")
    typed(people["grace"], "pathlib", "os")
    typed(people["grace"], "json", "pickle")
    typed(people["linus"], "json", "pickle")  # in no class
    assert class_counts(year10) == {("pathlib", "os"): 2, ("json", "pickle"): 1}
    assert class_counts(club) == {("pathlib", "os"): 1, ("json", "pickle"): 1}


def test_a_student_brings_their_confusions_when_joining_and_takes_them_when_leaving(people):
    year10 = class_of(teacher(), [people["ada"]])
    typed(people["ada"], "pathlib", "os")
    typed(people["linus"], "pathlib", "os")
    typed(people["linus"], "csv", "json")

    services.classroom_join(student=people["linus"], code=year10.join_code)
    assert class_counts(year10) == {("pathlib", "os"): 2, ("csv", "json"): 1}
    services.classroom_join(student=people["linus"], code=year10.join_code)  # again: no change
    assert class_counts(year10) == {("pathlib", "os"): 2, ("csv", "json"): 1}

    assert services.membership_remove(classroom=year10, student_id=people["ada"].pk)
    assert (
        class_counts(year10) == members_counts(year10) == {("pathlib", "os"): 1, ("csv", "json"): 1}
    )


def test_a_corrected_answer_leaves_the_class_tallies_too(people):
    year10 = class_of(teacher(), [people["ada"], people["grace"]])
    first = typed(people["ada"], "pathlib", "os")
    typed(people["ada"], "pathlib", "os")
    typed(people["grace"], "pathlib", "os")
    attempts.answer_correct(answer=first)
    assert class_counts(year10) == {("pathlib", "os"): 2}
    attempts.answer_correct(
        answer=Answer.objects.filter(question__attempt__learner=people["grace"]).get()
    )
    assert class_counts(year10) == {("pathlib", "os"): 1}


def test_histories_rebuilt_in_bulk_are_counted_afresh_in_their_classes(people):
    year10 = class_of(teacher(), [people["ada"]])
    typed(people["ada"], "pathlib", "os")
    ClassConfusionTally.objects.update(times=40)  # as if the tallies had drifted
    tallies.tallies_rebuild([people["ada"].pk])
    assert class_counts(year10) == members_counts(year10) == {("pathlib", "os"): 1}


def test_the_class_dashboard_ranks_the_classes_confusions(people):
    owner = teacher()
    year10 = class_of(owner, [people["ada"], people["grace"]])
    for learner in (people["ada"], people["grace"]):
        typed(learner, "pathlib", "os")
    typed(people["ada"], "json", "pickle")
    typed(people["linus"], "json", "pickle")  # not in the class
    dash = signed_in(owner).get(year10.get_absolute_url()).context["dash"]
    assert [(c.asked, c.chosen, c.times) for c in dash.confusions] == [
        ("pathlib", "os", 2),
        ("json", "pickle", 1),
    ]


def module_sums_from_items() -> dict[tuple[int, int], tuple[int, int]]:
    rows = ItemTally.objects.values_list("learner_id", "module_id").annotate(
        asked=Sum("asked"), right=Sum("right")
    )
    return {(learner, module): (asked, right) for learner, module, asked, right in rows}


def module_tallies() -> dict[tuple[int, int], tuple[int, int]]:
    rows = ModuleTally.objects.values_list("learner_id", "module_id", "asked", "right")
    return {(learner, module): (asked, right) for learner, module, asked, right in rows}


def test_a_learners_module_tallies_are_their_item_tallies_summed(people):
    ada = people["ada"]
    AttemptFactory.create(learner=ada, modules=("json", "csv"), answered=True)
    AttemptFactory.create(
        learner=ada, modules=("json", "pathlib"), answered=True, answered__wrong=("json",)
    )
    typo = typed(ada, "pathlib", "pathlb")
    assert module_tallies() == module_sums_from_items()
    json = ModuleTally.objects.get(learner=ada, module__name="json")
    assert (json.asked, json.right) == (2, 1)  # right, then wrong

    attempts.answer_correct(answer=typo)
    assert module_tallies() == module_sums_from_items()
    ModuleTally.objects.update(asked=99)  # as if they had drifted
    tallies.tallies_rebuild([ada.pk])
    assert module_tallies() == module_sums_from_items()
    assert ModuleTally.objects.get(learner=ada, module__name="pathlib").right == 2
