"""Showing clue text: the seeds write code in backticks (`print`, `import`)."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

BACKTICKED = re.compile(r"`([^`]+)`")


@register.filter
def inline_code(text: str) -> SafeString:
    """Escape the text, then show `backticked` words as code."""
    # Safe: everything, the backticked words included, was escaped first.
    return mark_safe(BACKTICKED.sub(r"<code>\1</code>", escape(text)))
