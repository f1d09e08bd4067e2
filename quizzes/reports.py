"""Read-models for the quiz pages, built from plain data: feedback after an answer and the
summary at the end of an attempt."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from catalogue.kinds import ClueKind
from catalogue.snapshot import Catalogue, ModuleInfo
from catalogue.templatetags.catalogue_tags import inline_code

from .questions import Kind

RIGHT_MARK = mark_safe('<span class="mark">right answer</span>')
WRONG_MARK = mark_safe('<span class="mark">your answer</span>')


@dataclass(frozen=True)
class ShownOption:
    """An option as the card shows it: its text as HTML, and after the answer, whether it is
    the right one or the learner's wrong one, with the class and the mark that say so (worked
    out here once, not by the template's conditions on every card)."""

    html: SafeString
    is_right: bool = False
    is_wrong: bool = False

    @property
    def css(self) -> str:
        return " is-right" if self.is_right else " is-wrong" if self.is_wrong else ""

    @property
    def mark(self) -> SafeString:
        return RIGHT_MARK if self.is_right else WRONG_MARK if self.is_wrong else SafeString()


def question_heading(kind: Kind, prompt: str) -> SafeString:
    """What the card asks, for each kind of question."""
    if kind == Kind.WHICH_MODULE:
        return SafeString("Which module is this?")
    if kind == Kind.WHICH_USE:
        return SafeString("Which module would you use for this?")
    if kind == Kind.WHAT_FOR:
        return format_html("What is <code>{}</code> for?", prompt)
    if kind == Kind.RECALL:
        return SafeString("Which module is this? Type its name.")
    return format_html("Is <code>{}</code> part of Python's standard library?", prompt)


def option_html(kind: Kind, text: str) -> SafeString:
    """A use for a module ("What is it for?") with its `code`; a name for "standard library
    or not?" as a sentence starts; any other option is a module's name, shown as code."""
    if kind == Kind.WHAT_FOR:
        return inline_code(text)
    if kind == Kind.STDLIB:
        return escape(capfirst(text))
    return format_html("<code>{}</code>", text.replace("`", ""))


def shown_options(
    kind: Kind, options: Iterable[str], *, right: str | None = None, given: str | None = None
) -> list[ShownOption]:
    """The question's options as its card shows them; with `right` and `given`, marked."""
    return [
        ShownOption(
            html=option_html(kind, option),
            is_right=option == right,
            is_wrong=option != right and option == given,
        )
        for option in options
    ]


@dataclass(frozen=True)
class Feedback:
    is_correct: bool
    given: str
    right_answer: str
    module: ModuleInfo
    chosen: ModuleInfo | None  # the wrong module the learner's choice stands for
    also_right: tuple[str, ...]  # other modules the question's clue is true of
    note: str | None
    gave_up: bool  # "I don't know"
    corrected: bool  # a wrong typed name the learner counted as right ("I was right")
    correctable: bool  # may still be

    @property
    def css(self) -> str:
        return "feedback-right" if self.is_correct else "feedback-wrong"

    @property
    def verdict(self) -> SafeString:
        if self.corrected:
            return mark_safe('<span aria-hidden="true">✓</span> Counted as right.')
        if self.is_correct:
            return mark_safe('<span aria-hidden="true">✓</span> Right!')
        if self.gave_up:
            return SafeString("Here is the answer.")
        return mark_safe('<span aria-hidden="true">✗</span> Not quite.')


def feedback_for(
    *,
    kind: Kind,
    module: str,
    clue: str | None,
    given: str,
    right_answer: str,
    chosen_module: str,
    is_correct: bool,
    catalogue: Catalogue,
    gave_up: bool = False,
    corrected: bool = False,
    correctable: bool = False,
) -> Feedback:
    info = catalogue.modules[module]
    chosen = None
    if not is_correct and chosen_module and chosen_module != module:
        chosen = catalogue.modules.get(chosen_module)
    also_right: tuple[str, ...] = ()
    if clue:
        shared = next((c for c in catalogue.clues_of(module) if c.text == clue), None)
        if shared is not None:
            also_right = tuple(sorted(shared.modules - {module}))
    note = stdlib_note(info, catalogue) if kind == Kind.STDLIB else None
    return Feedback(
        is_correct=is_correct,
        given=given,
        right_answer=right_answer,
        module=info,
        chosen=chosen,
        also_right=also_right,
        note=note,
        gave_up=gave_up,
        corrected=corrected,
        correctable=correctable,
    )


