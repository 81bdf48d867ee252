"""What the sync client needs from the store: push outcomes, remote changes, conflicts, the cursor and wipe.

Storage never imports ``sync``: these small dataclasses are the whole interface.
Versions: a record's ``version`` is the last server version its local document reflects. It moves only when
everything between the old and the new version is known here (a pulled change, or this device's own change
acknowledged as exactly the next version), so a new local edit is never based on a version it has not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from ibic.document_paths import (
    APPEND_ONLY_LISTS,
    MISSING,
    SEPARATOR,
    FieldEdit,
    apply,
    apply_in_place,
    copy_json,
    element_key,
    get,
    index_of,
)
from ibic.errors import DomainError
from ibic.status_paths import HISTORY, STATUS, goes_with_status, is_status
from storage import audit, chosen_ahead, person_clash, quarantine, restored_mark
from storage.database import DATABASE_ERRORS, Database
from storage.errors import InvalidRecord, PendingChangesExist, RecordNotFound, UnreadableDocument
from storage.journal import Author, decode, encode, insert_entry, overlaps, put_conflict
from storage.push_outcomes import Outcome, RebaseNotDurable, record_outcomes
from storage.push_outcomes import PushOutcome as PushOutcome  # what callers and tests import from here
from storage.repositories import pulled_bulk
from storage.repositories.documents import (
    DocumentCache,
    RecordKind,
    checked_summary,
    drop_pulled_entries,
    entries_kept_and_valid,
    fields_checkable_alone,
    fold_into,
    from_json_text,
    read_row,
    store_document,
    store_prepared,
    summary_kept_and_valid,
    to_json_text,
    write_documents,
)
from storage.repositories.sync_rows import (
    KINDS,
    Working,
    advance,
    applied_before,
    kind_of,
    load_records,
    own_op_ids,
    read_whole,
    write_entries,
    write_entry_rows,
)
from storage.repositories.sync_rows import PulledChange as PulledChange  # the client's interface, defined there

if TYPE_CHECKING:
    from ibic.messages import Message


@dataclass(frozen=True)
class RemoteChange:
    record_type: str
    record_id: str
    path: str
    op: Literal["set", "remove"]
    value: Any
    version: int
    seq: int
    op_id: str
    device_id: str | None = None  # a change kept before s29 has none


_KEPT_FIELDS = tuple(field.name for field in fields(RemoteChange))


def _as_dict(change: PulledChange) -> dict[str, Any]:
    """A change as the quarantine keeps it: RemoteChange's fields, in its order (``RemoteChange(**d)`` reads it)."""
    return {name: getattr(change, name) for name in _KEPT_FIELDS}


@dataclass(frozen=True)
class Conflict:
    conflict_id: str
    record_type: str
    record_id: str
    case_id: str | None
    path: str
    base_value: Any
    local_value: Any
    server_value: Any
    server_version: int
    # The server's side is this laptop's own text, synced before the profile was restored from a backup (the pull
    # named this device as its writer): the dialog says "Min tidigare", not "Deras".
    own_earlier: bool = False


def _server_view(document: dict[str, Any], change: PulledChange, path: str) -> Any:
    """The value at ``path`` once ``change`` is applied to ``document`` (the server's side of a conflict)."""
    try:
        after = apply(document, FieldEdit(change.path, change.op, change.value))
    except DomainError:
        return change.value
    return get(after, path)


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs ~3x (2.8 vs 0.9 µs, one per record)
class _Plan:
    """How one record of a pulled page is written: not at all, its version only, document only, or whole."""

    how: Literal["none", "version", "entries", "quick", "whole"]
    version: int = 0
    text: str = ""
    summary: dict[str, Any] | None = None
    entries: dict[str, str] | None = None  # "entries": the touched top-level entries' JSON texts


class _ReadWhole(Exception):
    """A record read by its touched entries only needs its whole document after all (see ``_plan``)."""


def _plan(kind: RecordKind, record: Working, today: date) -> _Plan:
    """Decide how ``record`` is written; raises (and the record is set aside) when it cannot be.

    Still valid with its summary columns unchanged (proved by tests): only document and version. Otherwise the
    whole check: complete and invalid raises, incomplete (fields still on their way) is stored hidden.
    """
    if not record.changed:
        changed_version = record.exists and record.version != record.stored_version
        return _Plan("version", record.version) if changed_version else _Plan("none")
    if record.partial:
        # Only the touched entries were read: they must still be there and valid alone, else the whole way.
        entries = {top: record.document[top] for top in record.touched if top in record.document}
        if len(entries) < len(record.touched) or not entries_kept_and_valid(kind, entries):
            raise _ReadWhole()
        return _Plan("entries", record.version, entries={top: to_json_text(v) for top, v in entries.items()})
    text = to_json_text(record.document)
    if record.valid and summary_kept_and_valid(kind, record.document, record.touched):
        return _Plan("quick", record.version, text)
    return _Plan("whole", record.version, text, checked_summary(kind, record.document, today))


