"""The module catalogue: modules, the clues that describe them, and their categories."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse


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


class ModuleQuerySet(models.QuerySet["Module"]):
    def with_listing(self) -> ModuleQuerySet:
        """What a list of module cards shows: categories and clues, in a fixed number of queries."""
        return self.prefetch_related(
            Prefetch("clues", queryset=Clue.objects.order_by("kind", "pk")),
            Prefetch("categories", queryset=Category.objects.order_by("position")),
        )

    def for_detail(self) -> ModuleQuerySet:
        return self.select_related("parent").with_listing()

    def matching(self, query: str) -> ModuleQuerySet:
        """Modules whose name or a clue contains every word of the query."""
        words = query.split()
        if not words:
            return self.none()
        condition = Q()
        for word in words:
            condition &= (
                Q(name__icontains=word)
                | Q(import_name__icontains=word)
                | Q(clues__text__icontains=word)
            )
        ids = self.filter(condition).values("pk")
        return self.filter(pk__in=ids)


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
    categories = models.ManyToManyField(Category, related_name="modules")
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "Other words that give the module away and are blanked in questions about it, "
            'e.g. ["SQLite"] for sqlite3, ["ZIP"] for zipfile.'
        ),
    )

    objects = ModuleManager()

    class Meta:
        ordering = ["name"]

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
    class Kind(models.TextChoices):
        DESCRIPTION = "description", "Description"
        USE_CASE = "use_case", "Use case"

    CURATED = "curated"

    text = models.CharField(max_length=500, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(
        max_length=100, help_text="The seed file this clue comes from, or 'curated'."
    )
    modules = models.ManyToManyField(
        Module,
        related_name="clues",
        help_text="Every module the clue is true of: one clue may fit several.",
    )
    fits_when_blanked = models.ManyToManyField(
        Module,
        related_name="+",
        blank=True,
        help_text=(
            "Modules the clue is not true of, but would seem to fit once its module's name is "
            'blanked ("Allows working with ____ archives." fits tarfile): never offered as '
            "wrong options when the clue is shown blanked."
        ),
    )

    objects = ClueManager()

    class Meta:
        ordering = ["kind", "text"]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str]:
        return (self.text,)


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
