"""The Jinja2 environment of the templates under templates/jinja2: the question's card, which
every question page and every answer renders. Rendering it took Django's template language
about a fifth of a signed-in answer's instructions; Jinja2 compiles the template to Python and
renders the same card in well under half of that. Every other page stays a Django template.

The card has what Django's templates gave it: the `inline_code` filter and `Kind` (which the
`question_kinds` context processor gives those). Its escaping is MarkupSafe's, which writes a
quote as `&#39;` or `&#34;` where Django writes `&#x27;` or `&quot;`: the same to a browser.
(Escaping every value Django's way first cost a fifth of what Jinja2 saved.) A name the
context lacks is an error, not an empty string."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, StrictUndefined

from catalogue.templatetags.catalogue_tags import inline_code
from quizzes.questions import Kind


def environment(**options: Any) -> Environment:
    env = Environment(**{**options, "undefined": StrictUndefined})
    env.filters["inline_code"] = inline_code
    env.globals["Kind"] = Kind
    return env