def _entries_needed(key: tuple[str, str], record: Working, group: list[PulledChange], done: set[str],
                    own: set[str]) -> set[str] | None:
    """The top-level entries a record's pulled changes touch, when they are all it needs to read and rewrite: a
    valid record with no local edit or conflict, changed only outside its summary in fields checkable alone (the
    page's usual case: another device's edits). None: read the whole document.

    An entry only ever set whole needs no current value (its validity is the new value's own). One pass over the
    group: a page asks this of every record (2.8 -> ~1 ms a page of 1,000)."""
    if not record.valid or record.pending or record.conflicts:
        return None
    touched: set[str] = set()
    needed: set[str] = set()
    for change in group:
        op_id = change.op_id
        if op_id in done:
            continue
        if op_id in own:
            return None
        path = change.path
        top = path.split(SEPARATOR, 1)[0]
        touched.add(top)
        if not _sets_whole_entry(change.op, path, top):
            needed.add(top)
    if not touched or not fields_checkable_alone(kind_of(key[0]), touched):
        return None
    return needed


def _sets_whole_entry(op: str, path: str, top: str) -> bool:
    """A ``set`` of a whole top-level entry (``path`` is its own ``top``) that is not an append-only list."""
    return op == "set" and top == path and path not in APPEND_ONLY_LISTS


