"""The module catalogue: modules, the clues that describe them, and their categories."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from .kinds import ClueKind


class CategoryQuerySet(models.QuerySet["Category"]):
    def with_module_counts(self) -> CategoryQuerySet:
        # Meta.ordering is dropped from GROUP BY queries, so the order is said again here.
        return self.annotate(module_count=Count("modules", distinct=True)).order_by(
            "position", "name"
        )


class CategoryManager(models.Manager.from_queryset(CategoryQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, slug: str) -> Category:
        return self.get(slug=slug)


class Category(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        help_text="Order on the catalogue page: the seed's 16 come first, in its order."
    )

    objects = CategoryManager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:category", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


SEARCH_TERMS_ARE_WORDS = 'A list of words or phrases, such as ["time zone", "tz"].'


def validate_search_terms(value: object) -> None:
    """A curator types JSON: a bare string would be searched letter by letter."""
    if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
        raise ValidationError(SEARCH_TERMS_ARE_WORDS)


class ModuleQuerySet(models.QuerySet["Module"]):
    def with_listing(self) -> ModuleQuerySet:
        """What a list of module cards shows: categories and clues, in a fixed number of queries."""
        return self.prefetch_related(
            Prefetch("clues", queryset=Clue.objects.order_by("kind", "-is_summary", "pk")),
            Prefetch("categories", queryset=Category.objects.order_by("position")),
        )

    def askable(self) -> ModuleQuerySet:
        """The modules quizzes ask about in every kind: all but the lookalikes."""
        return self.filter(is_lookalike=False)

    def lookalikes(self) -> ModuleQuerySet:
        """Every lookalike, PyPI packages before removed modules, with what they resemble."""
        return (
            self.filter(is_lookalike=True)
            .select_related("resembles")
            .order_by("removed_in", "name")
        )

    def found_by_search(self, names: Iterable[str]) -> ModuleQuerySet:
        """The modules a search found, ready for their cards: three queries however many (the
        search itself ran over the catalogue snapshot, in memory)."""
        return self.filter(name__in=list(names)).with_listing()


class ModuleManager(models.Manager.from_queryset(ModuleQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, name: str) -> Module:
        return self.get(name=name)


class Module(models.Model):
    name = models.CharField(
        max_length=100, unique=True, help_text="As the seeds write it: os.path, scikit-learn."
    )
    import_name = models.CharField(
        max_length=100, help_text="What you type after `import`: sklearn for scikit-learn."
    )
    is_stdlib = models.BooleanField(
        "in the standard library", help_text="True when listed in sys.stdlib_module_names."
    )
    docs_url = models.URLField("documentation", max_length=300)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The package this is a submodule of: os for os.path.",
    )
    categories = models.ManyToManyField(
        Category,
        related_name="modules",
        blank=True,
        help_text='Lookalikes have none: they are asked only in "Standard library or not?".',
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Other names a developer may type for the module, which recall questions accept "
            'and its clues never use: ["np"] for numpy, ["ElementTree"] for xml.'
        ),
    )
    giveaways = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Words that are not the module's names but give it away, which its clues never "
            'use: ["SQLite"] for sqlite3, ["ZIP"] for zipfile, ["URL"] for urllib.'
        ),
    )
    search_terms = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_search_terms],
        help_text=(
            "What people type in the search box when they mean this module, besides its names "
            'and giveaways (which are searched too): ["time zone", "tz"] for zoneinfo. Clues may '
            "use these words; never add one that would lead a learner to the wrong module."
        ),
    )
    is_lookalike = models.BooleanField(
        "lookalike",
        default=False,
        help_text=(
            "A PyPI package mistaken for the standard library, or a module removed from it: "
            'asked only in "Standard library or not?".'
        ),
    )
    removed_in = models.CharField(
        max_length=10,
        blank=True,
        help_text="The Python version that removed it from the standard library, e.g. 3.13.",
    )
    resembles = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lookalikes",
        help_text="The standard-library module it is mistaken for, shadows or replaces.",
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "For lookalikes, third-party and removed modules: what it is and how it differs "
            'from the standard library, shown after "Standard library or not?".'
        ),
    )

    objects = ModuleManager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_in="") | Q(is_stdlib=False, is_lookalike=True),
                name="removed_module_is_a_lookalike",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalogue:module", args=[self.name])

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class ClueManager(models.Manager["Clue"]):
    def get_by_natural_key(self, text: str) -> Clue:
        return self.get(text=text)


class Clue(models.Model):
    text = models.CharField(
        max_length=500,
        unique=True,
        help_text="One whole sentence, shown as it is: it never names a module it is about.",
    )
    kind = models.CharField(max_length=20, choices=ClueKind.choices)
    is_summary = models.BooleanField(
        "summary",
        default=False,
        help_text=(
            'The description that says what its module is for: the answer to "What is it '
            'for?" and the line shown for the module in lists. One per module.'
        ),
    )
    sources = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            'Where the clue comes from: [{"seed": file, "text": the seed\'s own words}], '
            "kept as the seed wrote them; empty for a clue written by a curator."
        ),
    )
    modules = models.ManyToManyField(
        Module,
        related_name="clues",
        help_text="Every module the clue is true of: one clue may fit several.",
    )

    objects = ClueManager()

    class Meta:
        ordering = ["kind", "-is_summary", "text"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_summary=False) | Q(kind=ClueKind.DESCRIPTION),
                name="summary_is_a_description",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str]:
        return (self.text,)

    @property
    def is_curated(self) -> bool:
        return not self.sources


class ConfusableGroupManager(models.Manager["ConfusableGroup"]):
    def get_by_natural_key(self, name: str) -> ConfusableGroup:
        return self.get(name=name)


class ConfusableGroup(models.Model):
    """Modules learners mistake for one another: hard questions draw wrong options here."""

    name = models.CharField(max_length=100, unique=True)
    modules = models.ManyToManyField(Module, related_name="confusable_groups")

    objects = ConfusableGroupManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class CatalogueVersion(models.Model):
    """One row whose token changes on every catalogue change, so every app process can tell
    that its cached copy of the catalogue is stale without reading the catalogue itself.
    A fresh random token, not a counter: a rolled-back change can never be mistaken for a
    later one that reaches the same number."""

    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "catalogue version"

    def __str__(self) -> str:
        return f"catalogue version {self.token}"
