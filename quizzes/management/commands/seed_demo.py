"""Demo accounts with a few weeks of practice behind them, made through the same services as
real answers (attempt_start, question_show, answer_record), so every dashboard, card and
streak is exactly what real learners answering the same way would have."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Profile
from catalogue.models import Category
from catalogue.snapshot import Catalogue, get_catalogue
from classrooms import services as classrooms
from classrooms.models import Classroom, Drill
from quizzes.dashboard import learner_dashboard
from quizzes.generation import NoQuestionsError, normalise_name
from quizzes.memory import recall_probability
from quizzes.models import AskedQuestion, Attempt
from quizzes.questions import Difficulty, Kind, QuizSettings
from quizzes.services import attempts, cards

# One password for every demo account, printed at the end of every run: these accounts exist
# to be logged into by anyone trying the app, so the password is no secret.
DEMO_PASSWORD = "batteries-demo"
# Marks the accounts this command made: --reset deletes those and never a real "ada".
DEMO_EMAIL_DOMAIN = accounts.DEMO_EMAIL_DOMAIN
DEFAULT_DAYS = 28
MAX_DAYS = 365
ALREADY_PRESENT = "Demo data already present: nothing created."
NOT_A_DEMO_ACCOUNT = (
    "A user named {username!r} exists and is not a demo account: rename it or leave seed_demo "
    "out, it will not be touched."
)

# A sitting never runs past this, so today's sittings can all end before now.
SITTING = timedelta(minutes=30)
# Before the recent days each student has fixed, a practised day brings 1 to 3 quizzes.
QUIZZES_A_DAY = (1, 1, 2, 2, 3)
REVIEW_CHANCE = 0.6  # of starting a day's first sitting with a review, when cards are due


@dataclass(frozen=True)
class DemoDrill:
    """A drill the demo teacher assigned, its dates in days from today (negative: past)."""

    key: str
    title: str
    categories: tuple[str, ...]
    opens: int
    due: int
    pass_mark: int | None
    question_count: int = 8


@dataclass(frozen=True)
class DrillTaken:
    """When a demo student takes a drill: `days_ago`, at that day's first sitting."""

    drill: str
    days_ago: int
    finish: bool = True  # False: left half done, to be continued


@dataclass(frozen=True)
class DemoStudent:
    """A demo student: who they are and how they practise."""

    username: str
    first_name: str
    time_zone: str
    accuracy_from: float  # chance of a right answer on the first day...
    accuracy_to: float  # ...and on the last: learners improve with practice
    practice_chance: float  # of practising on a day older than `recent`
    recent: str  # the last days, today first: "x" practised, "." not; sets the streak shown
    hours: tuple[int, ...]  # local hours at which they usually sit down to practise
    drills: tuple[DrillTaken, ...] = ()  # on days `recent` marks as practised


TEACHER = "teacher"
TEACHER_TIME_ZONE = "Europe/London"
CLASS_NAME = "Year 10 Python"
CLASS_DESCRIPTION = "Tuesday and Thursday afternoons. Drills are due at 5 pm."
# The class joins before the first drill opens, so every student has it.
JOINED_DAYS_AGO = 12
DUE_HOUR = 17
DRILLS = (
    DemoDrill("dates", "Dates and times", ("date-and-time",), opens=-10, due=-3, pass_mark=70),
    DemoDrill(
        "text", "Strings and files", ("string-handling", "file-and-directory-access"), -2, 5, None
    ),
)
STUDENTS = (
    # Practised today and the 8 days before: the demo's visible streak. The dates drill twice
    # (the best try counts), the other one done too.
    DemoStudent(
        "ada", "Ada", "Europe/London", 0.72, 0.92, 0.8, "xxxxxxxxx.", (7, 8, 12, 19, 20),
        drills=(DrillTaken("dates", 8), DrillTaken("dates", 5), DrillTaken("text", 1)),
    ),
    # Practised yesterday, not yet today: a 4-day streak still alive. The dates drill on time.
    DemoStudent(
        "grace", "Grace", "America/New_York", 0.62, 0.84, 0.7, ".xxxx.", (6, 7, 13, 18),
        drills=(DrillTaken("dates", 4),),
    ),
    # Last practised three days ago, on and off before: no streak, the weakest of the four,
    # and no drill done.
    DemoStudent("linus", "Linus", "Asia/Tokyo", 0.52, 0.76, 0.55, "...x.xx.x", (9, 12, 22, 23)),
    # Today and yesterday, after a gap: the dates drill late, the text drill half done.
    DemoStudent(
        "guido", "Guido", "Europe/Berlin", 0.58, 0.8, 0.65, "xx.xx.x", (8, 10, 15, 20),
        drills=(DrillTaken("dates", 1), DrillTaken("text", 0, finish=False)),
    ),
)  # fmt: skip


