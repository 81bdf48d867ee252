"""Small secrets the laptop must keep between sessions (e.g. a sync device credential), inside the encrypted store.

They live in the ``meta`` table of the SQLCipher database under a ``secret:`` prefix, so they are encrypted at rest
with everything else, unreadable while the profile is locked, and gone when the profile is wiped. Storage does not
know what they are for: callers choose the names.
"""

from __future__ import annotations

import re

from storage.database import Database

PREFIX = "secret:"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


class SecretSlots:
    """Named text values in the encrypted database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def get(self, name: str) -> str | None:
        """The stored value, or None when nothing is stored under ``name``."""
        with self._db.reading() as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = ?", (_key(name),)).fetchone()
        return None if row is None else str(row[0])

    def put(self, name: str, value: str) -> None:
        """Store ``value`` under ``name``, replacing what was there, in one durable transaction."""
        with self._db.transaction() as connection:
            connection.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_key(name), value),
            )

    def delete(self, name: str) -> None:
        """Forget ``name`` (nothing happens when it is not stored)."""
        with self._db.transaction() as connection:
            connection.execute("DELETE FROM meta WHERE key = ?", (_key(name),))


def _key(name: str) -> str:
    # Names come from code, never from users; a bad one is a programming error.
    if not _NAME.match(name):
        raise ValueError("a secret name is lower-case letters, digits and underscores")
    return PREFIX + name
