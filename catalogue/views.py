from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from config.errors import Missing, NotFound, found_or_404
from config.htmx import HtmxHttpRequest

from .kinds import ClueKind
from .models import Category, Module
from .search import SearchQuery, search_catalogue
from .snapshot import get_catalogue


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    """The catalogue: every category with its number of modules."""
    categories = Category.objects.with_module_counts()
    return render(request, "catalogue/home.html", {"categories": categories})


@require_safe
def category_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One category and its modules."""
    category = found_or_404(Category, NotFound(Missing.CATEGORY, slug=slug), slug=slug)
    modules = category.modules.with_listing()
    return render(request, "catalogue/category.html", {"category": category, "modules": modules})


@require_safe
def module_detail(request: HtmxHttpRequest, name: str) -> HttpResponse:
    """One module: its clues by kind, categories, family and neighbours."""
    module = found_or_404(
        Module.objects.for_detail(), NotFound(Missing.MODULE, name=name), name=name
    )
    categories = list(module.categories.all())
    related = (
        Module.objects.filter(categories__in=categories)
        .exclude(pk=module.pk)
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "catalogue/module.html",
        {
            "module": module,
            "categories": categories,
            "descriptions": [c for c in module.clues.all() if c.kind == ClueKind.DESCRIPTION],
            "use_cases": [c for c in module.clues.all() if c.kind == ClueKind.USE_CASE],
            "children": module.children.order_by("name"),
            "related": related,
        },
    )


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
    """Modules by name, synonym, near miss or description, best first; live results over HTMX."""
    query = SearchQuery.from_raw(request.GET.get("q"))
    hits = search_catalogue(get_catalogue(), query.text) if query.text else []
    found = {module.name: module for module in Module.objects.found_by_search(h.name for h in hits)}
    # A module deleted since the snapshot was read is left out.
    results = [(found[hit.name], hit) for hit in hits if hit.name in found]
    template = "catalogue/search.html"
    # A history restore wants the whole page back, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, {"query": query, "results": results})