@dataclass
class Tally:
    """What was made for one student, for the summary."""

    days: int = 0
    quizzes: int = 0
    reviews: int = 0
    answers: int = 0
    right: int = 0


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def demo_usernames() -> list[str]:
    return [TEACHER, *(student.username for student in STUDENTS)]


def demo_account_create(username: str, first_name: str, role: str, time_zone: str) -> User:
    """A demo user and its profile, made as sign-up makes them, marked as a demo account."""
    return accounts.account_create(
        username=username,
        email=demo_email(username),
        password=DEMO_PASSWORD,
        role=role,
        time_zone=time_zone,
        first_name=first_name,
        is_demo=True,
    )


def check_no_conflicts() -> None:
    """Refuse to run when a real account has a demo account's username."""
    for user in User.objects.filter(username__in=demo_usernames()).select_related("profile"):
        if not is_demo(user):
            raise CommandError(NOT_A_DEMO_ACCOUNT.format(username=user.username))


def is_demo(user: User) -> bool:
    """Marked so in the database by this command; never guessed from a name or an email."""
    return Profile.objects.filter(user=user, is_demo=True).exists()


def demo_users_delete() -> int:
    """Delete the demo accounts; their profiles, attempts, answers and cards go with them."""
    users = User.objects.filter(profile__is_demo=True)
    count = users.count()
    users.delete()
    return count


# --- Planning a student's days -------------------------------------------------------------


def practised(student: DemoStudent, days_ago: int, rng: random.Random) -> bool:
    if days_ago < len(student.recent):
        return student.recent[days_ago] == "x"
    return rng.random() < student.practice_chance


def sitting_times(
    student: DemoStudent, day: date, zone: ZoneInfo, now: datetime, rng: random.Random
) -> list[datetime]:
    """When the student sat down to a quiz that day: 1 to 3 times, at their usual hours,
    and today only early enough to have finished before now."""
    count = rng.choice(QUIZZES_A_DAY)
    hours = sorted(rng.sample(student.hours, min(count, len(student.hours))))
    # In UTC: FSRS refuses any other zone, even for the same instant.
    times = [
        datetime.combine(day, clock(hour, rng.randrange(40)), tzinfo=zone).astimezone(UTC)
        for hour in hours
    ]
    finished = [moment for moment in times if moment + SITTING <= now]
    if day == now.astimezone(zone).date() and not finished:
        # Run early in the student's day: they practised just now, or the streak would break.
        finished = [now - SITTING]
    return finished


def practice_settings(catalogue: Catalogue, rng: random.Random, progress: float) -> QuizSettings:
    """Settings a learner might pick on /practice/: length, kinds, difficulty, categories."""
    kinds = tuple(Kind)
    if rng.random() < 0.5:
        kinds = tuple(sorted(rng.sample(list(Kind), rng.randint(2, 3))))
    categories: tuple[str, ...] = ()
    if rng.random() < 0.5:
        categories = tuple(rng.sample(list(catalogue.categories), rng.randint(1, 2)))
    # More hard quizzes as the student grows confident.
    hard = rng.random() < 0.15 + 0.35 * progress
    return QuizSettings(
        count=rng.randint(5, 15),
        kinds=kinds,
        difficulty=Difficulty.HARD if hard else Difficulty.EASY,
        categories=categories,
    )


