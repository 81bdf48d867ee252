"""The change journal: one row per field edit, written in the same transaction as the edit; sync reads only this.

At most one pending entry covers any field of a record: a later edit of the same field (or of a field inside an
element that is still pending as a whole) supersedes the earlier entry, so one push never carries two edits of one
field based on the same version (the server would see the second as a conflict with the first).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ibic.canonical import canonical_json
from ibic.document_paths import MISSING, SEPARATOR, FieldEdit, diff, get
from ibic.ranges import change_fits
from ibic.stamps import HybridLogicalClock, new_id
from ibic.status_paths import HISTORY, STATUS, goes_with_status
from storage.database import Database
from storage.errors import ChangeTooLarge, ProfileLocked, UnreadableDocument

if TYPE_CHECKING:
    from ibic.changes import FieldChange

JOURNAL_COLUMNS = "op_id, record_type, record_id, path, op, value, base_version, hlc, device_id, user_id"
# A push reads pending entries in seq order from the oldest one (or from the batch it just sent). ``+state`` keeps
# SQLite off the journal_open index there: through it every pending entry was read and sorted before the LIMIT
# (1,000 pending: 1.9 ms for the first 500; 24,000 pending: 5.7 ms); the primary key's range from the first pending
# entry is already in seq order and stops at the LIMIT (0.8 ms), pending entries being the journal's newest rows.
_PENDING_BY_SEQ = "+state = 'pending'"
_FROM_FIRST = (f"WHERE {_PENDING_BY_SEQ} AND seq >= (SELECT min(seq) FROM journal WHERE state = 'pending')"
               " ORDER BY seq LIMIT ?")
_AFTER = f"WHERE {_PENDING_BY_SEQ} AND seq > (SELECT seq FROM journal WHERE op_id = ?) ORDER BY seq LIMIT ?"
# An entry as the push request carries it (``FieldChange``'s fields), made by SQLite from the stored columns and the
# stored JSON value (NULL when the value is not JSON: damage), beside what the push itself looks at.
_ENCODED_COLUMNS = (
    "op_id, record_type, record_id, path, CASE WHEN json_valid(value) THEN json_object('op_id', op_id,"
    " 'record_type', record_type, 'record_id', record_id, 'path', path, 'op', op, 'value', json(value),"
    " 'base_version', base_version, 'hlc', hlc, 'device_id', device_id, 'user_id', user_id) END, base_version"
)


class PushEntry(NamedTuple):
    """What a push looks at of an entry it sends (its independence, its record, the next read's start)."""

    op_id: str
    record_type: str
    record_id: str
    path: str


@dataclass(frozen=True)
class EncodedEntries:
    """Pending entries as a push sends them: ``changes`` is their JSON array, made from the stored JSON."""

    entries: list[PushEntry]
    changes: str


@dataclass
class Author:
    """Who writes journal entries on this device, with the clock that stamps them.

    ``unsent`` is the op id of the newest entry this author wrote that no push has read yet (``ChangeJournal``
    clears it when a read hands it out): typing on in that field may change the entry in place, since no server can
    have seen its op id. Read and written only with the database's lock held. ``elsewhere`` counts the pushes
    running in another process (``sync.child``), whose reads cannot clear ``unsent`` here: meanwhile no entry
    changes in place (``ChangeJournal.pushed_elsewhere``).

    ``today`` gives the day a save computes its summary's deadlines for (and a pull, a conflict's resolution): the
    computer's date unless the program that opened the profile gives its own clock (``Profile.use_day``: the
    window's session gives the day its pages and lists read, so a test's clock reaches the store too)."""

    user_id: str
    device_id: str
    clock: HybridLogicalClock = field(init=False)
    unsent: str | None = field(init=False, default=None)
    elsewhere: int = field(init=False, default=0)
    today: Callable[[], date] = field(init=False, default=date.today)

    def __post_init__(self) -> None:
        self.clock = HybridLogicalClock(node=self.device_id)


def encode(value: Any) -> str | None:
    """JSON for a column; ``None`` (SQL NULL) stands for a path that does not exist."""
    return None if value is MISSING else canonical_json(value)


def decode(text: str | None) -> Any:
    """The inverse of ``encode``; a missing path reads back as ``None``."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise UnreadableDocument() from None  # only damage makes stored JSON unparseable; the text is personal


def overlaps(a: str, b: str) -> bool:
    """True when one path equals or contains the other."""
    return a == b or a.startswith(b + SEPARATOR) or b.startswith(a + SEPARATOR)


def row_to_change(row: tuple[Any, ...]) -> FieldChange:
    """A journal row (in ``JOURNAL_COLUMNS`` order) as the domain's ``FieldChange``."""
    op_id, record_type, record_id, path, op, value, base_version, hlc, device_id, user_id = row
    return _change_model()(
        op_id=op_id, record_type=record_type, record_id=record_id, path=path, op=op, value=decode(value),
        base_version=base_version, hlc=hlc, device_id=device_id, user_id=user_id,
    )


@cache
def _change_model() -> type[FieldChange]:
    """The model, imported at the first row read as one, not with the store: it brings pydantic, which the unlocked
    list does not load (a push reads ``encoded_pending``, no model). Cached: PySide6's hook runs at every import."""
    from ibic.changes import FieldChange

    return FieldChange


def value_text(value: Any) -> str:
    """An entry's value as the journal stores it (``MISSING``: a remove, stored as null); ``ChangeTooLarge`` past what
    one sync request carries, so that no entry is made that the server would refuse at every sync."""
    text = canonical_json(None if value is MISSING else value)
    if not change_fits(text):
        raise ChangeTooLarge()
    return text


def insert_entry(connection: Any, author: Author, *, record_type: str, record_id: str, case_id: str | None,
                 path: str, value: Any, base_value: str | None, base_version: int) -> str:
    """Append one pending entry (``value`` MISSING means remove); returns its op id."""
    op_id = new_id()
    op = "remove" if value is MISSING else "set"
    connection.execute(
        "INSERT INTO journal (op_id, record_type, record_id, case_id, path, op, value, base_value, base_version,"
        " hlc, device_id, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (op_id, record_type, record_id, case_id, path, op, value_text(value),
         base_value, base_version, author.clock.now(), author.device_id, author.user_id),
    )
    author.unsent = op_id
    return op_id


