"""A count of committed saves kept beside the database, so a WAL that lost acknowledged saves is noticed.

SQLite drops every WAL frame from the first one that fails its checksum: a flipped byte in the WAL's header or
first frame silently drops every save since the last checkpoint, and both integrity checks still pass. So each
write transaction that changed something also raises the count inside the database (the audit table's head row,
``save_count``, since schema 7; ``meta.save_count`` before), and once its COMMIT is durable the same number is
written to ``profile.db-saves`` beside it. At open, a database holding a lower count
than that file is missing acknowledged saves: ``ProfileDamaged``, and the restore treats it as damaged.

The file is overwritten in place and not fsynced (one small write per save): it guards against a damaged WAL
after the program was killed, when the page cache survives. After a power cut it may hold an older count, never a
newer one, so it can miss damage but never invent it (this rests on synchronous=FULL: the commit is on disk before
the count is written; a transaction committed without an fsync, ``Database.transaction(durable=False)``, leaves the
count beside as it was, and the next durable commit writes its own); an unreadable file is no claim at all.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

SUFFIX = "-saves"
META_KEY = "save_count"  # where schemas before 7 kept the count
# The audit table's head row (migration 0007): the chain's head (``head_seq``, ``hash``) and the save count, in the
# row right after the newest entry (seq = head_seq + 1; ``head_seq`` is NULL in every entry). The next entry takes
# its place and a new head row is appended after it: both on the table's last leaf page, and the table only ever
# grows at its end, so a full leaf splits the cheap way (a new page, its parent) instead of sharing cells with its
# neighbours, as a row fixed at the largest key made every few saves.
HEAD_ROW = "seq = (SELECT max(seq) FROM audit) AND head_seq IS NOT NULL"
HEAD_ROW_SINCE = 7  # the schema version that has the head row
_WIDTH = 20  # fixed width: an overwrite in place never leaves digits of a longer number behind


def counter_path(database: Path) -> Path:
    """The file beside ``database`` that holds its count of committed saves."""
    return Path(f"{database}{SUFFIX}")


def outside_count(database: Path) -> int:
    """The count last written beside the database; 0 when there is none or it cannot be read."""
    try:
        with open(counter_path(database), "rb") as handle:
            text = handle.read(_WIDTH + 2)
    except FileNotFoundError:
        return 0
    try:
        return max(int(text.strip() or b"0"), 0)
    except ValueError:
        return 0  # a torn write after a power cut: unknown, so no claim


def inside_count(connection: Any) -> int:
    """The count the database itself holds (0 before the first counted save, or before the schema exists)."""
    try:
        if int(connection.execute("PRAGMA user_version").fetchone()[0]) >= HEAD_ROW_SINCE:
            row = connection.execute(f"SELECT save_count FROM audit WHERE {HEAD_ROW}").fetchone()
        else:  # a profile not yet migrated (its count is checked before the migration runs)
            row = connection.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    except sqlcipher.OperationalError as error:
        if "no such table" in str(error):  # a database being created
            return 0
        raise
    return 0 if row is None or row[0] is None else int(row[0])


def write_head_row(connection: Any, *, count: int | None = None, head: tuple[int, str] | None = None) -> None:
    """The head row after a transaction: a new one after ``head`` (seq, hash: the entry that took the old one's
    place) with ``count``, or only the ``count`` of the one there is. ``count`` None keeps the count it had."""
    if head is None:
        connection.execute(f"UPDATE audit SET save_count = ? WHERE {HEAD_ROW}", (count,))
        return
    seq, digest = head
    connection.execute(
        "INSERT INTO audit (seq, entry_id, at, user_id, device_id, action, detail, prev_hash, hash, head_seq,"
        " save_count) VALUES (?, 'head', '', '', '', 'head', '', '', ?, ?, ?)",
        (seq + 1, digest, seq, count if count is not None else inside_count(connection)),
    )


class SaveCounter:
    """Raises the count inside a write transaction and writes it beside the database after the commit.

    The count raised is the one the file holds, read inside the write transaction (``BEGIN IMMEDIATE``: no other
    connection writes in between), never one remembered from an earlier transaction: every writer of the file, in
    this process or another copy of the program, raises the one count, so no two commits hold the same count."""

    def __init__(self, database: Path, count: int) -> None:
        self._path = counter_path(database)
        self.count = count  # the count of this store's last commit (the file's count at its open before one)
        self._pending: int | None = None
        self._descriptor: int | None = None

    def bump(self, connection: Any, head: tuple[int, str, int] | None = None) -> None:
        """Inside the transaction, before COMMIT: the database holds the next count. ``head`` is the audit chain's
        head the transaction staged (seq, hash) and the count the head row held when its first entry took that row's
        place; then the new head row is written with the next count, in one statement."""
        if head is None:
            rows = connection.execute(
                f"UPDATE audit SET save_count = coalesce(save_count, 0) + 1 WHERE {HEAD_ROW} RETURNING save_count"
            ).fetchall()
            self._pending = int(rows[0][0]) if rows else None
            return
        seq, digest, count = head
        self._pending = count + 1
        write_head_row(connection, count=self._pending, head=(seq, digest))

    def committed(self, *, beside: bool = True) -> None:
        """After COMMIT: the count committed is written beside the database (a failure only weakens the check).
        ``beside`` False after a commit that was not fsynced (``Database.transaction(durable=False)``): the file
        keeps the count before it, which a power cut cannot leave ahead of the disk; the next durable commit, whose
        fsync covers this one too, writes its own."""
        if self._pending is None:
            return
        self.count, self._pending = self._pending, None
        if not beside:
            return
        with contextlib.suppress(OSError):
            if self._descriptor is None:
                self._descriptor = os.open(self._path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.pwrite(self._descriptor, f"{self.count:0{_WIDTH}d}\n".encode("ascii"), 0)

    def close(self) -> None:
        if self._descriptor is not None:
            with contextlib.suppress(OSError):
                os.close(self._descriptor)
            self._descriptor = None