def practice_attempt_start(
    learner: User, catalogue: Catalogue, rng: random.Random, progress: float, now: datetime
) -> Attempt:
    """Free practice, as the practice page starts it, at a simulated moment."""
    quiz_settings = practice_settings(catalogue, rng, progress)
    seed = rng.randrange(2**31)
    try:
        return attempts.practice_start(
            learner=learner, visitor=None, quiz_settings=quiz_settings, seed=seed, now=now
        )
    except NoQuestionsError:
        # A category with no question of the kinds drawn: take the whole catalogue instead.
        return attempts.practice_start(
            learner=learner,
            visitor=None,
            quiz_settings=QuizSettings(count=quiz_settings.count),
            seed=seed,
            now=now,
        )


def review_attempt_start(learner: User, rng: random.Random, now: datetime) -> Attempt | None:
    """ "Review now", at a simulated moment and with a seed of ours (the same every run)."""
    return cards.review_start(learner=learner, now=now, seed=rng.randrange(2**31))


# --- Answering -------------------------------------------------------------------------------


def chance_of_right(
    student: DemoStudent, asked: AskedQuestion, remembered: float | None, progress: float
) -> float:
    """The student's skill that day, helped by how well FSRS thinks they remember the module."""
    chance = student.accuracy_from + (student.accuracy_to - student.accuracy_from) * progress
    chance += -0.1 if remembered is None else 0.3 * (remembered - 0.8)
    if asked.kind == Kind.RECALL:
        chance -= 0.1  # typing the name is harder than recognising it
    elif asked.kind == Kind.STDLIB:
        chance += 0.1
    return min(0.97, max(0.05, chance))


def right_response(asked: AskedQuestion) -> str:
    if asked.kind == Kind.RECALL:
        return asked.right_answer
    return str(asked.options.index(asked.right_answer))


def wrong_response(asked: AskedQuestion, catalogue: Catalogue, rng: random.Random) -> str:
    """A wrong option; for recall, a module of the same category (the usual confusion)."""
    if asked.kind != Kind.RECALL:
        wrong = [i for i, option in enumerate(asked.options) if option != asked.right_answer]
        return str(rng.choice(wrong))
    accepted = {normalise_name(option) for option in asked.options}
    module = catalogue.modules[asked.module.name]
    neighbours = catalogue.in_categories(module.categories) or tuple(catalogue.modules)
    candidates = [
        name
        for name in neighbours
        if not {normalise_name(name), normalise_name(catalogue.modules[name].import_name)}
        & accepted
    ]
    return rng.choice(candidates or ["definitely-not-a-module"])


def seconds_to_answer(kind: str, right: bool, rng: random.Random) -> float:
    """4 to 30 seconds: right answers mostly quick, some slow (rated Hard), wrong ones slower."""
    if not right:
        return rng.uniform(6, 30)
    if rng.random() < 0.12:
        return rng.uniform(20, 30)
    return rng.uniform(5, 18) if kind == Kind.RECALL else rng.uniform(4, 14)


