"""Factories for every model the tests make. Quizzes are made by the app's own service, so their
questions are really generated ones."""

import uuid
from datetime import timedelta

import factory
from django.contrib.auth.models import User
from django.utils import timezone
from fsrs import State

from accounts.models import Profile
from accounts.progress import progress_changed
from catalogue.kinds import ClueKind
from catalogue.models import Category, Clue, Module
from quizzes.models import Answer, Attempt, Card
from quizzes.questions import Difficulty, Kind, QuizSettings
from quizzes.services import attempts
from tests.quiz_helpers import PASSWORD, right_value, wrong_value


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Test category {n}")
    slug = factory.Sequence(lambda n: f"test-category-{n}")
    position = factory.Sequence(lambda n: 100 + n)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"testmodule{n}")
    import_name = factory.LazyAttribute(lambda module: module.name)
    is_stdlib = True
    docs_url = factory.LazyAttribute(
        lambda module: f"https://docs.python.org/3/library/{module.name}.html"
    )

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class ClueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clue
        skip_postgeneration_save = True

    text = factory.Sequence(lambda n: f"Does useful thing number {n}.")
    kind = ClueKind.DESCRIPTION

    @factory.post_generation
    def modules(self, create, extracted, **kwargs):
        if create and extracted:
            self.modules.set(extracted)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A learner as sign-up makes them: with a student's profile in UTC, and a password that
    logs in through the log-in page. `profile=None` makes an account without a profile, as
    createsuperuser does; `profile__time_zone=...` and the like set the profile's fields."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password(PASSWORD)
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")


class ProfileFactory(factory.django.DjangoModelFactory[Profile]):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory, profile=None)
    role = Profile.Role.STUDENT
    time_zone = "UTC"


class TeacherFactory(UserFactory):
    profile = factory.RelatedFactory(
        ProfileFactory, factory_related_name="user", role=Profile.Role.TEACHER
    )


class AttemptFactory(factory.django.DjangoModelFactory[Attempt]):
    """A quiz started through `attempt_start`: one question of each of `modules` in that order
    (or `count` questions of any), "Which module?" unless other kinds are given. Without a
    learner it is a visitor's. `answered=True` answers every question in order through
    `answer_record`, a second apart from the start: right, unless its module is one of
    `answered__wrong`."""

    class Meta:
        model = Attempt
        skip_postgeneration_save = True

    class Params:
        modules: tuple[str, ...] = ()
        count = factory.LazyAttribute(lambda attempt: len(attempt.modules) or 5)
        kinds = (Kind.WHICH_MODULE,)
        difficulty = Difficulty.EASY

    learner = factory.SubFactory(UserFactory)
    visitor_id = factory.LazyAttribute(lambda attempt: None if attempt.learner else uuid.uuid4())
    quiz_settings = factory.LazyAttribute(
        lambda attempt: QuizSettings(
            count=attempt.count,
            kinds=tuple(attempt.kinds),
            difficulty=attempt.difficulty,
            modules=tuple(attempt.modules),
        )
    )
    order = factory.LazyAttribute(lambda attempt: list(attempt.modules) or None)
    purpose = Attempt.Purpose.PRACTICE
    seed = None
    started_at = None

    @classmethod
    def _create(cls, model_class, *args, visitor_id, started_at, **kwargs):
        return attempts.attempt_start(visitor=visitor_id, now=started_at, **kwargs)

    @factory.post_generation
    def answered(attempt: Attempt, create: bool, extracted: bool, wrong=(), **kwargs) -> None:
        if not (create and extracted):
            return
        questions = attempt.questions.select_related("module").order_by("position")
        for offset, asked in enumerate(questions):
            response = wrong_value(asked) if asked.module.name in wrong else right_value(asked)
            when = attempt.started_at + timedelta(seconds=offset)
            attempts.answer_record(asked=asked, response=response, now=when)
        attempt.refresh_from_db()


class AnswerFactory(factory.django.DjangoModelFactory[Answer]):
    """An answer row written directly, as `answer_record` never would twice: for the tests of
    what the database itself refuses."""

    class Meta:
        model = Answer

    question = factory.LazyFunction(
        lambda: AttemptFactory.create(modules=("json",)).questions.get()
    )
    given = factory.LazyAttribute(lambda answer: answer.question.right_answer)
    is_correct = factory.LazyAttribute(lambda answer: answer.given == answer.question.right_answer)
    answered_at = factory.LazyFunction(timezone.now)


class CardFactory(factory.django.DjangoModelFactory[Card]):
    """A learner's card as if FSRS had scheduled it so: in review, due now unless told
    otherwise, last reviewed `stability` days before it is due. `module_name` picks a module of
    the catalogue. A learner has one card per module: a card for a module the learner has
    answered about already reschedules that card."""

    class Meta:
        model = Card

    class Params:
        module_name = None

    learner = factory.SubFactory(UserFactory)
    module = factory.Maybe(
        "module_name",
        yes_declaration=factory.LazyAttribute(
            lambda card: Module.objects.get(name=card.module_name)
        ),
        no_declaration=factory.SubFactory(ModuleFactory),
    )
    state = State.Review
    step = factory.LazyAttribute(lambda card: None if card.state == State.Review else 0)
    stability = 3.0
    difficulty = 5.0
    due = factory.LazyFunction(timezone.now)
    last_review = factory.LazyAttribute(lambda card: card.due - timedelta(days=card.stability))
    reviews = 1

    @classmethod
    def _create(cls, model_class, *args, learner, module, **fields):
        card, _created = model_class.objects.update_or_create(
            learner=learner, module=module, defaults=fields
        )
        progress_changed(learner.pk)  # as every write of a learner's progress does
        return card
