"""The catalogue as plain, immutable data: read from the database once per process, re-read
when another process (or loaddata) has changed it, and buildable from fixture JSON in tests."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from django.db import connections

from config.prepared import PreparedRead

from .kinds import ClueKind

T = TypeVar("T")


@dataclass(frozen=True)
class CategoryInfo:
    slug: str
    name: str


@dataclass(frozen=True)
class ModuleInfo:
    name: str
    import_name: str
    is_stdlib: bool
    docs_url: str
    parent: str | None
    categories: tuple[str, ...]  # category slugs, in catalogue order
    aliases: tuple[str, ...] = ()  # other names recall accepts
    giveaways: tuple[str, ...] = ()  # other words its clues never use
    search_terms: tuple[str, ...] = ()  # what people type for it: "regex", "time zone"
    is_lookalike: bool = False  # asked only in "Standard library or not?"
    removed_in: str = ""  # the Python version that removed it from the standard library
    resembles: str | None = None  # the standard-library module it is mistaken for
    note: str = ""  # how it differs from the standard library
    children: tuple[str, ...] = ()
    lookalikes: tuple[str, ...] = ()  # the modules that resemble this one

    @property
    def family(self) -> frozenset[str]:
        """The module, its parent and its children: never distractors for one another."""
        return frozenset({self.name, *self.children, *([self.parent] if self.parent else [])})


@dataclass(frozen=True)
class ClueInfo:
    text: str
    kind: ClueKind
    modules: frozenset[str]
    is_summary: bool = False  # what its modules are for: the answer to "What is it for?"


@dataclass(frozen=True)
class Catalogue:
    version: str
    categories: Mapping[str, CategoryInfo]  # by slug, in catalogue order
    modules: Mapping[str, ModuleInfo]  # by name, sorted by name
    clues: tuple[ClueInfo, ...]  # sorted by text
    groups: tuple[tuple[str, ...], ...]  # confusable groups, each sorted, sorted by name
    _clues_by_module: Mapping[str, tuple[ClueInfo, ...]] = field(repr=False, compare=False)
    # What is worked out from this version alone (a module's part of the question card,
    # rendered, say), kept while the process keeps this version: see `derived`.
    _derived: dict[Hashable, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def build(
        cls,
        *,
        version: str,
        categories: Iterable[CategoryInfo],
        modules: Iterable[ModuleInfo],
        clues: Iterable[ClueInfo],
        groups: Iterable[Iterable[str]] = (),
    ) -> Catalogue:
        module_list = sorted(modules, key=lambda m: m.name)
        children: dict[str, list[str]] = {}
        lookalikes: dict[str, list[str]] = {}
        for module in module_list:
            if module.parent:
                children.setdefault(module.parent, []).append(module.name)
            if module.resembles:
                lookalikes.setdefault(module.resembles, []).append(module.name)
        by_name = {
            m.name: replace(
                m,
                children=tuple(sorted(children.get(m.name, ()))),
                lookalikes=tuple(sorted(lookalikes.get(m.name, ()))),
            )
            for m in module_list
        }
        clue_list = tuple(sorted(clues, key=lambda c: c.text))
        by_module: dict[str, list[ClueInfo]] = {name: [] for name in by_name}
        for clue in clue_list:
            for name in sorted(clue.modules):
                by_module.setdefault(name, []).append(clue)
        return cls(
            version=version,
            categories={c.slug: c for c in categories},
            modules=by_name,
            clues=clue_list,
            groups=tuple(sorted(tuple(sorted(set(group) & set(by_name))) for group in groups)),
            _clues_by_module={name: tuple(found) for name, found in by_module.items()},
        )

    @classmethod
    def from_fixture(cls, records: list[dict[str, Any]], version: str = "fixture") -> Catalogue:
        """Build from the records of fixtures/catalogue.json, with no database."""
        by_model: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            by_model.setdefault(record["model"], []).append(record["fields"])
        position = {c["slug"]: c["position"] for c in by_model["catalogue.category"]}
        return cls.build(
            version=version,
            categories=[
                CategoryInfo(slug=c["slug"], name=c["name"])
                for c in sorted(by_model["catalogue.category"], key=lambda c: c["position"])
            ],
            modules=[
                ModuleInfo(
                    name=m["name"],
                    import_name=m["import_name"],
                    is_stdlib=m["is_stdlib"],
                    docs_url=m["docs_url"],
                    parent=m["parent"][0] if m["parent"] else None,
                    categories=tuple(
                        sorted((slug for (slug,) in m["categories"]), key=position.__getitem__)
                    ),
                    aliases=tuple(m.get("aliases", ())),
                    giveaways=tuple(m.get("giveaways", ())),
                    search_terms=tuple(m.get("search_terms", ())),
                    is_lookalike=m.get("is_lookalike", False),
                    removed_in=m.get("removed_in", ""),
                    resembles=m["resembles"][0] if m.get("resembles") else None,
                    note=m.get("note", ""),
                )
                for m in by_model["catalogue.module"]
            ],
            clues=[
                ClueInfo(
                    text=c["text"],
                    kind=ClueKind(c["kind"]),
                    modules=frozenset(name for (name,) in c["modules"]),
                    is_summary=c.get("is_summary", False),
                )
                for c in by_model["catalogue.clue"]
            ],
            groups=[
                [name for (name,) in g["modules"]]
                for g in by_model.get("catalogue.confusablegroup", [])
            ],
        )

    def derived(self, key: Hashable, work_out: Callable[[], T]) -> T:
        """What `work_out()` gives, worked out once for this version of the catalogue (in this
        process), under `key`. It must depend on the catalogue alone: a new version (an edit in
        the admin) is a new snapshot, which works everything out afresh."""
        try:
            found: T = self._derived[key]
        except KeyError:
            found = self._derived[key] = work_out()
        return found

    def clues_of(self, module: str, kind: ClueKind | None = None) -> tuple[ClueInfo, ...]:
        clues = self._clues_by_module.get(module, ())
        return clues if kind is None else tuple(c for c in clues if c.kind == kind)

    def in_categories(self, slugs: Iterable[str]) -> tuple[str, ...]:
        wanted = set(slugs)
        return tuple(m.name for m in self.modules.values() if wanted & set(m.categories))

    def summary_of(self, module: str) -> ClueInfo | None:
        """The description that says what the module is for, or its first one."""
        descriptions = self.clues_of(module, ClueKind.DESCRIPTION)
        return next(
            (c for c in descriptions if c.is_summary), descriptions[0] if descriptions else None
        )

    def askable(self) -> tuple[str, ...]:
        """Every module quizzes ask about in every kind: all but the lookalikes."""
        return tuple(name for name, m in self.modules.items() if not m.is_lookalike)

    def confusable_with(self, name: str) -> frozenset[str]:
        """The modules that share a confusable group with this one."""
        return frozenset(n for group in self.groups if name in group for n in group) - {name}


def _version_read() -> Any:
    from .models import CatalogueVersion

    return CatalogueVersion.objects.order_by("pk").values_list("token")[:1]


# Read on every page that uses the catalogue: compiled once (see config.prepared).
version_read = PreparedRead(_version_read)


# On PostgreSQL a trigger (migration 0006) notifies this channel whenever the version changes.
VERSION_CHANNEL = "catalogue_version"


def version_of(using: str) -> str:
    rows = version_read.rows(using)
    return str(rows[0][0]) if rows and rows[0][0] else ""


def current_version(using: str = "default") -> str:
    """The catalogue's version: read on every call, or on PostgreSQL once per connection and
    again after each change (see config.postgresql's `watched`)."""
    connection = connections[using]
    watched = getattr(connection, "watched", None)
    if watched is None:
        return version_of(using)
    return watched(VERSION_CHANNEL, lambda: version_of(using))


def bump_catalogue_version(using: str = "default") -> None:
    from .models import CatalogueVersion

    forget = getattr(connections[using], "forget", None)
    if forget is not None:
        forget(VERSION_CHANNEL)  # read again here even before the change commits
    if not CatalogueVersion.objects.using(using).update(token=uuid.uuid4()):
        CatalogueVersion.objects.using(using).create()


def load_catalogue(version: str) -> Catalogue:
    """Read the whole catalogue in six queries."""
    from .models import Category, Clue, ConfusableGroup, Module

    categories = list(Category.objects.order_by("position", "name"))
    position = {c.pk: i for i, c in enumerate(categories)}
    slug = {c.pk: c.slug for c in categories}
    module_categories: dict[int, list[int]] = {}
    for module_id, category_id in Module.categories.through.objects.values_list(
        "module_id", "category_id"
    ):
        module_categories.setdefault(module_id, []).append(category_id)
    modules = list(Module.objects.select_related("parent", "resembles"))
    clue_modules: dict[int, set[str]] = {}
    for clue_id, name in Clue.modules.through.objects.values_list("clue_id", "module__name"):
        clue_modules.setdefault(clue_id, set()).add(name)
    groups: dict[int, list[str]] = {}
    for group_id, name in ConfusableGroup.modules.through.objects.values_list(
        "confusablegroup_id", "module__name"
    ):
        groups.setdefault(group_id, []).append(name)
    return Catalogue.build(
        version=version,
        categories=[CategoryInfo(slug=c.slug, name=c.name) for c in categories],
        modules=[
            ModuleInfo(
                name=m.name,
                import_name=m.import_name,
                is_stdlib=m.is_stdlib,
                docs_url=m.docs_url,
                parent=m.parent.name if m.parent else None,
                categories=tuple(
                    slug[c]
                    for c in sorted(module_categories.get(m.pk, []), key=position.__getitem__)
                ),
                aliases=tuple(m.aliases or ()),
                giveaways=tuple(m.giveaways or ()),
                search_terms=tuple(m.search_terms or ()),
                is_lookalike=m.is_lookalike,
                removed_in=m.removed_in,
                resembles=m.resembles.name if m.resembles else None,
                note=m.note,
            )
            for m in modules
        ],
        clues=[
            ClueInfo(
                text=c.text,
                kind=ClueKind(c.kind),
                modules=frozenset(clue_modules.get(c.pk, ())),
                is_summary=c.is_summary,
            )
            for c in Clue.objects.all()
            if c.pk in clue_modules
        ],
        groups=groups.values(),
    )


_lock = threading.Lock()
_cached: dict[str, Catalogue] = {}


def get_catalogue(using: str = "default") -> Catalogue:
    """The catalogue, from this process's copy unless the version row says it changed."""
    version = current_version(using)
    key = f"{using}:{connections[using].settings_dict['NAME']}"
    cached = _cached.get(key)
    if cached is not None and cached.version == version:
        return cached
    with _lock:
        cached = _cached.get(key)
        if cached is None or cached.version != version:
            cached = _cached[key] = load_catalogue(version)
        return cached
