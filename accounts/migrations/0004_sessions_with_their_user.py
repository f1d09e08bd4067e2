"""Sessions move to accounts.Session, which keeps the signed-in account's id in a column of its
own; the live sessions are copied over, so nobody is signed out, each with the account its
data names."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import signing
from django.db import migrations, models
from django.utils import timezone
from django.utils.module_loading import import_string

BATCH = 1_000


# The stores' class name salts their signature (SessionBase.key_salt).
SALT = "django.contrib.sessions.SessionStore"


def account_of(data: str) -> int | None:
    serializer = import_string(settings.SESSION_SERIALIZER)
    try:
        value = signing.loads(data, salt=SALT, serializer=serializer).get(SESSION_KEY)
    except signing.BadSignature:
        return None  # signed with another key: it signs nobody in
    return int(value) if isinstance(value, str) and value.isdigit() else None


def copy_live(source, target, users=None):
    """Copy the live sessions; with `users` (the User model), each with its account's id."""
    live = source.objects.filter(expire_date__gt=timezone.now()).order_by("pk")
    batch = []
    for session in live.iterator(chunk_size=BATCH):
        batch.append(target(session.session_key, session.session_data, session.expire_date))
        if len(batch) == BATCH:
            copy_batch(batch, target, users)
            batch = []
    copy_batch(batch, target, users)


def copy_batch(batch, target, users):
    if users is not None:
        named = {copy.pk: account_of(copy.session_data) for copy in batch}
        # A session naming an account since deleted keeps no user: it signs nobody in.
        there = set(users.objects.filter(pk__in=set(named.values())).values_list("pk", flat=True))
        for copy in batch:
            copy.user_id = named[copy.pk] if named[copy.pk] in there else None
    target.objects.bulk_create(batch)


def sessions_in(apps, schema_editor):
    copy_live(
        apps.get_model("sessions", "Session"),
        apps.get_model("accounts", "Session"),
        users=apps.get_model("auth", "User"),
    )


def sessions_out(apps, schema_editor):
    copy_live(apps.get_model("accounts", "Session"), apps.get_model("sessions", "Session"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_progress_version"),
        ("sessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Session",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(sessions_in, sessions_out),
    ]
