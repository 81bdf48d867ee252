"""Rolling encrypted backups: SQLite's online backup into ``backups/``, under the same data key."""

from __future__ import annotations

import contextlib
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from storage.database import Database, connect, inspect, translate
from storage.errors import ProfileDamaged
from storage.files import sync_directory

DIRECTORY_NAME = "backups"
KEEP = 3
# One backup per working day is enough to never lose more than a day; copying every unlock would slow unlock.
MIN_INTERVAL_SECONDS = 12 * 3600
STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


def backup_directory(profile_directory: Path) -> Path:
    """Where the backups of a profile live."""
    return profile_directory / DIRECTORY_NAME


def list_backups(profile_directory: Path) -> list[Path]:
    """Backups, oldest first (names sort by time)."""
    directory = backup_directory(profile_directory)
    if not directory.exists():
        return []
    return sorted(p for p in directory.glob("backup-*.db") if p.is_file())


def backup_made_at(backup: Path) -> datetime:
    """When a backup was written (its name holds the UTC time; the file's time may change when it is copied)."""
    stamp = backup.stem.removeprefix("backup-")
    return datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)


def backup_due(profile_directory: Path, now: float | None = None) -> bool:
    """True when the newest backup is older than ``MIN_INTERVAL_SECONDS`` (or there is none)."""
    existing = list_backups(profile_directory)
    if not existing:
        return True
    return (now or time.time()) - existing[-1].stat().st_mtime >= MIN_INTERVAL_SECONDS


def make_backup(database: Database, profile_directory: Path) -> Path:
    """Copy the open database into a new backup file (same key), check the copy, then keep only the newest ``KEEP``.

    A copy that fails either integrity check never enters the rotation (``ProfileDamaged`` naming the database:
    the source is what is damaged), so damage cannot rotate the sound backups away; the new backup, checked, is
    the newest sound one, and rotation only ever deletes older ones.
    """
    directory = backup_directory(profile_directory)
    directory.mkdir(mode=0o700, exist_ok=True)
    _remove_partials(directory, "*")  # from a backup cut short by a crash: encrypted, but useless
    stamp = datetime.now(UTC).strftime(STAMP_FORMAT)
    final = directory / f"backup-{stamp}.db"
    partial = directory / f".partial-{stamp}.db"
    try:
        _copy(database, partial)
        if not is_sound(partial, database.key):
            raise ProfileDamaged(database.path, "failing the integrity checks when copied for a backup")
        os.chmod(partial, 0o600)
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
    finally:
        _remove_partials(directory, stamp)  # the copy's journal or WAL, or the copy itself after a failure
    sync_directory(directory)
    for old in list_backups(profile_directory)[:-KEEP]:
        with contextlib.suppress(OSError):
            old.unlink()
    return final


def _copy(database: Database, partial: Path) -> None:
    target = connect(partial, database.key)
    try:
        with database.reading() as connection:
            connection.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
    except sqlcipher.Error as error:
        typed = translate(error, partial)
        if isinstance(typed, ProfileDamaged):
            # SQLite's backup copies a page that failed its HMAC as it read it back (zeros) without an error; the
            # copy is then malformed. The damage is the database's.
            raise ProfileDamaged(database.path, "failing the integrity checks when copied for a backup") from None
        raise typed from error
    finally:
        target.close()


def _remove_partials(directory: Path, stamp: str) -> None:
    for leftover in directory.glob(f".partial-{stamp}.db*"):
        leftover.unlink(missing_ok=True)


def connection_is_sound(connection: Any) -> bool:
    """Every page authenticates (``cipher_integrity_check``) and SQLite finds the file consistent (reads it all)."""
    cipher_errors = connection.execute("PRAGMA cipher_integrity_check").fetchall()
    return not cipher_errors and connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def is_sound(path: Path, data_key: bytearray) -> bool:
    """``connection_is_sound`` for a file that is not open (a backup, a copy, a closed database)."""
    if not path.exists():
        return False
    connection = inspect(path, data_key)  # leaves a WAL as found
    try:
        return connection_is_sound(connection)
    except Exception:  # too damaged to read at all (not a database, cut short)
        return False
    finally:
        connection.close()
