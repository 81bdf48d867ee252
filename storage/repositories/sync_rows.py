"""The rows sync reads and rewrites in bulk: a pulled page's records with their local edits and conflicts, the
journal rows a push answer settles, record versions; set-based, one query per chunk of ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.repositories.cases import CASE_KIND
from storage.repositories.documents import RecordKind, from_json_text
from storage.repositories.people import PERSON_KIND

KINDS: dict[str, RecordKind] = {"case": CASE_KIND, "person": PERSON_KIND}


@dataclass
class Working:
    """One record during a pulled page: its document (changed in place), open local edits and conflicts."""

    version: int
    document: dict[str, Any]
    changed: bool = False
    exists: bool = True
    stored_version: int = 0
    valid: bool = False  # the stored document validated as a whole
    touched: set[str] = field(default_factory=set)  # top-level fields this page changed
    pending: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)  # op id -> path, value, base
    conflicts: dict[str, int] = field(default_factory=dict)  # path -> server version


# SQLite's bound-parameter limit is far above this; chunks keep each IN (...) list modest.
CHUNK = 500


def existing(connection: Any, sql: str, keys: list[str]) -> set[str]:
    """The subset of ``keys`` the query (with one ``{}`` for the placeholders) finds."""
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        found.update(r[0] for r in connection.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall())
    return found


def load_records(connection: Any, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Working]:
    """The records (type, id) a page touches, each read once, with their pending journal entries and open
    conflicts; a record not stored yet comes back empty with ``exists`` False."""
    working = {key: Working(0, {}, exists=False) for key in keys}
    ids = list(dict.fromkeys(record_id for _, record_id in keys))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        for record_type, kind in KINDS.items():  # documents.read_row's query, for a chunk of ids at once
            for record_id, version, valid, text in connection.execute(
                f"SELECT t.id, t.version, t.valid, d.document FROM {kind.table} AS t JOIN {kind.document_table}"
                f" AS d ON d.id = t.id WHERE t.id IN ({marks})",
                chunk,
            ).fetchall():
                if (record_type, record_id) in working:
                    working[(record_type, record_id)] = Working(int(version), from_json_text(text),
                                                                stored_version=int(version), valid=bool(valid))
        for op_id, record_type, record_id, path, value, base_value in connection.execute(
            "SELECT op_id, record_type, record_id, path, value, base_value FROM journal"
            f" WHERE state = 'pending' AND record_id IN ({marks}) ORDER BY seq",
            chunk,
        ).fetchall():
            if (record_type, record_id) in working:
                working[(record_type, record_id)].pending[op_id] = (path, value, base_value)
        for record_type, record_id, path, server_version in connection.execute(
            f"SELECT record_type, record_id, path, server_version FROM conflicts WHERE record_id IN ({marks})",
            chunk,
        ).fetchall():
            if (record_type, record_id) in working:
                working[(record_type, record_id)].conflicts[path] = int(server_version)
    return working


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


def journal_entries(connection: Any, op_ids: list[str]) -> dict[str, list[Any]]:
    """Journal rows by op id: [record_type, record_id, case_id, path, value, base_value, state] (state kept current)."""
    entries: dict[str, list[Any]] = {}
    for start in range(0, len(op_ids), CHUNK):
        chunk = op_ids[start:start + CHUNK]
        for row in connection.execute(
            "SELECT op_id, record_type, record_id, case_id, path, value, base_value, state FROM journal"
            f" WHERE op_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall():
            entries[row[0]] = list(row[1:])
    return entries


def record_versions(connection: Any, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The stored version of each existing record among ``keys``."""
    versions: dict[tuple[str, str], int] = {}
    for record_type in KINDS:
        ids = sorted(record_id for kind_name, record_id in keys if kind_name == record_type)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for record_id, version in connection.execute(
                f"SELECT id, version FROM {kind_of(record_type).table} WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall():
                versions[(record_type, record_id)] = int(version)
    return versions


def rebase(connection: Any, steps: list[tuple[str, str, int, int]]) -> None:
    """Move entries still pending from each old version to the next, step by step, as ``advance`` does.

    Only records that still have pending entries are touched (usually none: a push acknowledges them all). An
    entry settled later in the same answer is no longer rebased; nothing reads the base of a settled entry.
    """
    ids = sorted({record_id for _, record_id, _, _ in steps})
    pending: set[tuple[str, str]] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        pending.update(tuple(row) for row in connection.execute(
            "SELECT DISTINCT record_type, record_id FROM journal WHERE state = 'pending'"
            f" AND record_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ).fetchall())
    for record_type, record_id, current, new_version in steps:
        if (record_type, record_id) in pending:
            advance(connection, record_type, record_id, current, new_version)