def attempt_take(
    *,
    attempt: Attempt,
    student: DemoStudent,
    catalogue: Catalogue,
    rng: random.Random,
    progress: float,
    tally: Tally,
    finish: bool = True,
) -> None:
    """Answer every question in order, as the pages would: shown, then answered, then feedback
    read before the next one; or, not to `finish`, only the first half."""
    learner = attempt.learner
    assert learner is not None
    # Read once a quiz: a quiz asks a module once, unless its category has fewer modules.
    known = cards.learner_cards(learner)
    moment = attempt.started_at
    questions = list(attempt.questions.select_related("module").order_by("position"))
    if not finish:
        questions = questions[: len(questions) // 2]
    for asked in questions:
        moment += timedelta(seconds=rng.uniform(2, 8))
        card = known.get(asked.module.name)
        remembered = recall_probability(card, moment) if card is not None else None
        right = rng.random() < chance_of_right(student, asked, remembered, progress)
        response = right_response(asked) if right else wrong_response(asked, catalogue, rng)
        attempts.question_show(asked, now=moment)
        moment += timedelta(seconds=seconds_to_answer(asked.kind, right, rng))
        answer = attempts.answer_record(
            asked=asked, response=response, catalogue=catalogue, now=moment
        )
        tally.answers += 1
        tally.right += int(answer.is_correct)


def day_practise(
    *,
    learner: User,
    student: DemoStudent,
    sittings: list[datetime],
    catalogue: Catalogue,
    rng: random.Random,
    progress: float,
    tally: Tally,
    drill: tuple[Drill, DrillTaken] | None = None,
) -> None:
    """One day's quizzes: the drill planned for the day first, else perhaps a review of what is
    due, then free practice."""
    if drill is not None:
        assigned, taken = drill
        attempt_take(
            attempt=classrooms.drill_start(
                student=learner, drill=assigned, now=sittings[0], seed=rng.randrange(2**31)
            ),
            student=student,
            catalogue=catalogue,
            rng=rng,
            progress=progress,
            tally=tally,
            finish=taken.finish,
        )
        tally.quizzes += 1
        sittings = sittings[1:]
    for number, start in enumerate(sittings):
        attempt: Attempt | None = None
        if number == 0 and drill is None and rng.random() < REVIEW_CHANCE:
            attempt = review_attempt_start(learner, rng, start)
            tally.reviews += int(attempt is not None)
        if attempt is None:
            attempt = practice_attempt_start(learner, catalogue, rng, progress, start)
        attempt_take(
            attempt=attempt,
            student=student,
            catalogue=catalogue,
            rng=rng,
            progress=progress,
            tally=tally,
        )
        tally.quizzes += 1


@transaction.atomic
def student_create(
    student: DemoStudent,
    days: int,
    now: datetime,
    catalogue: Catalogue,
    classroom: Classroom | None,
) -> Tally:
    """A demo student and their history, oldest day first (FSRS cannot go back in time); in
    the demo class, if there is one, with the drills they take on their days."""
    learner = demo_account_create(
        student.username, student.first_name, Profile.Role.STUDENT, student.time_zone
    )
    drills: dict[int, tuple[Drill, DrillTaken]] = {}
    if classroom is not None:
        classrooms.classroom_join(
            student=learner,
            code=classroom.join_code,
            now=min(now - timedelta(days=JOINED_DAYS_AGO), now - timedelta(days=days)),
        )
        assigned = {drill.title: drill for drill in classroom.drills.all()}
        by_key = {demo.key: assigned.get(demo.title) for demo in DRILLS}
        drills = {
            taken.days_ago: (drill, taken)
            for taken in student.drills
            if (drill := by_key[taken.drill]) is not None and taken.days_ago < days
        }
    # Seeded by name: the same choices on every run and every machine.
    rng = random.Random(f"seed_demo:{student.username}")
    zone = ZoneInfo(student.time_zone)
    today = now.astimezone(zone).date()
    tally = Tally()
    for days_ago in range(days - 1, -1, -1):
        if not practised(student, days_ago, rng):
            continue
        day = today - timedelta(days=days_ago)
        sittings = sitting_times(student, day, zone, now, rng)
        day_practise(
            learner=learner,
            student=student,
            sittings=sittings,
            catalogue=catalogue,
            rng=rng,
            progress=1 - days_ago / max(1, days - 1),
            tally=tally,
            drill=drills.get(days_ago),
        )
        tally.days += 1
    return tally


def demo_class_create(teacher: User, now: datetime) -> Classroom:
    """The teacher's class and its drills, dated from today; the students join as they are
    made."""
    classroom = classrooms.classroom_create(
        teacher=teacher, name=CLASS_NAME, description=CLASS_DESCRIPTION
    )
    today = now.astimezone(ZoneInfo(TEACHER_TIME_ZONE)).date()

    def at(days: int, hour: int) -> datetime:
        day = today + timedelta(days=days)
        return datetime.combine(day, clock(hour), tzinfo=ZoneInfo(TEACHER_TIME_ZONE))

    for demo in DRILLS:
        classrooms.drill_assign(
            classroom=classroom,
            title=demo.title,
            categories=list(Category.objects.filter(slug__in=demo.categories)),
            kinds=list(Kind),
            difficulty=Difficulty.EASY,
            question_count=demo.question_count,
            opens_at=at(demo.opens, 8),
            due_at=at(demo.due, DUE_HOUR),
            pass_mark=demo.pass_mark,
            seed=sum(map(ord, demo.key)),
        )
    return classroom


# --- Output ----------------------------------------------------------------------------------


def login_rows() -> list[tuple[str, str, str, str]]:
    rows = [(TEACHER, DEMO_PASSWORD, Profile.Role.TEACHER.value, TEACHER_TIME_ZONE)]
    rows += [(s.username, DEMO_PASSWORD, Profile.Role.STUDENT.value, s.time_zone) for s in STUDENTS]
    return rows


def logins_table() -> str:
    header = ("username", "password", "role", "time zone")
    rows = [header, tuple("-" * len(cell) for cell in header), *login_rows()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(["Demo logins (one shared password; log in at /accounts/login/):", *lines])


def student_summary(student: DemoStudent, tally: Tally) -> str:
    """One line per student, the streak read back from the real dashboard."""
    learner = User.objects.get(username=student.username)
    dash = learner_dashboard(learner, ZoneInfo(student.time_zone), timezone.now())
    percent = round(100 * tally.right / tally.answers) if tally.answers else 0
    return (
        f"  {student.username}: {tally.days} days, {tally.quizzes} quizzes "
        f"({tally.reviews} reviews), {tally.answers} answers, {percent}% right, "
        f"streak {dash.streak}"
    )


class Command(BaseCommand):
    help = (
        "Create demo accounts (a teacher and four students, password "
        f"{DEMO_PASSWORD!r}) with a few weeks of practice, through the real services. "
        "Idempotent; --reset deletes and recreates them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo accounts (with their attempts and cards) and create them anew.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Days of history per student, ending today (default {DEFAULT_DAYS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        days: int = options["days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}, not {days}.")
        check_no_conflicts()
        if options["reset"]:
            removed = demo_users_delete()
            self.stdout.write(f"Deleted {removed} demo accounts and their history.")
        existing = set(
            User.objects.filter(username__in=demo_usernames()).values_list("username", flat=True)
        )
        if existing == set(demo_usernames()):
            self.stdout.write(ALREADY_PRESENT)
            self.stdout.write(logins_table())
            return
        self.accounts_create(existing, days)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data created in {elapsed:.1f} s."))
        self.stdout.write(logins_table())

    def accounts_create(self, existing: set[str], days: int) -> None:
        """The demo accounts not there yet, each student in a transaction of their own."""
        now = timezone.now()
        if TEACHER not in existing:
            with transaction.atomic():
                teacher = demo_account_create(
                    TEACHER, "Teacher", Profile.Role.TEACHER, TEACHER_TIME_ZONE
                )
                demo_class_create(teacher, now)
            self.stdout.write(f"  {TEACHER}: teacher account and the class {CLASS_NAME!r}")
        classroom = Classroom.objects.filter(
            teacher__username=TEACHER, teacher__profile__is_demo=True, name=CLASS_NAME
        ).first()
        catalogue = get_catalogue()
        for student in STUDENTS:
            if student.username in existing:
                continue
            tally = student_create(student, days, now, catalogue, classroom)
            self.stdout.write(student_summary(student, tally))
