"""Django's database sessions, with the read every request with a session cookie makes
prepared: its SQL is compiled once (see `config.prepared`), not on every request. Sessions
are stored exactly as `django.contrib.sessions.backends.db` stores them."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from config.prepared import PreparedRead

live_session = PreparedRead(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_data", "expire_date"
    ),
    key=Session._meta.get_field("session_key"),
    now=Session._meta.get_field("expire_date"),
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if key is None:
            return None
        rows = live_session.rows(router.db_for_read(Session), key=key, now=timezone.now())
        if not rows:
            self._session_key = None  # as Django does: a new key when it is next saved
            return None
        data, expires = rows[0]
        return Session(session_key=key, session_data=data, expire_date=expires)
