"""The rows sync reads and rewrites in bulk: a pulled page's records with their local edits and conflicts, record
versions; set-based, one query per chunk of ids. A push answer's rows: ``storage.push_outcomes``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from storage.repositories.cases import CASE_KIND
from storage.repositories.documents import RecordKind, fold_into, from_json_text, now_text
from storage.repositories.people import PERSON_KIND

KINDS: dict[str, RecordKind] = {"case": CASE_KIND, "person": PERSON_KIND}


class PulledChange(Protocol):
    """What ``apply_remote`` reads of a pulled change: a ``RemoteChange``, or the sync protocol's ``ServerChange``
    as the client parsed it (not copied into a RemoteChange first: ~1.5 ms a page of 1,000, ~50 ms a first pull)."""

    @property
    def record_type(self) -> str: ...
    @property
    def record_id(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def op(self) -> Literal["set", "remove"]: ...
    @property
    def value(self) -> Any: ...
    @property
    def version(self) -> int: ...
    @property
    def seq(self) -> int: ...
    @property
    def op_id(self) -> str: ...
    @property
    def device_id(self) -> str | None: ...  # the device that sent it, when the pull asked (else None)


@dataclass
class Working:
    """One record during a pulled page: its document (changed in place), open local edits and conflicts."""

    version: int
    document: dict[str, Any]
    changed: bool = False
    exists: bool = True
    stored_version: int = 0
    valid: bool = False  # the stored document validated as a whole
    partial: bool = False  # ``document`` holds only the top-level entries the page touches (see load_records)
    touched: set[str] = field(default_factory=set)  # top-level fields this page changed
    pending: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # op id -> path, value, base
    conflicts: dict[str, int] = field(default_factory=dict)  # path -> server version


# SQLite's bound-parameter limit is far above this; chunks keep each IN (...) list modest.
CHUNK = 500


def own_op_ids(connection: Any, op_ids: list[str]) -> set[str]:
    """The subset of ``op_ids`` the journal holds (this device's own changes): one statement over the sorted ids as
    a JSON array (~0.3 ms less a page of 1,000 than IN lists of 500)."""
    if not op_ids:
        return set()
    return {r[0] for r in connection.execute(
        "SELECT j.op_id FROM json_each(?) AS p JOIN journal AS j ON j.op_id = p.value", (json.dumps(sorted(op_ids)),),
    ).fetchall()}


def applied_before(connection: Any, changes: list[tuple[int, str]]) -> set[str]:
    """The op ids of ``changes`` ((seq, op id) pairs) that remote_applied holds: read by seq, its key's first column
    (the rows of a page lie side by side), and matched on the pair (migration 0006). One statement over the sorted
    seqs as a JSON array."""
    wanted = set(changes)
    if not wanted:
        return set()
    return {op_id for seq, op_id in connection.execute(
        "SELECT r.seq, r.op_id FROM json_each(?) AS p JOIN remote_applied AS r ON r.seq = p.value",
        (json.dumps(sorted({seq for seq, _ in wanted})),),
    ).fetchall() if (seq, op_id) in wanted}


def load_records(
    connection: Any, keys: list[tuple[str, str]],
    entries_only: Callable[[tuple[str, str], Working], set[str] | None] = lambda _key, _record: None,
    common: Callable[[tuple[str, str], int], bool] | None = None,
) -> dict[tuple[str, str], Working]:
    """The records (type, id) a page touches, each read once, with their pending journal entries and open
    conflicts; a record not stored yet comes back empty with ``exists`` False.

    ``common`` may take, by its key and version, a stored valid record with no pending edit and no conflict off the
    page (``pulled_bulk``): it is left out, no ``Working`` made. ``entries_only`` may name, per record (its version,
    validity, edits and conflicts known), the top-level entries that are all it needs to read (possibly none): such
    a record's document holds only those (``partial``), read by SQLite without parsing the rest in Python. A record
    missing one of them is read whole.
    """
    working = _heads(connection, keys, common)
    partial = {key: wanted for key, record in working.items()
               if record.exists and (wanted := entries_only(key, record)) is not None}
    whole = [key for key, record in working.items() if record.exists and key not in partial]
    whole.extend(_read_entries(connection, working, partial))
    _read_documents(connection, working, whole)
    return working


def read_whole(connection: Any, key: tuple[str, str]) -> Working:
    """One record read whole again (its version, edits and conflicts too), as ``load_records`` reads it."""
    return load_records(connection, [key])[key]


def _heads(connection: Any, keys: list[tuple[str, str]],
           common: Callable[[tuple[str, str], int], bool] | None) -> dict[tuple[str, str], Working]:
    pending, conflicts = _local_work(connection, keys)
    stored: dict[tuple[str, str], Working] = {}
    taken: set[tuple[str, str]] = set()
    for record_type, kind in KINDS.items():  # documents.read_row's rows (not the document), each kind its own ids
        kind_ids = [record_id for kind_name, record_id in keys if kind_name == record_type]
        if not kind_ids:
            continue
        # The ids as one JSON array in key order (neighbouring lookups share pages): one statement, ~0.5 ms less
        # than IN lists of 500 for a page of 1,000.
        for record_id, version, valid in connection.execute(
            f"SELECT t.id, v.version, t.valid FROM json_each(?) AS p JOIN {kind.table} AS t ON t.id = p.value"
            f" JOIN {kind.versions_table} AS v ON v.id = t.id JOIN {kind.document_table} AS d ON d.id = t.id",
            (json.dumps(sorted(kind_ids)),),
        ).fetchall():
            key = (record_type, record_id)
            if common is not None and valid and key not in pending and key not in conflicts and common(key, version):
                taken.add(key)
                continue
            stored[key] = Working(int(version), {}, stored_version=int(version), valid=bool(valid),
                                  pending=pending.get(key, {}), conflicts=conflicts.get(key, {}))
    # One Working a record, in the page's order (a Working is ~0.4 µs: not made twice for each stored record).
    return {key: stored.get(key) or Working(0, {}, exists=False, pending=pending.get(key, {}),
                                            conflicts=conflicts.get(key, {}))
            for key in keys if key not in taken}


def _local_work(connection: Any, keys: list[tuple[str, str]],
                ) -> tuple[dict[tuple[str, str], dict[str, tuple[str, str, str | None]]],
                           dict[tuple[str, str], dict[str, int]]]:
    """The pending journal entries (op id -> path, value, base; in journal order) and open conflicts (path -> server
    version) of the records ``keys``, by record."""
    pending: dict[tuple[str, str], dict[str, tuple[str, str, str | None]]] = {}
    conflicts: dict[tuple[str, str], dict[str, int]] = {}
    # A pull usually follows a push that left nothing pending, and conflicts are rare: one look at each (an index's
    # first entry) spares the page's lookups by id (~0.5 ms a page of 1,000) when there is none at all.
    any_pending, any_conflict = connection.execute(
        "SELECT EXISTS (SELECT 1 FROM journal WHERE state = 'pending'), EXISTS (SELECT 1 FROM conflicts)"
    ).fetchone()
    if not any_pending and not any_conflict:
        return pending, conflicts
    wanted = set(keys)
    ids = list(dict.fromkeys(record_id for _, record_id in keys))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for op_id, record_type, record_id, path, value, base_value in connection.execute(
            "SELECT op_id, record_type, record_id, path, value, base_value FROM journal"
            f" WHERE state = 'pending' AND record_id IN ({marks}) ORDER BY seq",
            chunk,
        ).fetchall() if any_pending else ():
            if (record_type, record_id) in wanted:
                pending.setdefault((record_type, record_id), {})[op_id] = (path, value, base_value)
        for record_type, record_id, path, server_version in connection.execute(
            f"SELECT record_type, record_id, path, server_version FROM conflicts WHERE record_id IN ({marks})",
            chunk,
        ).fetchall() if any_conflict else ():
            if (record_type, record_id) in wanted:
                conflicts.setdefault((record_type, record_id), {})[path] = int(server_version)
    return pending, conflicts


def _read_documents(connection: Any, working: dict[tuple[str, str], Working], keys: list[tuple[str, str]]) -> None:
    for record_type, kind in KINDS.items():
        ids = [record_id for kind_name, record_id in keys if kind_name == record_type]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for record_id, text, entries in connection.execute(
                f"SELECT id, document, {kind.pulled_entries('d')} FROM {kind.document_table} AS d"
                f" WHERE id IN ({', '.join('?' * len(chunk))})", chunk,
            ).fetchall():
                working[(record_type, record_id)].document = fold_into(from_json_text(text), entries)
                working[(record_type, record_id)].partial = False


def _read_entries(connection: Any, working: dict[tuple[str, str], Working],
                  wanted: dict[tuple[str, str], set[str]]) -> list[tuple[str, str]]:
    """Fill the wanted top-level entries (SQLite's ``->`` gives each as JSON text, NULL when absent; a pulled entry
    not yet folded into the text comes from its own row); returns the records that lack one, to be read whole."""
    lacking: set[tuple[str, str]] = set()
    for key in wanted:
        working[key].partial = True
    for record_type, kind in KINDS.items():
        pairs = [[record_id, top] for (kind_name, record_id), tops in wanted.items() if kind_name == record_type
                 for top in sorted(tops)]
        if not pairs:
            continue
        for record_id, top, text in connection.execute(
            f"SELECT p.value ->> 0, p.value ->> 1, coalesce(e.value, d.document -> (p.value ->> 1))"
            f" FROM json_each(?) AS p JOIN {kind.document_table} AS d ON d.id = p.value ->> 0"
            f" LEFT JOIN {kind.entries_table} AS e ON e.id = d.id AND e.name = p.value ->> 1",
            (json.dumps(pairs),),
        ).fetchall():
            key = (record_type, record_id)
            if text is None:
                lacking.add(key)
            else:
                working[key].document[top] = from_json_text(text)
    return [key for key in wanted if key in lacking]


def write_entries(connection: Any, kind: RecordKind, rows: list[tuple[str, dict[str, str], int]]) -> None:
    """Write (record id, {top-level entry: its JSON text}, version) of stored records whose summary columns and
    validity stay: each entry a row of its own (migration 0008), the document's text is not rewritten. Only entries
    the stored text already holds come here (``_read_entries`` read them, or a whole read found them), so folding
    them in later keeps the document's order."""
    stamp = now_text()
    write_entry_rows(connection, kind, [(version, stamp, record_id) for record_id, _, version in rows],
                     [(record_id, name, text) for record_id, entries, _ in rows for name, text in entries.items()])


def write_entry_rows(connection: Any, kind: RecordKind, versions: list[tuple[int, str, str]],
                     entries: list[tuple[str, str, str]]) -> None:
    """``write_entries`` for rows already flat: (version, stamp, id) and (id, entry, JSON text)."""
    connection.executemany(f"UPDATE {kind.versions_table} SET version = ?, updated_at = ? WHERE id = ?", versions)
    connection.executemany(
        f"INSERT INTO {kind.entries_table} (id, name, value) VALUES (?, ?, ?)"
        " ON CONFLICT (id, name) DO UPDATE SET value = excluded.value",
        entries,
    )


def kind_of(record_type: str) -> RecordKind:
    try:
        return KINDS[record_type]
    except KeyError:
        raise ValueError("unknown record type") from None


def advance(connection: Any, record_type: str, record_id: str, current: int, new_version: int) -> int:
    """Move to ``new_version`` if it directly follows ``current``; rebase pending entries made on ``current``."""
    if new_version != current + 1:
        return current
    connection.execute(
        "UPDATE journal SET base_version = ? WHERE record_type = ? AND record_id = ? AND state = 'pending'"
        " AND base_version = ?",
        (new_version, record_type, record_id, current),
    )
    return new_version
