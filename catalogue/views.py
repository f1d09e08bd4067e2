from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from config.htmx import HtmxHttpRequest

from .kinds import ClueKind
from .models import Category, Module
from .search import SearchQuery


@require_safe
def home(request: HtmxHttpRequest) -> HttpResponse:
    """The catalogue: every category with its number of modules."""
    categories = Category.objects.with_module_counts()
    return render(request, "catalogue/home.html", {"categories": categories})


@require_safe
def category_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """One category and its modules."""
    category = get_object_or_404(Category, slug=slug)
    modules = category.modules.with_listing()
    return render(request, "catalogue/category.html", {"category": category, "modules": modules})


@require_safe
def module_detail(request: HtmxHttpRequest, name: str) -> HttpResponse:
    """One module: its clues by kind, categories, family and neighbours."""
    module = get_object_or_404(Module.objects.for_detail(), name=name)
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
    """Modules whose name or clues contain every word typed; live results over HTMX."""
    query = SearchQuery.from_raw(request.GET.get("q"))
    modules = (
        Module.objects.matching(query.text)
        .annotate(
            # Name matches first, then the rest alphabetically.
            name_rank=Case(
                When(Q(name__iexact=query.text) | Q(import_name__iexact=query.text), then=0),
                When(name__istartswith=query.text, then=1),
                When(name__icontains=query.text, then=2),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("name_rank", "name")
        .with_listing()
    )
    template = "catalogue/search.html"
    # A history restore wants the whole page back, not the fragment.
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, {"query": query, "modules": modules})