def update_unsent(connection: Any, author: Author, op_id: str, value: Any) -> bool:
    """Give the entry ``op_id`` the new ``value`` (MISSING: remove) and a new clock stamp, in place, when it is the
    author's unsent entry and still the newest of the journal; False (nothing written) otherwise.

    Typing on in one field then writes one row's page instead of superseding the entry and inserting another (its
    op id's index leaf and the open-entries index move too: two pages fewer a save, issue 14). Only an entry no push
    has read may change: a server that saw its op id would answer ``duplicate`` for the new value. Only the newest:
    the journal's order (seq) stays the order the edits were made in."""
    if author.unsent != op_id or author.elsewhere:
        return False
    op = "remove" if value is MISSING else "set"
    updated = connection.execute(
        "UPDATE journal SET op = ?, value = ?, hlc = ? WHERE seq = (SELECT max(seq) FROM journal) AND op_id = ?"
        " AND state = 'pending'",
        (op, value_text(value), author.clock.now(), op_id),
    ).rowcount
    return bool(updated == 1)


# The record's pending entries and open conflicts, for a statement a save runs anyway inside its transaction (the
# autosave's stamp check returns them: one statement less a save), as two JSON arrays that ``open_entries_of``
# reads. Parameters: record type, record id, record type, record id.
OPEN_ENTRIES_SUBQUERIES = (
    "(SELECT json_group_array(json_array(op_id, path, base_value, base_version)) FROM journal"
    " WHERE record_type = ? AND record_id = ? AND state = 'pending'),"
    " (SELECT json_group_array(json_array(conflict_id, path)) FROM conflicts WHERE record_type = ? AND record_id = ?)"
)

