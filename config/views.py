"""Views of the project as a whole, not of one app."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """ "ok", touching neither the session nor the database: a load balancer's health check,
    and the bare Django view that `make bench` measures every page against."""
    return HttpResponse("ok", content_type="text/plain")
