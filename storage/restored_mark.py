"""The mark a restore leaves beside the database, so the restored profile's first sync pulls before it pushes.

A backup's records are older than what this laptop pushed after it. The server never holds a device's own later
versions against it (its own later edits of a field are not conflicts with itself), so an edit typed after the
restore, based on the backup's version, was applied over the text this laptop had synced after the backup, and
that text was gone without a word. Pulled first, the synced text is no longer this device's own op (its journal
entry went with the damaged file): it meets the edit typed since (pending, older base) and becomes a conflict the
handläggare settles (``SyncState.apply_remote``); only then is anything pushed over it.

A file, not a row: the unchecked restore (``python -m storage.restore --unchecked``) has no key to write into the
database. It holds no personal data. Written before the restored file takes the database's place, so a restore
that happened always leaves it (a crash before leaves a mark without a restore: one sync pulls first, harmless);
deleted once a sync has pulled everything the server had for this laptop.

The backup's audit head (the restored chain's last seq, J) is recorded at the first open after the restore, before
the profile records anything (``storage.profile.open_with_key``; the unchecked restore has no key to read it
earlier), in the database's ``meta`` under the restore's own id, which the mark holds (``restore_id``): one write
with the profile's others, so J is there whenever anything was recorded after it. (s27 wrote it into the mark,
``audit_head``; a mark that could not be replaced then, a scanner holding it on Windows, left no J, and the next
open took the head of that moment for it: the entries written in between were never uploaded, s28-rrestore.) The
server holds this device's chain up to K, often past J (the entries made after the backup went with the damaged
file): the first sync continues the entries written after J onto the server's head
(``storage.audit.AuditLog.continue_after_restore``, ``sync.client.audit``) instead of sending seqs the server
holds or a chain it refuses.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SUFFIX = "-restored"
_FIRST_LINE = b"restored: the next sync pulls before it pushes\n"
_AUDIT_HEAD = "audit_head_seq "
_RESTORE_ID = "restore "


def mark_path(database: Path) -> Path:
    """The file beside ``database`` that says it was restored and has not pulled since."""
    return Path(f"{database}{SUFFIX}")


def put(database: Path) -> None:
    """Leave the mark with a new restore id (fsynced; the caller syncs the folder with the restore's own renames)."""
    _write(mark_path(database), _FIRST_LINE + f"{_RESTORE_ID}{secrets.token_hex(16)}\n".encode("ascii"))


def _write(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def restore_id(database: Path) -> str | None:
    """The id of the restore that left the mark ("" for a mark of s27, which had none); None without a mark."""
    lines = _lines(database)
    if lines is None:
        return None
    return next((line[len(_RESTORE_ID):] for line in lines if line.startswith(_RESTORE_ID)), "")


def audit_head(database: Path) -> int | None:
    """The restored chain's last seq as a mark of s27 kept it (None for a newer mark, which leaves it to the
    database's ``meta``, or before it was recorded, or without a mark)."""
    for line in _lines(database) or ():
        if line.startswith(_AUDIT_HEAD) and line[len(_AUDIT_HEAD):].isdigit():
            return int(line[len(_AUDIT_HEAD):])
    return None


def _lines(database: Path) -> list[str] | None:
    try:
        return mark_path(database).read_text(encoding="ascii", errors="replace").splitlines()
    except FileNotFoundError:
        return None


def files(database: Path) -> tuple[Path, Path]:
    """The mark and the new mark s27's first open may have left half written: what a wipe deletes."""
    return mark_path(database), Path(f"{mark_path(database)}.new")


def is_put(database: Path) -> bool:
    """True while the restored database has not pulled since its restore."""
    return mark_path(database).exists()


def remove(database: Path) -> None:
    """The pull after the restore is done: syncs push first again."""
    mark_path(database).unlink(missing_ok=True)