# (op id, path, base value, base version) of each pending entry; (conflict id, path) of each open conflict.
OpenEntries = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def open_entries_of(pending: str, conflicts: str) -> OpenEntries:
    """The two values ``OPEN_ENTRIES_SUBQUERIES`` returned."""
    return [tuple(entry) for entry in json.loads(pending)], [tuple(entry) for entry in json.loads(conflicts)]


def _open_entries(connection: Any, record_type: str, record_id: str) -> OpenEntries:
    # The record's pending entries and open conflicts in one statement (each one costs on every autosave).
    rows = connection.execute(
        "SELECT 1, op_id, path, base_value, base_version FROM journal"
        " WHERE record_type = ? AND record_id = ? AND state = 'pending'"
        " UNION ALL SELECT 0, conflict_id, path, NULL, NULL FROM conflicts WHERE record_type = ? AND record_id = ?",
        (record_type, record_id, record_type, record_id),
    ).fetchall()
    return [tuple(row[1:]) for row in rows if row[0]], [(row[1], row[2]) for row in rows if not row[0]]


def record_edits(connection: Any, author: Author, *, record_type: str, record_id: str, case_id: str | None,
                 base_version: int, old: dict[str, Any], new: dict[str, Any], edits: list[FieldEdit],
                 open_entries: OpenEntries | None = None) -> int:
    """Journal ``edits`` (old -> new) inside the caller's transaction; returns how many entries were written.

    ``open_entries`` are the record's pending entries and conflicts when the caller read them in this transaction
    (``OPEN_ENTRIES_SUBQUERIES``)."""
    pending, conflicts = open_entries or _open_entries(connection, record_type, record_id)
    if base_version == 0 and not pending and _creation_refused(connection, record_type, record_id):
        old, edits = {}, diff({}, new)
    written_paths: list[str] = []
    superseded: set[str] = set()
    for edit in edits:
        if any(overlaps(path, edit.path) for path in written_paths):
            continue  # an entry written by this save already carries the new value
        in_conflict = [(cid, path) for cid, path in conflicts if overlaps(path, edit.path)]
        if in_conflict:
            # The field awaits the user's choice: the new local text joins the conflict instead of being pushed
            # on top of a server value this device has not accepted.
            for conflict_id, path in in_conflict:
                connection.execute(
                    "UPDATE conflicts SET local_value = ? WHERE conflict_id = ?", (encode(get(new, path)), conflict_id)
                )
            continue
        value = MISSING if edit.op == "remove" else edit.value
        live = [p for p in pending if p[0] not in superseded]
        covering = next((p for p in live if edit.path == p[1] or edit.path.startswith(p[1] + SEPARATOR)), None)
        if covering is not None:
            op_id, path, base_value, entry_base_version = covering
            # Typing on in one field: the entry covers exactly the edited path, whose new value the edit holds.
            covered = value if path == edit.path else get(new, path)
            if not update_unsent(connection, author, op_id, covered):
                _supersede(connection, [op_id], superseded)
                insert_entry(connection, author, record_type=record_type, record_id=record_id, case_id=case_id,
                             path=path, value=covered, base_value=base_value, base_version=entry_base_version)
            written_paths.append(path)
            continue
        inside = [p[0] for p in live if p[1].startswith(edit.path + SEPARATOR)]
        _supersede(connection, inside, superseded)
        insert_entry(connection, author, record_type=record_type, record_id=record_id, case_id=case_id,
                     path=edit.path, value=value, base_value=encode(get(old, edit.path)), base_version=base_version)
        written_paths.append(edit.path)
    if any(path == STATUS for _, path in conflicts) and any(goes_with_status(record_type, p) for p in written_paths):
        # The status awaits the user's choice: a new history entry waits with it (ibic.status_conflict), as those
        # made before the conflict did; sent alone it would be a status change the server's history never had.
        connection.execute(
            "UPDATE journal SET state = 'conflict' WHERE record_type = ? AND record_id = ? AND state = 'pending'"
            " AND (path = ? OR path GLOB ?)", (record_type, record_id, HISTORY, HISTORY + SEPARATOR + "*"))
    return len(written_paths)