@dataclass(frozen=True)
class Lesson:
    """What the card teaches of a module after an answer, from the catalogue alone: the same
    after every question about it (the view renders it once per catalogue version)."""

    module: ModuleInfo
    descriptions: tuple[str, ...]
    use_cases: tuple[str, ...]
    summary: str | None  # what it is for, said of a module chosen wrongly


def lesson_for(catalogue: Catalogue, module: str) -> Lesson:
    clues = catalogue.clues_of(module)
    summary = catalogue.summary_of(module)
    return Lesson(
        module=catalogue.modules[module],
        descriptions=tuple(c.text for c in clues if c.kind == ClueKind.DESCRIPTION),
        use_cases=tuple(c.text for c in clues if c.kind == ClueKind.USE_CASE),
        summary=summary.text if summary else None,
    )


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def stdlib_note(module: ModuleInfo, catalogue: Catalogue) -> str:
    """What "standard library or not?" teaches about the module: where it comes from, and
    what it is mistaken for (tomllib vs toml, zoneinfo vs pytz)."""
    if module.removed_in:
        return module.note or (
            f"{module.name} was removed from the standard library in Python {module.removed_in}."
        )
    if not module.is_stdlib:
        where = f"{module.name} is a third-party package: pip install {module.name}."
        return module.note if module.is_lookalike and module.note else f"{where} {module.note}"
    found = [catalogue.modules[n] for n in module.lookalikes if n in catalogue.modules]
    pypi = [m.name for m in found if not m.removed_in]
    removed = [f"{m.name} (removed in {m.removed_in})" for m in found if m.removed_in]
    lines = [f"{module.name} ships with Python: no installation needed."]
    if pypi:
        lines.append(f"Not to be confused with {_listing(pypi)}, from PyPI.")
    if removed:
        lines.append(f"It does the job of {_listing(removed)}.")
    return " ".join(lines)


@dataclass(frozen=True)
class AnsweredQuestion:
    position: int
    kind: Kind
    module: str
    prompt: str
    given: str
    right_answer: str
    is_correct: bool
    gave_up: bool = False
    corrected: bool = False
    correctable: bool = False


@dataclass(frozen=True)
class CategoryScore:
    slug: str
    name: str
    right: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


@dataclass(frozen=True)
class Summary:
    right: int
    total: int
    categories: tuple[CategoryScore, ...]
    mistakes: tuple[AnsweredQuestion, ...]
    corrected: tuple[AnsweredQuestion, ...]  # counted right by the learner: "I was right"

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


def summarise(answered: Iterable[AnsweredQuestion], catalogue: Catalogue) -> Summary:
    """Score, per-category breakdown (a module counts in each of its categories), mistakes and
    the answers the learner corrected."""
    rows = list(answered)
    tally: dict[str, list[int]] = {}
    for row in rows:
        module = catalogue.modules.get(row.module)
        for slug in module.categories if module else ():
            right_total = tally.setdefault(slug, [0, 0])
            right_total[0] += int(row.is_correct)
            right_total[1] += 1
    categories = tuple(
        CategoryScore(slug=slug, name=info.name, right=tally[slug][0], total=tally[slug][1])
        for slug, info in catalogue.categories.items()
        if slug in tally
    )
    return Summary(
        right=sum(r.is_correct for r in rows),
        total=len(rows),
        categories=categories,
        mistakes=tuple(r for r in rows if not r.is_correct),
        corrected=tuple(r for r in rows if r.corrected),
    )
