"""The case lists as the last full listing built them, kept in the profile: an unlock reads one value instead of
listing every case, when nothing was written since it was kept.

The value is opaque here (the window encodes its rows, ``ui.cases.kept_listing``); storage only keeps it with its
stamp and hands it back while the stamp still holds:

- the save count the database holds (``storage.save_counter``): every committed write transaction through
  ``Database.transaction`` raises the count the file holds (read under its write lock, so two stores of the file,
  in this process or in a second copy of the program, never commit the same count), and the value is written in a
  transaction of its own stamped with the count that transaction commits, so it is current exactly when nothing was
  committed after it, by any writer. Migrations write outside
  ``Database.transaction`` and do not count: the schema version is in the stamp too;
- the day, and the caller's ``context`` (its format, Python's version, the language, its code): whatever else the
  rows' text depends on.

The value lives in the SQLCipher file, so it is encrypted and authenticated as everything else; a backup carries
it with the data it was built from (a restored file's count is its own, so its value is current only if it was
current when the backup was made). The lock's listing is built inside the write transaction that keeps it
(``BEGIN IMMEDIATE``: no other connection writes in between).
"""

from __future__ import annotations

from collections.abc import Callable

from storage.database import Database
from storage.migrate import schema_version
from storage.save_counter import HEAD_ROW

# One statement, so the stamp and the count are read from one snapshot of the file.
_READ = f"""
SELECT value FROM kept_list
WHERE id = 1 AND day = ? AND context = ?
  AND schema = (SELECT user_version FROM pragma_user_version)
  AND save_count = (SELECT save_count FROM audit WHERE {HEAD_ROW})
"""


class KeptList:
    """The one kept value of a profile (``storage.kept_list``)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def read(self, day: str, context: str) -> bytes | None:
        """The kept value when nothing was written since it was kept, on ``day`` and in ``context``; else None."""
        with self._db.reading() as connection:
            row = connection.execute(_READ, (day, context)).fetchone()
        return None if row is None else bytes(row[0])

    def keep(self, build: Callable[[], bytes], day: str, context: str) -> bool:
        """Build the value (reading the database) and keep it, in one write transaction; False (nothing built or
        written) when the value kept is still current."""
        with self._db.transaction() as connection:
            if connection.execute(_READ, (day, context)).fetchone() is not None:
                return False
            value = build()
            connection.execute(
                "INSERT OR REPLACE INTO kept_list (id, save_count, schema, day, context, value)"
                " VALUES (1, ?, ?, ?, ?, ?)",
                (self._db.count_at_commit(), schema_version(connection), day, context, value),
            )
        return True
