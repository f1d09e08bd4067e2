from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from .giveaways import find_giveaway, giveaway_terms
from .models import Category, Clue, ConfusableGroup, Module

CLUE_NAMES_MODULE = (
    "This clue gives {module} away (it contains “{term}”): reword it so that it tests what "
    "the module does, not its name."
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ["name", "slug", "position", "module_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(module_count=Count("modules"))

    @admin.display(ordering="module_count", description="modules")
    def module_count(self, category: Category) -> int:
        return category.module_count  # type: ignore[attr-defined]


class ClueInline(admin.TabularInline):
    model = Clue.modules.through
    extra = 1
    autocomplete_fields = ["clue"]
    verbose_name = "clue"
    verbose_name_plural = "clues"


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin[Module]):
    list_display = ["name", "import_name", "is_stdlib", "is_lookalike", "removed_in", "resembles"]
    list_filter = ["is_stdlib", "is_lookalike", "categories"]
    search_fields = ["name", "import_name", "clues__text", "note"]
    filter_horizontal = ["categories"]
    autocomplete_fields = ["parent", "resembles"]
    inlines = [ClueInline]
    list_select_related = ["parent", "resembles"]
    # Documentation links are https; Django 6 makes that the default for typed-in URLs.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ClueForm(forms.ModelForm[Clue]):
    def clean(self) -> dict[str, Any]:
        """A clue is shown as it is: it may not name any module it is about."""
        cleaned = super().clean() or {}
        text = cleaned.get("text") or ""
        for module in cleaned.get("modules") or ():
            terms = giveaway_terms(
                module.name, module.import_name, module.aliases, module.giveaways
            )
            term = find_giveaway(text, terms)
            if term:
                self.add_error("text", CLUE_NAMES_MODULE.format(module=module.name, term=term))
        return cleaned


class ProvenanceFilter(admin.SimpleListFilter):
    title = "provenance"
    parameter_name = "provenance"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("seed", "From a seed"), ("curated", "Curated")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Clue]) -> QuerySet[Clue]:
        if self.value() == "seed":
            return queryset.exclude(sources=[])
        if self.value() == "curated":
            return queryset.filter(sources=[])
        return queryset


@admin.register(Clue)
class ClueAdmin(admin.ModelAdmin[Clue]):
    form = ClueForm
    list_display = ["text", "kind", "provenance", "module_names"]
    list_filter = ["kind", ProvenanceFilter]
    search_fields = ["text", "modules__name"]
    filter_horizontal = ["modules"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clue]:
        return super().get_queryset(request).prefetch_related("modules")

    @admin.display(description="modules")
    def module_names(self, clue: Clue) -> str:
        return ", ".join(module.name for module in clue.modules.all())

    @admin.display(description="provenance")
    def provenance(self, clue: Clue) -> str:
        if clue.is_curated:
            return "curated"
        return "; ".join(f"{source['seed']}: {source['text']}" for source in clue.sources)


@admin.register(ConfusableGroup)
class ConfusableGroupAdmin(admin.ModelAdmin[ConfusableGroup]):
    list_display = ["name", "module_names"]
    search_fields = ["name", "modules__name"]
    filter_horizontal = ["modules"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ConfusableGroup]:
        return super().get_queryset(request).prefetch_related("modules")

    @admin.display(description="modules")
    def module_names(self, group: ConfusableGroup) -> str:
        return ", ".join(module.name for module in group.modules.all())