def _creation_refused(connection: Any, record_type: str, record_id: str) -> bool:
    """Whether the server refused this record's first save (an entry on version 0 rejected, the record still not on
    the server): an edit of it then journals the whole record again, a creation the server can check whole. The
    changed fields alone, on version 0, were refused for what they lacked at every sync, and the record, kept on
    the laptop, never reached the server. Read only when a save of a record at version 0 finds nothing pending."""
    return connection.execute(
        "SELECT 1 FROM journal WHERE state = 'rejected' AND record_id = ? AND record_type = ? AND base_version = 0"
        " LIMIT 1", (record_id, record_type)).fetchone() is not None


def _supersede(connection: Any, op_ids: list[str], done: set[str]) -> None:
    # The row stays (an answer for it may be on its way) but drops its value: autosaving a new case re-journals a
    # whole subtree each time, and a day of that must not grow the file by megabytes.
    for op_id in op_ids:
        connection.execute(
            "UPDATE journal SET state = 'superseded', value = 'null', base_value = NULL WHERE op_id = ?", (op_id,)
        )
        done.add(op_id)


def put_conflict(connection: Any, *, record_type: str, record_id: str, case_id: str | None, path: str,
                 base_value: str | None, local_value: str | None, server_value: str | None, server_version: int,
                 op_id: str | None, server_device_id: str | None = None) -> None:
    """Record (or update) the conflict on one field; values are encoded JSON, NULL for a missing path;
    ``server_device_id``: the device that wrote the server's side, when the pull named it (else NULL: unknown)."""
    connection.execute(
        "INSERT INTO conflicts (conflict_id, op_id, record_type, record_id, case_id, path, base_value,"
        " local_value, server_value, server_version, server_device_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%f', 'now'))"
        " ON CONFLICT (record_type, record_id, path) DO UPDATE SET op_id = coalesce(excluded.op_id, op_id),"
        " local_value = excluded.local_value, server_value = excluded.server_value,"
        " server_version = excluded.server_version, server_device_id = excluded.server_device_id",
        (uuid.uuid4().hex, op_id, record_type, record_id, case_id, path, base_value, local_value, server_value,
         server_version, server_device_id),
    )


