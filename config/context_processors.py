"""What every page's layout links to, worked out once per process rather than on every page:
reversing a URL and finding a static file's hashed name cost about 0.1 ms each, and the layout
has a dozen of them (more than a bare view costs in all)."""

from __future__ import annotations

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

NAVIGATION = {
    "home": "catalogue:home",
    "search": "catalogue:search",
    "practice": "quizzes:practice",
    "dashboard": "quizzes:dashboard",
    "classes": "classrooms:list",
    "settings": "settings",
    "login": "login",
    "logout": "logout",
    "signup": "signup",
}
ASSETS = {"css": "css/batteries.css", "icon": "img/favicon.svg", "quiz_js": "js/quiz.js"}


@cache
def layout_links(script_prefix: str) -> dict[str, str]:
    """The layout's links and assets under one script prefix (one per deployment)."""
    return {
        **{name: reverse(view) for name, view in NAVIGATION.items()},
        **{name: static(path) for name, path in ASSETS.items()},
    }


def layout(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"layout": layout_links(get_script_prefix())}


@receiver(setting_changed)
def layout_links_forget(**kwargs: object) -> None:
    """A test that changes settings (static files' storage, say) gets the layout's links anew."""
    layout_links.cache_clear()
