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

The same first sync continues the restored profile's audit chain on the server's (``sync.client.audit``): where the
two chains part is asked of the server, not kept here (s27 wrote the backup's head into this file at the first open
after the restore; a mark that could not be replaced then, or a second restore of a backup made before the first's
sync, left a head past the parting, and the entries between never reached the server, s28-rrestore). A mark of s27
holding that line is read as any mark.
"""

from __future__ import annotations

import os
from pathlib import Path

SUFFIX = "-restored"
_FIRST_LINE = b"restored: the next sync pulls before it pushes\n"


def mark_path(database: Path) -> Path:
    """The file beside ``database`` that says it was restored and has not pulled since."""
    return Path(f"{database}{SUFFIX}")


def put(database: Path) -> None:
    """Leave the mark (fsynced; the caller syncs the folder with the restore's own renames)."""
    _write(mark_path(database), _FIRST_LINE)


def _write(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def files(database: Path) -> tuple[Path, Path]:
    """The mark and the new mark s27's first open may have left half written: what a wipe deletes."""
    return mark_path(database), Path(f"{mark_path(database)}.new")


def is_put(database: Path) -> bool:
    """True while the restored database has not pulled since its restore."""
    return mark_path(database).exists()


def remove(database: Path) -> None:
    """The pull after the restore is done: syncs push first again."""
    mark_path(database).unlink(missing_ok=True)
