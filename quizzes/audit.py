"""The question bank's quality gate, as plain data: generate many quizzes over every kind,
difficulty and category, and count what a Python teacher would strike out.

The checks are written from the catalogue and the fairness rules, not from
the generator's own bookkeeping, so that a generator bug shows up as a figure off target.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from catalogue.giveaways import find_giveaway, giveaway_terms
from catalogue.kinds import ClueKind
from catalogue.snapshot import Catalogue, ClueInfo, ModuleInfo

from .generation import NoQuestionsError, generate_quiz
from .questions import BLANK, Difficulty, Kind, Question, QuizSettings

YES = "yes"
MIN_CLUES_OF_EACH_KIND = 2
FULL_CLUE_SET = 4  # two descriptions and two use cases
YES_SHARE_RANGE = (0.40, 0.60)


@dataclass
class KindFigures:
    """What was counted for one kind of question."""

    questions: int = 0
    with_blank: int = 0  # a prompt or an option holding a blank
    naming_answer: int = 0  # a prompt (or a "What is it for?" option) naming the answer
    repeated_prompts: int = 0  # a prompt already shown earlier in the same quiz
    repeated_modules: int = 0  # a module asked again while one of the pool was never asked
    second_right: int = 0  # a wrong option the prompt is also true of
    hard_distractors: int = 0  # distractors offered by hard questions
    hard_unrelated: int = 0  # ... sharing no category and no confusable group with the answer
    yes_answers: int = 0  # "standard library or not?" answered "yes"

    @property
    def yes_share(self) -> float | None:
        return self.yes_answers / self.questions if self.questions else None

    def add(self, other: KindFigures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ClueFigures:
    """How many clues each module that quizzes ask about has (lookalikes aside)."""

    modules: int
    descriptions: int
    use_cases: int
    min_descriptions: int
    min_use_cases: int
    under_four: tuple[str, ...]  # modules with fewer than two of each kind
    lookalikes: int  # third-party packages asked only in "standard library or not?"
    removed: int  # modules removed from the standard library


@dataclass
class Audit:
    quizzes: int
    by_kind: dict[Kind, KindFigures]
    clues: ClueFigures
    failures: list[str] = field(default_factory=list)  # examples of every flaw found

    @property
    def total(self) -> KindFigures:
        total = KindFigures()
        for figures in self.by_kind.values():
            total.add(figures)
        return total

    def problems(self) -> list[str]:
        """Every figure off its target, in words; empty when the bank passes."""
        found = []
        total = self.total
        for name in (
            "with_blank",
            "naming_answer",
            "repeated_prompts",
            "repeated_modules",
            "second_right",
            "hard_unrelated",
        ):
            if getattr(total, name):
                found.append(f"{name.replace('_', ' ')}: {getattr(total, name)}")
        share = self.by_kind[Kind.STDLIB].yes_share
        low, high = YES_SHARE_RANGE
        if share is None or not low <= share <= high:
            found.append(f"standard library or not? answers yes {share!r} of the time")
        clues = self.clues
        if clues.min_descriptions < MIN_CLUES_OF_EACH_KIND:
            found.append(f"a module has {clues.min_descriptions} descriptions")
        if clues.min_use_cases < MIN_CLUES_OF_EACH_KIND:
            found.append(f"a module has {clues.min_use_cases} use cases")
        if clues.under_four:
            found.append(f"modules without two of each kind: {', '.join(clues.under_four)}")
        return found


# --- Independent rules -----------------------------------------------------------------------


def terms_of(module: ModuleInfo) -> tuple[str, ...]:
    return giveaway_terms(
        module.name,
        module.import_name,
        module.aliases,
        module.giveaways,
    )


def family(catalogue: Catalogue, name: str) -> set[str]:
    module = catalogue.modules[name]
    return {name, *module.children, *([module.parent] if module.parent else [])}


def pool_of(catalogue: Catalogue, settings: QuizSettings) -> set[str]:
    if settings.modules:
        return set(settings.modules) & set(catalogue.modules)
    askable = {n for n, m in catalogue.modules.items() if not m.is_lookalike}
    if settings.categories:
        return askable & set(catalogue.in_categories(settings.categories))
    return askable


def groups_of(catalogue: Catalogue, name: str) -> set[str]:
    mates: set[str] = set()
    for group in catalogue.groups:
        if name in group:
            mates |= set(group)
    return mates - {name}


def related(catalogue: Catalogue, answer: str, other: str) -> bool:
    """Whether `other` is a plausible confusion for `answer`: same category or group."""
    one, two = catalogue.modules[answer], catalogue.modules[other]
    return bool(set(one.categories) & set(two.categories)) or other in groups_of(catalogue, answer)


def clue_of(catalogue: Catalogue, text: str | None) -> ClueInfo | None:
    return next((c for c in catalogue.clues if c.text == text), None)


def prompt_key(question: Question) -> tuple[str, str]:
    # A clue is one prompt whatever kind shows it; a module's name is a prompt per kind.
    if question.kind in (Kind.WHAT_FOR, Kind.STDLIB):
        return (str(question.kind), question.prompt)
    return ("clue", " ".join((question.clue or question.prompt).split()).casefold())


# --- Checking a quiz -------------------------------------------------------------------------


def check_question(
    catalogue: Catalogue, settings: QuizSettings, question: Question, figures: KindFigures
) -> list[str]:
    flaws = []
    figures.questions += 1
    answer = catalogue.modules[question.module]
    # The clue texts the learner reads: the prompt, or for "What is it for?" the options.
    shown = {
        Kind.WHICH_MODULE: [question.prompt],
        Kind.WHICH_USE: [question.prompt],
        Kind.RECALL: [question.prompt],
        Kind.WHAT_FOR: list(question.options),
    }.get(question.kind, [])
    if any(BLANK in text for text in shown):
        figures.with_blank += 1
        flaws.append("blank")
    clue_prompt = question.kind in (Kind.WHICH_MODULE, Kind.WHICH_USE, Kind.RECALL)
    if clue_prompt and find_giveaway(question.prompt, terms_of(answer)):
        figures.naming_answer += 1
        flaws.append("names its answer")
    if question.kind is Kind.WHAT_FOR:
        kin_terms = [
            t
            for name in family(catalogue, question.module)
            for t in terms_of(catalogue.modules[name])
        ]
        if any(find_giveaway(option, kin_terms) for option in question.options):
            figures.naming_answer += 1
            flaws.append("an option names the module asked")
    if question.kind is Kind.STDLIB and question.answer == YES:
        figures.yes_answers += 1
    distractors = [
        (option, owner)
        for option, owner in zip(question.options, question.option_modules, strict=False)
        if option != question.answer
    ]
    if question.kind in (Kind.WHICH_MODULE, Kind.WHICH_USE, Kind.WHAT_FOR):
        kin = family(catalogue, question.module)
        clue = clue_of(catalogue, question.clue)
        fitting = set(clue.modules) if clue else set()
        for option, owner in distractors:
            if owner is None or owner not in catalogue.modules:
                continue
            wrong = owner in kin or owner in fitting
            if question.kind is Kind.WHAT_FOR:
                # The option is a clue: is it also true of the asked module's family?
                option_clue = clue_of(catalogue, option)
                wrong = wrong or (option_clue is not None and bool(option_clue.modules & kin))
            if wrong:
                figures.second_right += 1
                flaws.append(f"second right answer {owner}")
            if settings.difficulty is Difficulty.HARD:
                figures.hard_distractors += 1
                if not related(catalogue, question.module, owner):
                    figures.hard_unrelated += 1
                    flaws.append(f"unrelated hard distractor {owner}")
    return flaws


def check_quiz(
    catalogue: Catalogue,
    settings: QuizSettings,
    quiz: Sequence[Question],
    by_kind: dict[Kind, KindFigures],
) -> list[str]:
    flaws = []
    pool = pool_of(catalogue, settings)
    seen_prompts: set[tuple[str, str]] = set()
    asked: Counter[str] = Counter()
    for question in quiz:
        figures = by_kind[question.kind]
        for flaw in check_question(catalogue, settings, question, figures):
            flaws.append(f"{flaw}: {question.to_json()}")
        key = prompt_key(question)
        if key in seen_prompts:
            figures.repeated_prompts += 1
            flaws.append(f"repeated prompt: {question.to_json()}")
        seen_prompts.add(key)
        if question.module in pool:
            if asked[question.module] and any(asked[name] == 0 for name in pool):
                figures.repeated_modules += 1
                flaws.append(f"module asked again before the rest: {question.to_json()}")
            asked[question.module] += 1
    return flaws


def clue_figures(catalogue: Catalogue) -> ClueFigures:
    askable = [m for m in catalogue.modules.values() if not m.is_lookalike]
    descriptions = {m.name: len(catalogue.clues_of(m.name, ClueKind.DESCRIPTION)) for m in askable}
    use_cases = {m.name: len(catalogue.clues_of(m.name, ClueKind.USE_CASE)) for m in askable}
    return ClueFigures(
        modules=len(askable),
        descriptions=sum(1 for c in catalogue.clues if c.kind == ClueKind.DESCRIPTION),
        use_cases=sum(1 for c in catalogue.clues if c.kind == ClueKind.USE_CASE),
        min_descriptions=min(descriptions.values(), default=0),
        min_use_cases=min(use_cases.values(), default=0),
        under_four=tuple(
            sorted(
                name
                for name in descriptions
                if descriptions[name] < MIN_CLUES_OF_EACH_KIND
                or use_cases[name] < MIN_CLUES_OF_EACH_KIND
            )
        ),
        lookalikes=sum(
            1 for m in catalogue.modules.values() if m.is_lookalike and not m.removed_in
        ),
        removed=sum(1 for m in catalogue.modules.values() if m.removed_in),
    )


def audit_settings(
    catalogue: Catalogue, *, count: int, kind_sets: Iterable[tuple[Kind, ...]] | None = None
) -> list[QuizSettings]:
    """Every category (and all of them), both difficulties, each kind alone and all kinds."""
    kind_sets = list(kind_sets or [*((kind,) for kind in Kind), tuple(Kind)])
    categories: list[tuple[str, ...]] = [(slug,) for slug in catalogue.categories] + [()]
    return [
        QuizSettings(count=count, kinds=kinds, difficulty=difficulty, categories=chosen)
        for chosen, difficulty, kinds in itertools.product(categories, Difficulty, kind_sets)
    ]


def audit(catalogue: Catalogue, *, seeds: int = 3, count: int = 20) -> Audit:
    by_kind = {kind: KindFigures() for kind in Kind}
    failures: list[str] = []
    quizzes = 0
    for settings in audit_settings(catalogue, count=count):
        for seed in range(seeds):
            try:
                quiz = generate_quiz(catalogue, settings, seed)
            except NoQuestionsError:
                continue  # nothing of these kinds to ask in this category: not a flaw
            quizzes += 1
            failures += check_quiz(catalogue, settings, quiz, by_kind)
    return Audit(quizzes=quizzes, by_kind=by_kind, clues=clue_figures(catalogue), failures=failures)


def report(result: Audit) -> list[str]:
    """The audit as the lines the command prints."""
    lines = [f"{result.quizzes} quizzes checked", ""]
    header = (
        f"{'kind':<26}{'questions':>10}{'blank':>7}{'named':>7}{'repeat':>8}{'again':>7}"
        f"{'2nd right':>11}{'hard unrelated':>16}{'yes %':>7}"
    )
    lines.append(header)
    for kind, figures in [*result.by_kind.items(), (None, result.total)]:
        share = figures.yes_share if kind is Kind.STDLIB else None
        far = f"{figures.hard_unrelated}/{figures.hard_distractors}"
        lines.append(
            f"{kind.label if kind else 'all kinds':<26}{figures.questions:>10}"
            f"{figures.with_blank:>7}{figures.naming_answer:>7}{figures.repeated_prompts:>8}"
            f"{figures.repeated_modules:>7}{figures.second_right:>11}{far:>16}"
            f"{'' if share is None else f'{100 * share:.0f}':>7}"
        )
    clues = result.clues
    lines += [
        "",
        f"clues: {clues.descriptions} descriptions, {clues.use_cases} use cases, for "
        f"{clues.modules} modules; per module at least {clues.min_descriptions} descriptions "
        f"and {clues.min_use_cases} use cases",
        "modules without two of each: " + (", ".join(clues.under_four) or "none"),
        f"lookalikes: {clues.lookalikes} PyPI packages, {clues.removed} removed modules",
    ]
    problems = result.problems()
    lines += ["", "PASS: every figure is on target" if not problems else "FAIL:"]
    lines += [f"  {problem}" for problem in problems]
    return lines