class SyncState:
    def __init__(self, database: Database, author: Author, cache: DocumentCache, on_wipe: Callable[[], None]) -> None:
        self._db = database
        self._author = author
        self._cache = cache
        self._on_wipe = on_wipe

    def cursor(self) -> int:
        """The server sequence number up to which changes have been pulled."""
        with self._db.reading() as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'sync_cursor'").fetchone()
        return 0 if row is None else int(row[0])

    def pulls_first(self) -> bool:
        """True while the profile was restored from a backup and has not pulled since: the sync pulls before it
        pushes (``storage.restored_mark``), so this laptop's own edits pushed after the backup meet what was typed
        since as conflicts, not overwritten by it."""
        return restored_mark.is_put(self._db.path)

    def found_older_copy(self) -> None:
        """The sync found this profile's audit chain parted from the server's without a restore's mark (a folder
        copied back by hand, a mark lost): it is restored all the same, and pulls before it pushes."""
        restored_mark.put(self._db.path)

    def pulled_after_restore(self) -> None:
        """A pull after the restore reached the server's end: pushes need no pull before them again."""
        restored_mark.remove(self._db.path)

    def record_push_outcomes(self, outcomes: Sequence[Outcome]) -> None:
        """Record the server's answer for pushed entries, in one transaction (``storage.push_outcomes``), committed
        without an fsync: lost only to a power cut before the next durable commit (the pull after the push, any
        save), which leaves the entries pending as a lost answer does: pushed again and answered ``duplicate`` with
        the version each was applied at, recorded as the first answer would have been. Unless it moves the base of
        an entry still pending (``RebaseNotDurable``: that entry is sent on its moved base): then it is rolled back
        and committed again with an fsync."""
        try:
            with self._db.transaction(durable=False) as connection:
                record_outcomes(connection, outcomes, durable=False)
        except RebaseNotDurable:
            with self._db.transaction() as connection:
                record_outcomes(connection, outcomes)

    def _put_conflict(self, connection: Any, change: PulledChange, case_id: str | None, path: str,
                      base_value: str | None, local_value: str | None, server_value: str | None,
                      op_id: str | None) -> None:
        put_conflict(connection, record_type=change.record_type, record_id=change.record_id, case_id=case_id,
                     path=path, base_value=base_value, local_value=local_value, server_value=server_value,
                     server_version=change.version, op_id=op_id, server_device_id=change.device_id)

    def apply_remote(self, changes: Sequence[PulledChange], new_cursor: int | None) -> int:
        """Apply a pulled page and store ``new_cursor`` in one transaction; returns how many changes were applied.

        A change touching a field with a pending local edit or an open conflict becomes (or updates) a conflict; the
        local value stays. A change already applied (same op id) is skipped. A record the page leaves unusable goes
        to the quarantine (``storage.quarantine``) with its changes; its changes held there are tried again first.
        """
        with self._db.transaction() as connection:
            held = quarantine.held(connection, None)  # usually none: the page's keys are gathered only if some are
            if held:
                page = {(c.record_type, c.record_id) for c in changes}
                held = {key: kept for key, kept in held.items() if key in page}
            applied = self._apply_records(connection, changes, held)
            if new_cursor is not None:
                connection.execute(
                    "INSERT INTO meta (key, value) VALUES ('sync_cursor', ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(new_cursor),),
                )
        return applied

    def retry_quarantined(self) -> int:
        """Apply every record held in the quarantine again (a fixed program, or data fixed meanwhile)."""
        with self._db.transaction() as connection:
            return self._apply_records(connection, [], quarantine.held(connection, None))

    def fold_pulled_entries(self, batch: int = 100) -> int:
        """Fold the pulled entries kept in rows of their own (migration 0008) into their documents; returns how many
        records were rewritten. The day's upkeep, off the pull's path: a record saved since its pull has been
        folded by that save already. A batch a transaction, so a save waits for one batch at most; neither the
        version nor ``updated_at`` moves (the document a reader sees is the same, so is a form's base). A document
        whose text does not parse keeps its rows (its damage is reported where it is read)."""
        folded = 0
        for kind in KINDS.values():
            with self._db.reading() as connection:
                ids = [r[0] for r in connection.execute(f"SELECT DISTINCT id FROM {kind.entries_table}").fetchall()]
            for start in range(0, len(ids), batch):
                chunk = ids[start:start + batch]
                with self._db.transaction() as connection:
                    updates = []
                    for record_id, text, entries in connection.execute(
                        f"SELECT d.id, d.document, {kind.pulled_entries('d')} FROM {kind.document_table} AS d"
                        f" WHERE d.id IN ({', '.join('?' * len(chunk))})",
                        chunk,
                    ).fetchall():
                        try:
                            updates.append((to_json_text(fold_into(from_json_text(text), entries)), record_id))
                        except UnreadableDocument:
                            continue
                    connection.executemany(f"UPDATE {kind.document_table} SET document = ? WHERE id = ?", updates)
                    drop_pulled_entries(connection, kind, [record_id for _, record_id in updates])
                folded += len(updates)
        return folded

    def quarantined(self) -> list[quarantine.QuarantinedRecord]:
        """The records held aside, with their reason codes."""
        with self._db.reading() as connection:
            return quarantine.records(connection)

    def _apply_records(self, connection: Any, changes: Sequence[PulledChange],
                       held: dict[tuple[str, str], list[dict[str, Any]]]) -> int:
        today = self._author.today()
        groups: dict[tuple[str, str], list[PulledChange]] = {
            key: [RemoteChange(**change) for change in kept] for key, kept in held.items()
        }
        for change in changes:
            groups.setdefault((change.record_type, change.record_id), []).append(change)
        op_ids = [c.op_id for group in groups.values() for c in group]
        # Set-based reads for the whole page; each record is read once, changed in place, written once.
        done = applied_before(connection, [(c.seq, c.op_id) for group in groups.values() for c in group])
        own = own_op_ids(connection, op_ids)
        # This laptop's choices made before the pull brought the server's side (usually none: one row read); their
        # records are read whole and applied change by change.
        ahead = {key: mine for key, mine in chosen_ahead.entries(connection).items() if key in groups}

        def entries_only(key: tuple[str, str], record: Working) -> set[str] | None:
            return None if key in held or key in ahead else _entries_needed(key, record, groups[key], done, own)

        bulk = pulled_bulk.Bulk()  # the page's common records: decided in one pass, no Working made for them

        def common(key: tuple[str, str], version: int) -> bool:
            return key not in held and key not in ahead and bulk.claim(key, version, groups[key], done, own)

        working = load_records(connection, [key for key, group in groups.items()
                                            if not done or any(c.op_id not in done for c in group)],
                               entries_only, common)
        settled = bulk.settle()
        if settled.given_back:  # the general path decides them, on their whole documents, in the page's order
            working.update((key, read_whole(connection, key)) for key in settled.given_back)
            working = {key: working[key] for key in groups if key in working}
        rows = settled.applied
        done.update(op_id for op_id, _, _ in rows)
        plans: dict[tuple[str, str], _Plan] = {}
        laptop_people = person_clash.LaptopPeople(connection)
        for key, record in working.items():
            outcome = self._apply_group(connection, groups[key], record, done, own, today, laptop_people.check,
                                        ahead.get(key, {}))
            if outcome is None:  # read by its entries, it needs the whole document: apply again on that
                outcome = self._apply_group(connection, groups[key], read_whole(connection, key), done, own, today,
                                            laptop_people.check)
                assert outcome is not None  # a record read whole never asks to be read whole
            if isinstance(outcome, str):
                waiting = list({c.op_id: c for c in groups[key] if c.op_id not in done}.values())
                self._set_aside(connection, key, waiting, outcome, new=key not in held)
                continue
            plan, record_rows = outcome
            rows.extend(record_rows)
            done.update(op_id for op_id, _, _ in record_rows)
            plans[key] = plan
            if key in held:
                quarantine.release(connection, *key)
        # In seq order: the rows go to the end of remote_applied, side by side (its key begins with seq).
        connection.executemany("INSERT INTO remote_applied (op_id, seq, applied) VALUES (?, ?, ?)",
                               sorted(rows, key=lambda row: row[1]))
        if settled.versions:
            write_entry_rows(connection, kind_of("case"), settled.versions, settled.entries)
        self._write(connection, plans)
        return sum(applied for _, _, applied in rows)

    def _apply_group(self, connection: Any, group: list[PulledChange], record: Working, done: set[str],
                     own: set[str], today: date, check: Callable[[str, str, Working], None],
                     ahead: chosen_ahead.Ahead | None = None,
                     ) -> tuple[_Plan, list[tuple[str, int, int]]] | str | None:
        """Apply one record's changes and decide how to write it, or the reason code it must be set aside for; None
        when a record read by its entries only needs its whole document (nothing was written for it).

        Whatever goes wrong with one record (its validation, its summary, a bug) stays with that record: the
        database changes made for it (conflicts, journal states) are undone to a savepoint, its document is not
        written. Only the database's own errors go up and stop the page.
        """
        guarded = bool(record.pending or record.conflicts or ahead) or (
            bool(own) and any(c.op_id in own for c in group))
        if guarded:
            connection.execute("SAVEPOINT pulled_record")
        rows: list[tuple[str, int, int]] = []
        seen: set[str] = set()
        # This device's own changes the page brings back, by version: what the server wrote after another's change
        # to the same path is this laptop's value, already here (``_apply_one``).
        own_later = [(c.version, c.path) for c in group if c.op_id in own] if guarded else []
        try:
            for change in group:
                op_id = change.op_id
                if op_id in done or op_id in seen:
                    continue
                seen.add(op_id)
                if guarded:
                    did_apply = self._apply_one(connection, change, record, op_id in own, own_later, ahead)
                else:
                    # Nothing local on this record and none of its changes is this device's own (a page's usual
                    # record): ``_apply_one``'s first branch, without its checks per change.
                    if change.version > record.version:
                        record.version = change.version
                    did_apply = self._apply_edit(change, record)
                rows.append((op_id, change.seq, int(did_apply)))
            check(group[0].record_type, group[0].record_id, record)  # a person made here on the same number
            plan = _plan(kind_of(group[0].record_type), record, today)
        except _ReadWhole:
            return None  # not guarded: a record read by its entries has no local edit, nothing was written
        except Exception as error:  # one record's failure must not stop every other record
            if isinstance(error, DATABASE_ERRORS):
                raise
            if guarded:
                connection.execute("ROLLBACK TO pulled_record")
                connection.execute("RELEASE pulled_record")
            return quarantine.reason_of(error)
        if guarded:
            connection.execute("RELEASE pulled_record")
        return plan, rows

    def _set_aside(self, connection: Any, key: tuple[str, str], waiting: list[PulledChange], reason: str,
                   *, new: bool) -> None:
        """Keep a record's changes in the quarantine; a record newly set aside is told to the server (audit)."""
        quarantine.put(connection, [_as_dict(c) for c in waiting], reason)
        if new:
            record_type, record_id = key
            audit.append(connection, user_id=self._author.user_id, device_id=self._author.device_id,
                         action="sync_record_set_aside", case_id=record_id if record_type == "case" else None,
                         detail=quarantine.audit_detail(record_type, record_id, reason))

    @staticmethod
    def _write(connection: Any, plans: dict[tuple[str, str], _Plan]) -> None:
        """Write the records of a page as planned, one executemany per kind and statement."""
        quick: dict[str, list[tuple[str, str, int]]] = {record_type: [] for record_type in KINDS}
        entries: dict[str, list[tuple[str, dict[str, str], int]]] = {record_type: [] for record_type in KINDS}
        whole: dict[str, list[tuple[str, str, dict[str, Any] | None, int]]] = {record_type: [] for record_type in KINDS}
        for (record_type, record_id), plan in plans.items():
            if plan.how == "entries":
                assert plan.entries is not None
                entries[record_type].append((record_id, plan.entries, plan.version))
            elif plan.how == "quick":
                # The form's cached view is kept on purpose: its next save is merged onto this change.
                quick[record_type].append((record_id, plan.text, plan.version))
            elif plan.how == "whole":
                whole[record_type].append((record_id, plan.text, plan.summary, plan.version))
            elif plan.how == "version":
                connection.execute(f"UPDATE {kind_of(record_type).versions_table} SET version = ? WHERE id = ?",
                                   (plan.version, record_id))
        for record_type in KINDS:
            if entries[record_type]:
                write_entries(connection, kind_of(record_type), entries[record_type])
            if quick[record_type]:
                write_documents(connection, kind_of(record_type), quick[record_type])
            if whole[record_type]:
                store_prepared(connection, kind_of(record_type), whole[record_type])

    def _apply_one(self, connection: Any, change: PulledChange, record: Working, is_own: bool,
                   own_later: Sequence[tuple[int, str]] = (), ahead: chosen_ahead.Ahead | None = None) -> bool:
        if is_own:
            # This device's own edit coming back: acknowledged (its push answer may have been lost), not re-applied.
            connection.execute(
                "UPDATE journal SET state = CASE state WHEN 'pending' THEN 'acknowledged' ELSE state END,"
                " server_version = ? WHERE op_id = ?",
                (change.version, change.op_id),
            )
            record.pending.pop(change.op_id, None)
            record.version = max(
                advance(connection, change.record_type, change.record_id, record.version, change.version),
                record.version,
            )
            self._placed_as_on_server(connection, change, record)
            return False
        # Paths this device wrote after ``change`` on the server: a choice in a conflict met by a push, made before
        # the pull that follows it (the pull failed, or the lock came between) is sent on the conflict's server
        # version, so the server applies it after the other's change this laptop has not pulled yet. That change,
        # pulled now, went over the kept value, and the own change coming back is not applied again: the laptop kept
        # the other's status or text, the server this laptop's (s34-readback2).
        overwritten = [path for version, path in own_later if version > change.version and overlaps(path, change.path)]
        # Choices made before the pull brought the server's side (``storage.chosen_ahead``), wherever their own change
        # comes back (a later group of pages) or still pending: a change at or below the version a choice was based on
        # is one it was made over. The server holds the choice there (or will, once it is pushed), and the change
        # meets no conflict with it (on main it went over the kept value, or was the same conflict again).
        chosen = {op_id: path for op_id, (path, base) in (ahead or {}).items()
                  if base >= change.version and overlaps(path, change.path)}
        overwritten.extend(chosen.values())
        if any(change.path == path or change.path.startswith(path + SEPARATOR) for path in overwritten):
            record.version = max(record.version, change.version)
            return False  # wholly under the own later change: the server holds this laptop's value there
        if not record.pending and not record.conflicts and not overwritten:
            # Nothing local on this record (every first pull): no conflict to find, the change simply applies.
            record.version = max(record.version, change.version)
            return self._apply_edit(change, record)
        case_id = change.record_id if change.record_type == "case" else None
        kept: list[str] = overwritten  # local paths the change touches: they keep their local value
        for path, server_version in list(record.conflicts.items()):
            if overlaps(path, change.path):
                kept.append(path)
                if change.version >= server_version:
                    connection.execute(
                        "UPDATE conflicts SET server_value = ?, server_version = ?, server_device_id = ?"
                        " WHERE record_type = ? AND record_id = ? AND path = ?",
                        (encode(_server_view(record.document, change, path)), change.version, change.device_id,
                         change.record_type, change.record_id, path),
                    )
                    record.conflicts[path] = change.version
        for op_id, (path, value, base_value) in list(record.pending.items()):
            if op_id not in chosen and overlaps(path, change.path):
                kept.append(path)
                connection.execute("UPDATE journal SET state = 'conflict' WHERE op_id = ?", (op_id,))
                self._put_conflict(connection, change, case_id, path, base_value, value,
                                   encode(_server_view(record.document, change, path)), op_id)
                del record.pending[op_id]
                record.conflicts[path] = change.version
        if is_status(change.record_type, change.path) and STATUS in record.conflicts:
            _hold_with_status(connection, change.record_type, record)
        record.version = max(record.version, change.version)
        if any(change.path == path or change.path.startswith(path + SEPARATOR) for path in kept):
            return False  # the change lies inside a local edit: the local value stays whole until the user chooses
        return self._apply_edit(change, record, kept)

    @staticmethod
    def _placed_as_on_server(connection: Any, change: PulledChange, record: Working) -> None:
        """This device's own new list element (a visit, a status change) coming back goes to the end of its list,
        where the server appended it, after the elements other devices added before it.

        Added here, it went at the end of the local list at once; another laptop's element added to the same list
        and synced first came in by the pull behind it. The laptops then held one list in two orders for good
        (s33-conflict: a case's status history read closed-then-investigation on one, the other way round on the
        other and the server, and a visit list likewise). Pulled changes apply in the server's order, so moving
        each own new element to the end as its change comes back gives the server's order."""
        segments = change.path.split(SEPARATOR)
        if change.op != "set" or len(segments) < 2 or element_key(change.value) != segments[-1]:
            return
        row = connection.execute("SELECT base_value IS NULL AND state != 'superseded' FROM journal WHERE op_id = ?",
                                 (change.op_id,)).fetchone()
        if not row or not row[0]:
            return  # not new where it was made: an edit of an element that was there, in place on the server too
        elements = get(record.document, SEPARATOR.join(segments[:-1]))
        index = index_of(elements, segments[-1]) if isinstance(elements, list) else None
        if index is None or index == len(elements) - 1:
            return
        elements.append(elements.pop(index))
        record.changed = True
        record.touched.add(segments[0])

    @staticmethod
    def _apply_edit(change: PulledChange, record: Working, kept: list[str] | None = None) -> bool:
        """Apply ``change`` to the working document; the local values at ``kept`` paths stay."""
        path = change.path
        top = path.split(SEPARATOR, 1)[0]
        if not kept and _sets_whole_entry(change.op, path, top):
            # What ``apply_in_place`` does for such an edit (no guard applies, no parent to walk): the value copied in.
            record.document[path] = copy_json(change.value)
            record.changed = True
            record.touched.add(top)
            return True
        edit = FieldEdit(path, change.op, change.value)
        try:
            if not kept:
                apply_in_place(record.document, edit)  # refused edits raise before changing anything
            else:
                # The change covers local edits deeper down (an element replaced whole): apply it, keep those fields.
                updated = apply(record.document, edit)
                for path in kept:
                    local = get(record.document, path)
                    updated = apply(updated, FieldEdit(path, "remove" if local is MISSING else "set", local))
                record.document = updated
        except DomainError:
            return False  # e.g. an edit of a final decision: refused here as on the server
        record.changed = True
        record.touched.add(top)
        return True

    def _apply_held(self, connection: Any, person_id: str) -> None:
        """Apply the changes of one person held in the quarantine (a number clash just settled)."""
        key = ("person", person_id)
        self._apply_records(connection, [], quarantine.held(connection, [key]))

    def conflicts(self) -> list[Conflict]:
        """Open conflicts, oldest first."""
        with self._db.reading() as connection:
            rows = connection.execute(
                "SELECT conflict_id, record_type, record_id, case_id, path, base_value, local_value, server_value,"
                " server_version, server_device_id FROM conflicts ORDER BY created_at, conflict_id"
            ).fetchall()
            own = self._author.device_id
            return [Conflict(r[0], r[1], r[2], r[3], r[4], decode(r[5]), decode(r[6]), decode(r[7]), r[8], r[9] == own)
                    for r in rows]  # in the block: a damaged value is ProfileDamaged

    def resolve_conflict(self, conflict_id: str, chosen_value: Any) -> Message | None:
        """Keep ``chosen_value``: a new journal entry based on the server version, the local document updated. A case's
        status is kept with its history (``_resolve_status``): why one's own status was not kept (the server's is),
        None when the choice was."""
        with self._db.transaction() as connection:
            row = connection.execute(
                "SELECT record_type, record_id, case_id, path, local_value, server_value, server_version, op_id"
                " FROM conflicts WHERE conflict_id = ?",
                (conflict_id,),
            ).fetchone()
            if row is None:
                raise RecordNotFound("conflict", conflict_id)
            record_type, record_id, case_id, path, local_value, server_value, server_version, op_id = row
            if record_type == person_clash.CLASH_RECORD_TYPE:
                person_clash.resolve(
                    connection, self._author, self._cache, (conflict_id, record_id, local_value, server_value),
                    chosen_value, lambda person_id: self._apply_held(connection, person_id),
                )
                return None
            if is_status(record_type, path):
                return self._resolve_status(connection, conflict_id, row, chosen_value)
            kind = kind_of(record_type)
            stored = read_row(connection, kind, record_id)
            version, before = stored if stored is not None else (0, {})
            # None chosen where one side had no value at all means: remove the element.
            removing = chosen_value is None and (server_value is None or local_value is None)
            value = MISSING if removing else chosen_value
            gone = path
            if removing and server_value is None:
                # The server's side is the absence of a value inside a list element: the element is gone there (a
                # document holds every field of its model, so a field is missing only with what held it; a delområde
                # unticked on one laptop, its text written on another). Only the text went here: the laptop kept the
                # element the server has not, for good.
                gone = _innermost_element(before, path, present=False) or path
            if removing and get(before, gone) is MISSING:
                document = copy_json(before)  # gone already (its element went with the choice on another field)
            else:
                document = apply(before, FieldEdit(gone, "remove" if removing else "set", chosen_value))
            _refuse_breaking_choice(kind, before, document, self._author.today())
            connection.execute("DELETE FROM conflicts WHERE conflict_id = ?", (conflict_id,))
            if op_id is not None:
                connection.execute("UPDATE journal SET state = 'superseded' WHERE op_id = ?", (op_id,))
            if encode(value) != server_value:
                # Taken from the server (Ta deras), the value is not written back: the server holds it, and a write of
                # it was a change of this laptop's own, an entry in the case's history on the server and a change for
                # every other laptop (one with its own edit there met it as a conflict whose other side was that
                # laptop's own earlier text; s34-rrace).
                if server_value is None and not removing:
                    path, value = _whole_element_kept(document, path, value)
                written = insert_entry(connection, self._author, record_type=record_type, record_id=record_id,
                                       case_id=case_id, path=path, value=value, base_value=server_value,
                                       base_version=server_version)
                chosen_ahead.note(connection, written, version, server_version)
            store_document(connection, kind, record_id, document, version, self._author.today())
            audit.append(connection, user_id=self._author.user_id, device_id=self._author.device_id, action="change",
                         case_id=case_id, detail=f"{record_type}: conflict resolved")
        return None

    def _resolve_status(self, connection: Any, conflict_id: str, row: tuple[Any, ...], chosen_value: Any,
                        ) -> Message | None:
        """The choice in the conflict on a case's status (``ibic.status_conflict.kept_status``): the status and the
        history rebuilt on the server's, the held history entries (state 'conflict') superseded, and what is kept sent
        anew on the server's version. The refusal of one's own status (a reopening the rule refuses: the server's is
        kept), None when the choice was kept. ``ClosingNotHere`` (nothing written) while the server's closing has
        not been pulled."""
        from ibic.reference import load_reference_data  # here: the models, which the unlocked list does not load
        from ibic.status_conflict import kept_status, statuses_of

        _, record_id, case_id, path, _, server_value, server_version, op_id = row
        kind = kind_of("case")
        stored = read_row(connection, kind, record_id)
        version, before = stored if stored is not None else (0, {})
        held = connection.execute(
            "SELECT op_id, path FROM journal WHERE record_type = 'case' AND record_id = ? AND state = 'conflict'"
            " AND (path = ? OR path GLOB ?) AND op_id NOT IN (SELECT op_id FROM conflicts WHERE op_id IS NOT NULL)",
            (record_id, HISTORY, HISTORY + SEPARATOR + "*")).fetchall()  # an entry with a conflict of its own stays
        raw = before.get(HISTORY, [])
        today = self._author.today()  # the window's day (ui.session.calendar_day), as every other save's
        try:
            history, server, chosen = statuses_of(raw, decode(server_value), chosen_value)
        except ValueError as error:
            raise InvalidRecord(f"the chosen status does not fit the case ({type(error).__name__})") from None
        outcome = kept_status(history, {p.split(SEPARATOR)[1] for _, p in held if SEPARATOR in p}, server, chosen,
                              str(before.get("caseworker", "")), self._author.user_id, today,
                              load_reference_data().rules.deadlines.reopen_within_days)
        as_stored = {element_key(entry): entry for entry in raw}
        added = {entry.id for entry in outcome.added}
        document = copy_json(before)
        document[path] = outcome.status.value
        document[HISTORY] = [as_stored[entry.id] if entry.id in as_stored and entry.id not in added
                             else entry.model_dump(mode="json") for entry in outcome.history]
        _refuse_breaking_choice(kind, before, document, today)
        connection.execute("DELETE FROM conflicts WHERE conflict_id = ?", (conflict_id,))
        connection.executemany("UPDATE journal SET state = 'superseded' WHERE op_id = ?",
                               [(held_id,) for held_id in {op_id, *(h[0] for h in held)} if held_id is not None])
        if outcome.status != server:
            # The server's status taken (Ta deras, or one's own refused) is not written back: the server holds it, and
            # this laptop's write of it would be a status change of its own, on the version of the conflict (a
            # reopening by the closer meanwhile met it as a conflict whose "Min" was the closing only accepted here,
            # and Behåll min there kept a bare Avslutad beside a history ending open, s34-rrace).
            written = insert_entry(connection, self._author, record_type="case", record_id=record_id,
                                   case_id=case_id, path=path, value=outcome.status.value, base_value=server_value,
                                   base_version=server_version)
            chosen_ahead.note(connection, written, version, server_version)  # the status before its history's
        for entry in outcome.added:  # after the server's history, in this order
            written = insert_entry(connection, self._author, record_type="case", record_id=record_id,
                                   case_id=case_id, path=f"{HISTORY}{SEPARATOR}{entry.id}",
                                   value=entry.model_dump(mode="json"), base_value=None, base_version=server_version)
            chosen_ahead.note(connection, written, version, server_version)
        store_document(connection, kind, record_id, document, version, today)
        audit.append(connection, user_id=self._author.user_id, device_id=self._author.device_id, action="change",
                     case_id=case_id, detail="case: conflict resolved")
        return outcome.refused

    def unsynced_count(self) -> int:
        """Pending entries plus conflicts: local work the server does not have."""
        with self._db.reading() as connection:
            return int(connection.execute(
                "SELECT count(*) FROM journal WHERE state IN ('pending', 'conflict')"
            ).fetchone()[0])

    def wipe(self, *, allow_pending: bool = False) -> None:
        """Delete the database, key file and backups; refuses while unsynced work exists unless ``allow_pending``."""
        count = self.unsynced_count()
        if count and not allow_pending:
            raise PendingChangesExist(count)
        self._on_wipe()


