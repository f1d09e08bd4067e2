"""A user saved (renamed in the admin, say) is shown afresh on every dashboard that names them:
their own, and their classes'. A log-in, which saves only `last_login`, changes none."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models.signals import post_save
from django.dispatch import receiver

from .progress import progress_changed


@receiver(post_save, sender=User)
def user_saved(sender: type, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    progress_changed(instance.pk)
