"""Cases taken away from this laptop's handläggare (reassigned to a colleague or another unit) leave the laptop.

The server tells a pull which cases were withdrawn. A withdrawn case is deleted here with its person (when no other
local case needs that person) and its settled journal history, so no personal data stays on a laptop that has no
business holding it. Unsynced work is never deleted: a case with pending edits or open conflicts is kept and
listed as withdrawn until that work has reached the server (or been resolved); every later sync tries again.
Withdrawn case and person ids are remembered, so an autosave from a form still showing them cannot bring them
back (``blocks_recreating``); a pull that brings the case again (assigned back) lifts that (``reinstate``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from storage import audit
from storage.database import Database
from storage.journal import Author
from storage.repositories.documents import from_json_text

WITHDRAWN_KEY = "withdrawn_records"  # meta: JSON {"case:<id>" | "person:<id>": "kept" | "removed"}


@dataclass(frozen=True)
class WithdrawalResult:
    """What a withdrawal did: cases deleted here, and cases kept because they hold unsynced work."""

    removed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()


class CaseWithdrawals:
    """Applies withdrawals in one local transaction each; ``forget`` drops a deleted record from memory caches."""

    def __init__(self, database: Database, author: Author, forget: Callable[[str, str], None]) -> None:
        self._db = database
        self._author = author
        self._forget = forget

    def withdraw(self, case_ids: Iterable[str]) -> WithdrawalResult:
        """Delete each case (and its person if unused) unless it holds unsynced work; idempotent."""
        removed: list[tuple[str, str | None]] = []
        kept: list[str] = []
        with self._db.transaction() as connection:
            marks = _marks(connection)
            for case_id in dict.fromkeys(case_ids):
                person_id = _person_of(connection, case_id)
                if _has_unsynced_work(connection, case_id, person_id):
                    marks[_mark("case", case_id)] = "kept"
                    kept.append(case_id)
                    continue
                if _delete_case(connection, case_id, person_id):
                    audit.append(connection, user_id=self._author.user_id, device_id=self._author.device_id,
                                 action="case_withdrawn", case_id=case_id, detail="")
                    removed.append((case_id, person_id))
                marks[_mark("case", case_id)] = "removed"
                if person_id and not _person_exists(connection, person_id):
                    marks[_mark("person", person_id)] = "removed"
            _store_marks(connection, marks)
        for case_id, person_id in removed:
            self._forget("case", case_id)
            if person_id:
                self._forget("person", person_id)
        return WithdrawalResult(tuple(case_id for case_id, _ in removed), tuple(kept))

    def retry_kept(self) -> WithdrawalResult:
        """Try again the cases kept for unsynced work (after a push has delivered it, or a conflict was resolved)."""
        kept = self.kept()
        return self.withdraw(kept) if kept else WithdrawalResult()

    def kept(self) -> list[str]:
        """Withdrawn cases still on this laptop because of unsynced work."""
        with self._db.reading() as connection:
            return [key[5:] for key, state in _marks(connection).items() if key.startswith("case:") and state == "kept"]

    def is_removed(self, case_id: str) -> bool:
        """True when this case was taken away and deleted here (not merely kept for unsynced work)."""
        with self._db.reading() as connection:
            return _marks(connection).get(_mark("case", case_id)) == "removed"

    def reinstate(self, records: Iterable[tuple[str, str]]) -> None:
        """Records (record type, id) assigned back to this handläggare and arriving again may be saved here again."""
        with self._db.reading() as connection:
            marked = set(_marks(connection))
        if not marked:
            return  # the usual pull: nothing withdrawn here, so nothing to match (~0.5 ms a page of 1,000)
        wanted = {_mark(record_type, record_id) for record_type, record_id in records}
        if not wanted & marked:
            return  # nothing to write, no transaction
        with self._db.transaction() as connection:
            marks = _marks(connection)
            _store_marks(connection, {key: state for key, state in marks.items() if key not in wanted})


def blocks_recreating(connection: Any, record_type: str, record_id: str) -> bool:
    """True when a save would bring back a record deleted as withdrawn (a form still showing it)."""
    return _mark(record_type, record_id) in _marks(connection)


def _mark(record_type: str, record_id: str) -> str:
    return f"{record_type}:{record_id}"


def _person_exists(connection: Any, person_id: str) -> bool:
    return connection.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone() is not None


def _marks(connection: Any) -> dict[str, str]:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (WITHDRAWN_KEY,)).fetchone()
    return {} if row is None else dict(from_json_text(row[0]))


def _store_marks(connection: Any, marks: dict[str, str]) -> None:
    connection.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (WITHDRAWN_KEY, json.dumps(marks, sort_keys=True)),
    )


def _person_of(connection: Any, case_id: str) -> str | None:
    row = connection.execute("SELECT person_id FROM cases WHERE id = ?", (case_id,)).fetchone()
    return str(row[0]) if row is not None and row[0] else None


def _person_used_elsewhere(connection: Any, person_id: str, case_id: str) -> bool:
    row = connection.execute("SELECT 1 FROM cases WHERE person_id = ? AND id <> ? LIMIT 1", (person_id, case_id))
    return row.fetchone() is not None


def _has_unsynced_work(connection: Any, case_id: str, person_id: str | None) -> bool:
    records = [case_id] if person_id is None else [case_id, person_id]
    marks = ",".join("?" * len(records))
    pending = connection.execute(
        # OR, not IN: the partial index journal_open serves it (see pending_or_conflicts)
        f"SELECT 1 FROM journal WHERE (state = 'pending' OR state = 'conflict')"
        f" AND (record_id IN ({marks}) OR case_id = ?)"
        " LIMIT 1", (*records, case_id),
    ).fetchone()
    conflicts = connection.execute(
        f"SELECT 1 FROM conflicts WHERE record_id IN ({marks}) OR case_id = ? LIMIT 1", (*records, case_id)
    ).fetchone()
    return pending is not None or conflicts is not None


def _delete_case(connection: Any, case_id: str, person_id: str | None) -> bool:
    """Delete the case, its journal history and (if no other case needs it) its person; False if nothing was here."""
    present = connection.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is not None
    # Changes of the case set aside by sync hold personal data too: they leave with it (and are never retried).
    connection.execute("DELETE FROM quarantine WHERE record_type = 'case' AND record_id = ?", (case_id,))
    connection.execute("DELETE FROM journal WHERE record_type = 'case' AND record_id = ?", (case_id,))
    connection.execute("DELETE FROM case_documents WHERE id = ?", (case_id,))
    connection.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    if person_id and not _person_used_elsewhere(connection, person_id, case_id):
        connection.execute("DELETE FROM journal WHERE record_type = 'person' AND record_id = ?", (person_id,))
        connection.execute("DELETE FROM person_documents WHERE id = ?", (person_id,))
        connection.execute("DELETE FROM people WHERE id = ?", (person_id,))
        connection.execute("DELETE FROM quarantine WHERE record_type = 'person' AND record_id = ?", (person_id,))
    return present
