from typing import cast

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.decorators.http import require_safe

from config.errors import Missing, NotFound, found_or_404
from config.htmx import HtmxHttpRequest

from .kinds import ClueKind
from .models import Category, Clue, Module
from .search import SearchHit, SearchQuery, search_catalogue
from .snapshot import current_version, get_catalogue


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    """The catalogue: every category with its number of modules. The list is rendered once per
    catalogue version (the query stays lazy, unrun when the fragment is cached)."""
    categories = Category.objects.with_module_counts()
    context = {"categories": categories, "catalogue_version": current_version()}
    return render(request, "catalogue/home.html", context)


@require_safe
def category_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One category and its modules, whose cards are rendered once per catalogue version."""
    category = found_or_404(Category, NotFound(Missing.CATEGORY, slug=slug), slug=slug)
    context = {
        "category": category,
        "modules": category.modules.with_listing(),
        "has_modules": category.modules.exists,  # asked only when the cards are not cached
        "catalogue_version": current_version(),
    }
    return render(request, "catalogue/category.html", context)


class ModuleDetail:
    """What a module's page shows beside the module itself, each read when first shown: the
    template renders it once per catalogue version, and a cached page reads none of it."""

    def __init__(self, module: Module) -> None:
        self.module = module

    @cached_property
    def categories(self) -> list[Category]:
        return list(self.module.categories.all())

    @cached_property
    def clues(self) -> list[Clue]:
        return list(self.module.clues.all())

    @property
    def descriptions(self) -> list[Clue]:
        return [c for c in self.clues if c.kind == ClueKind.DESCRIPTION]

    @property
    def use_cases(self) -> list[Clue]:
        return [c for c in self.clues if c.kind == ClueKind.USE_CASE]

    @cached_property
    def children(self) -> list[Module]:
        return list(self.module.children.order_by("name"))

    @cached_property
    def lookalikes(self) -> list[Module]:
        return list(self.module.lookalikes.order_by("name"))

    @cached_property
    def related(self) -> list[Module]:
        """Modules that share a category with it."""
        return list(
            Module.objects.filter(categories__in=self.categories)
            .exclude(pk=self.module.pk)
            .distinct()
            .order_by("name")
        )


@require_safe
def module_detail(request: HtmxHttpRequest, name: str) -> HttpResponse:
    """One module: its clues by kind, categories, family and neighbours. Whether it exists,
    and what the page shows outside its cached fragments, come from the catalogue's snapshot;
    the module's row is read only when a fragment is rendered."""
    catalogue = get_catalogue()
    info = catalogue.modules.get(name)
    if info is None:
        raise NotFound(Missing.MODULE, name=name)

    def row() -> Module:
        return Module.objects.select_related("parent", "resembles").get(name=name)

    module = cast(Module, SimpleLazyObject(row))  # a Module, once first used
    context = {
        "info": info,
        "module": module,
        "detail": ModuleDetail(module),
        "catalogue_version": catalogue.version,
    }
    return render(request, "catalogue/module.html", context)


@require_safe
def lookalikes(request: HtmxHttpRequest) -> HttpResponse:
    """Names that are not in the standard library: PyPI lookalikes and removed modules."""
    found = list(Module.objects.lookalikes())
    return render(
        request,
        "catalogue/lookalikes.html",
        {
            "packages": [m for m in found if not m.removed_in],
            "removed": sorted((m for m in found if m.removed_in), key=lambda m: m.name),
        },
    )


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Modules by name, synonym, near miss or description, best first; live results over HTMX.
    The results of a query are rendered once per catalogue version: the matching and the
    modules' queries are lazy, unrun when the fragment is cached."""
    query = SearchQuery.from_raw(request.GET.get("q"))
    # Nothing to look for asks nothing of the database.
    catalogue = get_catalogue() if query.has_words else None

    def results() -> list[tuple[Module, SearchHit]]:
        hits = search_catalogue(catalogue, query.text) if catalogue else []
        found = {m.name: m for m in Module.objects.found_by_search(h.name for h in hits)}
        # A module deleted since the snapshot was read is left out.
        return [(found[hit.name], hit) for hit in hits if hit.name in found]

    context = {
        "query": query,
        "results": SimpleLazyObject(results),
        "catalogue_version": catalogue.version if catalogue else "",
    }
    template = "catalogue/search.html"
    # A history restore wants the whole page back, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)