def _hold_with_status(connection: Any, record_type: str, record: Working) -> None:
    """The record's pending history entries wait with its status in conflict (``ibic.status_conflict``): made with a
    status change before the pulled one, they are kept or dropped by the choice on the status, never sent alone."""
    for op_id, (path, _value, _base) in list(record.pending.items()):
        if goes_with_status(record_type, path):
            connection.execute("UPDATE journal SET state = 'conflict' WHERE op_id = ?", (op_id,))
            del record.pending[op_id]


def _whole_element_kept(document: dict[str, Any], path: str, value: Any) -> tuple[str, Any]:
    """What to journal when the value kept is at a path the server no longer has: the innermost list element on the
    way, whole, as the choice left it here (or the path and value themselves where none is on the way).

    A delområde removed on one laptop and its text written on another: the other kept its text, and the choice was
    journaled as a set of ``…/sub_areas/d450/text``, which the server, without that element, could not apply. The
    text stayed on that laptop alone, the case held two ways for good (s33-conflict). Set whole, the element is
    written anew on the server."""
    element_path = _innermost_element(document, path)
    return (path, value) if element_path is None else (element_path, copy_json(get(document, element_path)))


def _innermost_element(document: dict[str, Any], path: str, *, present: bool = True) -> str | None:
    """The path of the innermost list element around ``path`` in ``document`` (not ``path`` itself), or None;
    ``present`` False: the innermost place in a list on the way, the element there or not (one gone already is not
    passed for the element around it: a life area for its delområde)."""
    segments = path.split(SEPARATOR)
    for end in range(len(segments) - 1, 1, -1):
        element_path = SEPARATOR.join(segments[:end])
        if isinstance(get(document, SEPARATOR.join(segments[:end - 1])), list) and \
                (not present or element_key(get(document, element_path)) == segments[end - 1]):
            return element_path
    return None


def _refuse_breaking_choice(kind: RecordKind, before: dict[str, Any], after: dict[str, Any], today: date) -> None:
    """InvalidRecord when a conflict's chosen value (a far date from an older server, say) would turn a valid record
    invalid: the record would vanish from the list. The conflict stays for another choice."""
    try:
        checked_summary(kind, before, today)
    except Exception:  # already invalid (or incomplete): the choice cannot make it worse
        return
    try:
        checked_summary(kind, after, today)
    except Exception as error:
        if isinstance(error, DATABASE_ERRORS):
            raise
        raise InvalidRecord(f"the chosen value does not fit the record ({quarantine.reason_of(error)})") from None


def canonical_or_null(value: Any) -> str | None:
    """A server value as stored in a conflict row."""
    return encode(value)
