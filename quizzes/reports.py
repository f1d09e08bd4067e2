"""Read-models for the quiz pages, built from plain data: feedback after an answer and the
summary at the end of an attempt."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalogue.snapshot import Catalogue, ModuleInfo

from .questions import Kind


@dataclass(frozen=True)
class Feedback:
    is_correct: bool
    given: str
    right_answer: str
    module: ModuleInfo
    descriptions: tuple[str, ...]
    use_cases: tuple[str, ...]
    chosen: ModuleInfo | None  # the wrong module the learner's choice stands for
    chosen_description: str | None
    also_right: tuple[str, ...]  # other modules the question's clue is true of
    note: str | None


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
) -> Feedback:
    info = catalogue.modules[module]
    clues = catalogue.clues_of(module)
    chosen = None
    chosen_description = None
    if not is_correct and chosen_module and chosen_module != module:
        chosen = catalogue.modules.get(chosen_module)
        if chosen is not None:
            descriptions = catalogue.clues_of(chosen.name, "description")
            chosen_description = descriptions[0].text if descriptions else None
    also_right: tuple[str, ...] = ()
    if clue:
        shared = next((c for c in clues if c.text == clue), None)
        if shared is not None:
            also_right = tuple(sorted(shared.modules - {module}))
    note = None
    if kind == Kind.STDLIB:
        note = (
            f"{module} ships with Python: no installation needed."
            if info.is_stdlib
            else f"{module} is a third-party package: install it with pip install {module}."
        )
    return Feedback(
        is_correct=is_correct,
        given=given,
        right_answer=right_answer,
        module=info,
        descriptions=tuple(c.text for c in clues if c.kind == "description"),
        use_cases=tuple(c.text for c in clues if c.kind == "use_case"),
        chosen=chosen,
        chosen_description=chosen_description,
        also_right=also_right,
        note=note,
    )


@dataclass(frozen=True)
class AnsweredQuestion:
    position: int
    kind: Kind
    module: str
    prompt: str
    given: str
    right_answer: str
    is_correct: bool


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

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


def summarise(answered: Iterable[AnsweredQuestion], catalogue: Catalogue) -> Summary:
    """Score, per-category breakdown (a module counts in each of its categories) and mistakes."""
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
    )
