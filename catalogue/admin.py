from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from .models import Category, Clue, Module


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
    list_display = ["name", "import_name", "is_stdlib", "parent"]
    list_filter = ["is_stdlib", "categories"]
    search_fields = ["name", "import_name", "clues__text"]
    filter_horizontal = ["categories"]
    autocomplete_fields = ["parent"]
    inlines = [ClueInline]
    list_select_related = ["parent"]
    # Documentation links are https; Django 6 makes that the default for typed-in URLs.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Clue)
class ClueAdmin(admin.ModelAdmin[Clue]):
    list_display = ["text", "kind", "source", "module_names"]
    list_filter = ["kind", "source"]
    search_fields = ["text", "modules__name"]
    filter_horizontal = ["modules", "fits_when_blanked"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clue]:
        return super().get_queryset(request).prefetch_related("modules")

    @admin.display(description="modules")
    def module_names(self, clue: Clue) -> str:
        return ", ".join(module.name for module in clue.modules.all())
