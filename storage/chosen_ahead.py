"""Choices in a conflict made before the pull brought the server's side of it (s35-pages).

A conflict met by a push (the server answered it; the pull that follows had not brought the other's change yet, the
lock or the network came between) is chosen on the conflict's server version: the entry written for Behåll min or a
merged text is based on a version above its record's. The server applies it after the other's change. The pull then
brings that older change and, after it, this laptop's own coming back, which is not applied again (it is this
laptop's value already). Applied, the older change went over the kept value: the laptop showed the other's text or
status, the server this one's, for good and without a word. s34-readback2 passed over such a change where the own
one came back in the same group of pages (``SyncState._apply_group``'s ``own_later``); across groups (a pull of
more than ``sync.client.pull.PAGES_PER_COMMIT`` pages, or one cut by the network between them), or with the choice
not pushed yet when the pull came (made while a sync ran), it still went over the choice, or met it as the same
conflict again.

Such entries are known by their base version above their record's version, for as long as it is (their base is
reached once the pull has brought every change up to it). Every other entry is based on a version its record has
reached (a save's form was loaded at it; ``advance`` moves pending entries only to the record's version). The
journal has no index to find them by (only pending and parked entries are in one, and an acknowledged choice must
be found too), so ``meta`` keeps the seq of the first of them: a pull reads that one row, and the journal from it on
only while one is noted (rare, and until the pull passes its version).
"""

from __future__ import annotations

from typing import Any

from storage.repositories.sync_rows import KINDS

KEY = "chosen_ahead_since"

Key = tuple[str, str]
# op id -> (path, base version) of a record's choices made ahead of its pull
Ahead = dict[str, tuple[str, int]]


def note(connection: Any, op_id: str, record_version: int, base_version: int) -> None:
    """The entry ``op_id`` (just written, based on ``base_version``) is a choice ahead of its record's pull when
    its record is at ``record_version`` below that base: noted (the lowest seq of such entries kept)."""
    if base_version <= record_version:
        return
    connection.execute(
        "INSERT INTO meta (key, value) SELECT ?, CAST(seq AS TEXT) FROM journal WHERE op_id = ?"
        " ON CONFLICT (key) DO UPDATE SET"
        " value = CAST(min(CAST(meta.value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)",
        (KEY, op_id),
    )


def entries(connection: Any) -> dict[Key, Ahead]:
    """This laptop's entries still ahead of their record's pull (pending, parked in a conflict, or acknowledged by
    the server), by record; usually none, read in one lookup. The note moves on to the first still ahead, and goes
    once none is."""
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (KEY,)).fetchone()
    if row is None:
        return {}
    joins = " ".join(f"LEFT JOIN {kind.versions_table} AS v{n} ON j.record_type = '{name}' AND v{n}.id = j.record_id"
                     for n, (name, kind) in enumerate(KINDS.items()))
    versions = ", ".join(f"v{n}.version" for n in range(len(KINDS)))
    found: dict[Key, Ahead] = {}
    first: int | None = None
    for seq, op_id, record_type, record_id, path, base_version in connection.execute(
        f"SELECT j.seq, j.op_id, j.record_type, j.record_id, j.path, j.base_version FROM journal AS j {joins}"
        " WHERE j.seq >= ? AND j.state IN ('pending', 'acknowledged', 'conflict')"
        f" AND j.base_version > coalesce({versions}, 0) ORDER BY j.seq",
        (int(row[0]),),
    ).fetchall():
        first = seq if first is None else first
        found.setdefault((record_type, record_id), {})[op_id] = (path, int(base_version))
    if first is None:
        connection.execute("DELETE FROM meta WHERE key = ?", (KEY,))
    elif first != int(row[0]):
        connection.execute("UPDATE meta SET value = ? WHERE key = ?", (str(first), KEY))
    return found
