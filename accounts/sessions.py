"""Django's database sessions, in accounts.Session: the signed-in account's id has a column of
its own, so the read every request with a session cookie makes brings the user and their
profile with it (the backend takes them from there: no second query), and its SQL is compiled
once (see `config.prepared`). The session's data is stored exactly as
`django.contrib.sessions.backends.db` stores it."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends import db
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import router
from django.dispatch import receiver
from django.utils import timezone

from config.prepared import PreparedRead, columns

from .backends import user_of_row
from .models import Profile, Session

SIGNED_IN = ((User, "user__"), (Profile, "user__profile__"))

live_session = PreparedRead(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_data", "expire_date", *columns(SIGNED_IN)
    ),
    key=Session._meta.get_field("session_key"),
    now=Session._meta.get_field("expire_date"),
)


# Session data whose signature has been checked, as its JSON, by the data as stored: a session's
# data is the same string from one request to the next until it is saved, so checking its
# signature (two hashes) and decompressing it happen once per process for each version of it,
# not on every request. The JSON is parsed afresh every time: each request has its own dict.
VERIFIED_KEPT = 4_096
_verified: dict[bytes | str, str] = {}
_verified_lock = threading.Lock()


@receiver(setting_changed)
def verified_forget(setting: str, **kwargs: object) -> None:
    """Another key (a test's) signs other sessions: what was checked with the old one goes."""
    if setting in {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "SESSION_SERIALIZER"}:
        with _verified_lock:
            _verified.clear()


def signed_in_id(data: dict[str, Any]) -> int | None:
    """The account a session's data says is signed in, if any."""
    value = data.get(SESSION_KEY)
    if value is None:
        return None
    try:
        pk = User._meta.pk.to_python(value)
    except ValidationError:
        return None
    return pk if isinstance(pk, int) else None


class SessionStore(db.SessionStore):
    # The user read with the session (None when it names none): auth's backend takes it.
    user_read_with: User | None = None

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        session = super().create_model_instance(data)
        assert isinstance(session, Session)
        session.user_id = signed_in_id(data)
        return session

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        """Django's decoding (an empty session when the signature is wrong), each version of
        the data checked once (see VERIFIED_KEPT)."""
        if self.serializer is not signing.JSONSerializer:
            return super().decode(session_data)
        kept = _verified.get(session_data)
        if kept is not None:
            decoded: dict[str, Any] = json.loads(kept)
            return decoded
        decoded = super().decode(session_data)
        if decoded:  # a session that failed its check is checked (and logged) every time
            with _verified_lock:
                if len(_verified) >= VERIFIED_KEPT:
                    _verified.pop(next(iter(_verified)))
                _verified[session_data] = json.dumps(decoded)
        return decoded

    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if key is None:
            return None
        using = router.db_for_read(Session)
        rows = live_session.rows(using, key=key, now=timezone.now())
        return self.session_of_row(key, rows[0] if rows else None, using)

    def session_of_row(self, key: str, row: Sequence[Any] | None, using: str) -> Session | None:
        """The session as live_session read it (None: no live session by this key), with its
        user kept for the backend."""
        if row is None:
            self._session_key = None  # as Django does: a new key when it is next saved
            return None
        data, expires, *user_row = row
        self.user_read_with = user_of_row(user_row, SIGNED_IN, using)
        return Session(session_key=key, session_data=data, expire_date=expires)

    def to_load(self) -> str | None:
        """The key to read the session by, when it is yet to be read: else None."""
        if hasattr(self, "_session_cache"):
            return None
        return self.session_key

    def load_row(self, row: Sequence[Any] | None, using: str) -> None:
        """Load the session from its row as live_session reads it, read by the caller with
        something else in the same query (None: no live session by this key): what `load()`
        would have read itself."""
        key = self.session_key
        assert key is not None, "read by its key (to_load)"
        session = self.session_of_row(key, row, using)
        self._session_cache = self.decode(session.session_data) if session else {}
