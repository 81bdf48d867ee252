"""Drafts: the texts of a case the window holds that the case does not (an add form's text not yet added, a text a
save refused), kept in the profile so a kill, a crash or the OS session's end loses none of them.

The New case dialog's text, typed before there is a case, is a draft of its own (``NewCaseDraft``): one value at
most, kept until the case is created or the person cancels the dialog.

A case has one draft value at most, opaque here (the window encodes and decodes it, ``ui.workspace.drafts``); the
window replaces it with what it holds now, and an empty value removes the row. Local only: sync never reads the
table, and a case deleted here (a withdrawal) takes its draft along (the foreign key); a wipe deletes the file. A
draft of a case not (or no longer) in the profile is not kept: nothing is written for it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from storage.database import Database

# A draft is what a person typed and the case could not take: twenty times the longest text a field stores
# (ibic.limits.LONG_TEXT_MAX, 200,000 characters) is room for several fields refusing at once. The window cuts its
# texts to fit (ui.workspace.drafts.encode) before this one is met.
DRAFT_MAX = 4_000_000


class DraftTooLarge(ValueError):
    """The encoded draft is longer than ``DRAFT_MAX`` characters (the window never writes one)."""


class CaseDrafts:
    """Each case's draft value (``storage.drafts``)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def read(self, case_id: str) -> str:
        """The case's draft value; "" when it has none."""
        with self._db.reading() as connection:
            row = connection.execute("SELECT value FROM drafts WHERE case_id = ?", (case_id,)).fetchone()
        return "" if row is None else str(row[0])

    def keep(self, case_id: str, value: str) -> None:
        """Replace the case's draft with ``value`` ("" removes it), in one durable transaction."""
        if len(value) > DRAFT_MAX:
            raise DraftTooLarge(f"a draft holds at most {DRAFT_MAX} characters")
        with self._db.transaction() as connection:
            if not value:
                connection.execute("DELETE FROM drafts WHERE case_id = ?", (case_id,))
                return
            # Only for a case this profile holds: a case withdrawn meanwhile gets no row (and no foreign key error).
            connection.execute(
                "INSERT INTO drafts (case_id, value, saved_at) SELECT ?, ?, ? WHERE EXISTS"
                " (SELECT 1 FROM cases WHERE id = ?)"
                " ON CONFLICT (case_id) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at",
                (case_id, value, datetime.now(UTC).isoformat(timespec="seconds"), case_id),
            )

    def cases(self) -> list[str]:
        """The ids of the cases that have a draft."""
        with self._db.reading() as connection:
            return [str(row[0]) for row in connection.execute("SELECT case_id FROM drafts ORDER BY case_id")]


class NewCaseDraft:
    """What the New case dialog holds before the case is created (``ui.cases.new_case_draft`` encodes it)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def read(self) -> str:
        """The draft value; "" when there is none."""
        with self._db.reading() as connection:
            row = connection.execute("SELECT value FROM new_case_draft WHERE id = 1").fetchone()
        return "" if row is None else str(row[0])

    def keep(self, value: str) -> None:
        """Replace the draft with ``value`` ("" removes it), in one durable transaction."""
        if len(value) > DRAFT_MAX:
            raise DraftTooLarge(f"a draft holds at most {DRAFT_MAX} characters")
        with self._db.transaction() as connection:
            if not value:
                connection.execute("DELETE FROM new_case_draft")
                return
            connection.execute(
                "INSERT INTO new_case_draft (id, value, saved_at) VALUES (1, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at",
                (value, datetime.now(UTC).isoformat(timespec="seconds")),
            )
