"""What a quiz is made of, as plain data: the kinds of question, a quiz's settings and the
questions themselves exactly as a learner sees them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import TextChoices

MIN_QUESTIONS = 5
MAX_QUESTIONS = 50
OPTIONS_PER_QUESTION = 4
BLANK = "____"


class Kind(TextChoices):
    WHICH_MODULE = "which_module", "Which module?"  # a description: pick the module among 4
    WHICH_USE = "which_use", "Which would you use?"  # a use case: pick the module among 4
    WHAT_FOR = "what_for", "What is it for?"  # a module: pick its summary among 4
    RECALL = "recall", "Recall"  # a description or use case: type the module's name
    STDLIB = "stdlib", "Standard library or not?"  # a module: yes or no

    @property
    def asks_a_clue(self) -> bool:
        """Whether the prompt is a clue (else it is a module's name)."""
        return self in (Kind.WHICH_MODULE, Kind.WHICH_USE, Kind.RECALL)


class Difficulty(TextChoices):
    EASY = "easy", "Easy"  # distractors from other categories
    HARD = "hard", "Hard"  # distractors from the answer's confusable groups and categories


@dataclass(frozen=True)
class QuizSettings:
    count: int = 10
    kinds: tuple[Kind, ...] = tuple(Kind)
    difficulty: Difficulty = Difficulty.EASY
    categories: tuple[str, ...] = ()  # category slugs; empty means every category
    modules: tuple[str, ...] = ()  # ask only these modules ("practise these again", reviews)

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "kinds": [str(k) for k in self.kinds],
            "difficulty": str(self.difficulty),
            "categories": list(self.categories),
            "modules": list(self.modules),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QuizSettings:
        return cls(
            count=int(data["count"]),
            kinds=tuple(Kind(k) for k in data["kinds"]),
            difficulty=Difficulty(data["difficulty"]),
            categories=tuple(data.get("categories", ())),
            modules=tuple(data.get("modules", ())),
        )


@dataclass(frozen=True)
class Question:
    """One question exactly as shown: `prompt`, `options` and `answer` are the learner's text.

    For RECALL, `options` are the accepted spellings and are never shown; for STDLIB they are
    "yes" and "no". `clue` is the catalogue clue the question was made from (unredacted), so
    that feedback can teach from it; `option_modules` names, for each option, the module it
    stands for (for WHAT_FOR, whose options are descriptions), for "what the chosen module does".
    """

    kind: Kind
    module: str
    prompt: str
    options: tuple[str, ...]
    answer: str
    clue: str | None = None
    option_modules: tuple[str | None, ...] = field(default=())

    @property
    def heading(self) -> str:
        """The question as a worksheet prints it, in the words the page uses."""
        if self.kind is Kind.WHAT_FOR:
            return f"What is {self.prompt} for?"
        if self.kind is Kind.STDLIB:
            return f"Is {self.prompt} part of Python's standard library?"
        return self.prompt

    def to_json(self) -> dict[str, Any]:
        """The public JSON form: {kind, module, prompt, options, answer}."""
        return {
            "kind": str(self.kind),
            "module": self.module,
            "prompt": self.prompt,
            "options": list(self.options),
            "answer": self.answer,
        }

    def as_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["kind"] = str(self.kind)
        record["options"] = list(self.options)
        record["option_modules"] = list(self.option_modules)
        return record