def last_hlc(connection: Any) -> str | None:
    """The newest clock stamp written on this device, so the clock never goes back across restarts."""
    row = connection.execute("SELECT hlc FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    return None if row is None else str(row[0])


EntryT = TypeVar("EntryT", "FieldChange", PushEntry)  # a name: the model is not imported here


def _fitting(rows: list[Any], max_bytes: int) -> int:
    """How many of ``rows`` (their JSON fifth) make a JSON array of at most ``max_bytes`` as UTF-8; at least one.

    A character is at most 4 bytes: the usual batch is far below and is not encoded here."""
    if 4 * sum(len(row[4]) for row in rows) + len(rows) + 1 <= max_bytes:
        return len(rows)
    size = 1  # "["
    for count, row in enumerate(rows):
        size += len(row[4].encode("utf-8")) + 1  # and "," or "]"
        if size > max_bytes:
            return max(count, 1)
    return len(rows)


def _creation_kept_whole(rows: list[Any]) -> int:
    """How many of a full batch's ``rows`` to send so that a record's first save (entries based on version 0, one
    per top-level field, journaled one after the other) is not split across two requests: the server refuses a new
    record that lacks a required field (``sync.server.push_checks.creation_problem``), so the trailing entries of a
    record new to the server wait for the next batch. All of them when they are the whole batch (a creation larger
    than a batch cannot be kept whole; none is: a case has ~25 top-level fields, a batch 500 entries)."""
    last = rows[-1] if rows else None
    if last is None or last[5] != 0:
        return len(rows)
    kept = len(rows)
    while kept and rows[kept - 1][1:3] == last[1:3] and rows[kept - 1][5] == 0:
        kept -= 1
    return kept or len(rows)


# A case's status and its history's new entry are one change to the server: it checks a reopening on both together
# (sync/server/reopen_check.py) and refuses a status sent without its entry.
_STATUS_TOPS = ("status", "status_history")


def _status_change_kept_whole(rows: list[Any]) -> int:
    """How many of a full batch's ``rows`` to send so that a case's change of status (its ``status`` and its
    history's entry, journaled one after the other) is not split across two requests: the trailing entries of a
    case's status wait for the next batch. All of them when they are the whole batch."""
    def status_of(row: Any) -> bool:
        return bool(row[1] == "case" and row[3].split("/", 1)[0] in _STATUS_TOPS)

    last = rows[-1] if rows else None
    if last is None or not status_of(last):
        return len(rows)
    kept = len(rows)
    while kept and rows[kept - 1][1:3] == last[1:3] and status_of(rows[kept - 1]):
        kept -= 1
    return kept or len(rows)


class ChangeJournal:
    """What sync pushes: pending entries, oldest first.

    Every read that hands entries out (to a push) marks them sent for ``author``: an entry a push has read is never
    changed in place again (``update_unsent``), a later edit of its field supersedes it with a new entry."""

    def __init__(self, database: Database, author: Author | None = None) -> None:
        self._db = database
        self._author = author

    def _handed_out(self, changes: list[EntryT]) -> list[EntryT]:
        # Called with the lock held, in the block that read them: no save can change one in between.
        author = self._author
        if author is not None and author.unsent is not None and any(c.op_id == author.unsent for c in changes):
            author.unsent = None
        return changes

    @contextlib.contextmanager
    def pushed_elsewhere(self) -> Iterator[None]:
        """Around a push by another process (the sync's child): any pending entry may be read there, unseen by this
        process's ``_handed_out``, so none changes in place meanwhile, nor afterwards one written before the end."""
        author = self._author
        if author is None:
            yield
            return
        with self._db.reading():
            author.unsent = None
            author.elsewhere += 1
        try:
            yield
        finally:
            with contextlib.suppress(ProfileLocked), self._db.reading():  # locked: a new author at the next unlock
                author.unsent = None
            author.elsewhere -= 1

    def pending(self, limit: int = 500) -> list[FieldChange]:
        """Entries not yet acknowledged by the server (nor parked in a conflict), oldest first."""
        with self._db.reading() as connection:
            rows = connection.execute(f"SELECT {JOURNAL_COLUMNS} FROM journal {_FROM_FIRST}", (limit,)).fetchall()
            # In the block: a damaged value is ProfileDamaged, and no save runs between the read and the marking.
            return self._handed_out([row_to_change(row) for row in rows])

    def encoded_pending(self, limit: int = 500, after: str | None = None,
                        max_bytes: int | None = None) -> EncodedEntries:
        """``pending`` (or, with ``after``, the pending entries journaled after that entry) as a push sends it:
        the entries' JSON made by SQLite from the stored columns and value, no ``FieldChange`` built, decoded and
        encoded again (~3 ms a batch of 500). The push reads the next batch while the one ending with ``after`` is
        on the wire. With ``max_bytes``, fewer entries when their JSON would be longer as UTF-8 (a request the
        server takes; at least one entry)."""
        where, parameters = (_FROM_FIRST, (limit,)) if after is None else (_AFTER, (after, limit))
        with self._db.reading() as connection:
            rows = connection.execute(f"SELECT {_ENCODED_COLUMNS} FROM journal {where}", parameters).fetchall()
            if any(row[4] is None for row in rows):
                raise UnreadableDocument()  # in the block: ProfileDamaged, as ``decode`` in ``pending``
            full = len(rows) == limit
            if max_bytes is not None:
                kept = _fitting(rows, max_bytes)  # before they are handed out: the rest stays unsent
                full, rows = full or kept < len(rows), rows[:kept]
            if full:
                rows = rows[:_creation_kept_whole(rows)]
                rows = rows[:_status_change_kept_whole(rows)]
            entries = self._handed_out([PushEntry(*row[:4]) for row in rows])
        return EncodedEntries(entries, "[" + ",".join(row[4] for row in rows) + "]")

    def pending_count(self) -> int:
        """How many entries wait to be pushed."""
        with self._db.reading() as connection:
            return int(connection.execute("SELECT count(*) FROM journal WHERE state = 'pending'").fetchone()[0])
