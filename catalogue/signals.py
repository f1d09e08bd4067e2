"""Every change to the catalogue, from the admin or loaddata, bumps the catalogue version."""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Category, Clue, ConfusableGroup, Module
from .snapshot import bump_catalogue_version

CATALOGUE_MODELS = (Category, Module, Clue, ConfusableGroup)


@receiver(post_save)
@receiver(post_delete)
def catalogue_row_changed(sender: type, **kwargs: Any) -> None:
    if sender in CATALOGUE_MODELS:
        bump_catalogue_version(using=kwargs.get("using") or "default")


@receiver(m2m_changed, sender=Module.categories.through)
@receiver(m2m_changed, sender=Clue.modules.through)
@receiver(m2m_changed, sender=ConfusableGroup.modules.through)
def catalogue_link_changed(sender: type, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        bump_catalogue_version(using=kwargs.get("using") or "default")
