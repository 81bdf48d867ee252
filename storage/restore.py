"""Put a backup back in place of a damaged database: from the app (with the passphrase) or by IT.

    python -m storage.restore --profile DIR [--passphrase-stdin | --unchecked]

The app offers it when the database is damaged and restores the newest backup that passes both integrity checks.
The command is for IT or support, with the app closed: with the user's passphrase (asked, or one line on stdin) it
does the same; with ``--unchecked`` and no passphrase it cannot check anything, says so plainly and asks before it
restores the newest backup as it is.
The damaged database is kept beside it (``profile.db.damaged-<UTC time>``), never deleted; the key file is
untouched (backups use the same data key), so the usual passphrase opens the restored profile. Edits saved after
the backup was made are not in it: those already pushed come back with the next pull (the restored cursor is
older), which comes before the first push (``storage.restored_mark``: an edit typed since, of a field pushed after
the backup, becomes a conflict instead of overwriting it); the others are only in the kept file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage import restored_mark
from storage.backups import backup_made_at, is_sound, list_backups
from storage.database import saves_missing
from storage.errors import NoSoundBackup, ProfileNotDamaged, StorageError, WrongPassphrase
from storage.files import sync_directory, wipe_bytes
from storage.keyfile import unwrap_file
from storage.passphrase import asked_secret, piped_passphrase
from storage.profile import Profile, database_path, key_file_path, open_with_key, profile_exists
from storage.profile_lock import IN_USE, ProfileHeld, ProfileLock, in_use_message
from storage.save_counter import counter_path
from storage.throttle import UnlockThrottle

# What goes aside with the database: its WAL and shm.
_BESIDE = ("-wal", "-shm")


@dataclass(frozen=True)
class Restored:
    """What a restore did: which backup came back (its time) and where the damaged database was kept."""

    backup_made_at: datetime
    kept: Path


def restore_from_backup(directory: Path, passphrase: str) -> Restored:
    """Replace the database with the newest backup that passes both integrity checks (Argon2id: off the UI thread).

    The passphrase is checked like an unlock (wrong ones count towards the throttle); ``ProfileNotDamaged`` when
    the database passes the checks itself and ``NoSoundBackup`` when no backup does: then nothing is changed.
    """
    data_key = _data_key(directory, passphrase)
    try:
        return _restore_with_key(directory, data_key)
    finally:
        wipe_bytes(data_key)


def restore_and_open(directory: Path, passphrase: str) -> tuple[Restored, Profile]:
    """``restore_from_backup``, then the restored profile opened with the same key (one Argon2id, not two)."""
    data_key = _data_key(directory, passphrase)
    try:
        restored = _restore_with_key(directory, data_key)
    except BaseException:
        wipe_bytes(data_key)
        raise
    return restored, open_with_key(directory, data_key)  # the profile owns the key from here and wipes it


def _data_key(directory: Path, passphrase: str) -> bytearray:
    throttle = UnlockThrottle(directory)
    throttle.check()
    try:
        data_key = unwrap_file(key_file_path(directory), passphrase)
    except WrongPassphrase:
        throttle.record_failure()
        raise
    throttle.reset()
    return data_key


def _restore_with_key(directory: Path, data_key: bytearray) -> Restored:
    # Only a database that really fails the checks is replaced: a read-only or briefly unreadable file, or one
    # record that no longer validates, would otherwise cost every edit made since the backup.
    database = database_path(directory)
    if is_sound(database, data_key) and not saves_missing(database, data_key):
        raise ProfileNotDamaged()
    sound = next((b for b in reversed(list_backups(directory)) if is_sound(b, data_key)), None)
    if sound is None:
        raise NoSoundBackup()
    return Restored(backup_made_at(sound), _put_back(directory, sound))


def restore_latest_backup(directory: Path) -> Path:
    """Replace the database with a copy of the newest backup; returns where the old database was moved."""
    backups = list_backups(directory)
    if not backups:
        raise FileNotFoundError("the profile has no backup")
    return _put_back(directory, backups[-1])


def _put_back(directory: Path, backup: Path) -> Path:
    """Copy ``backup`` in as the database, keeping the previous database (and its WAL) beside it; never deletes."""
    database = database_path(directory)
    kept = _unused_name(database)
    staged = database.with_name(f".{database.name}.restoring")
    shutil.copyfile(backup, staged)
    os.chmod(staged, 0o600)
    with open(staged, "rb") as handle:
        os.fsync(handle.fileno())
    if database.exists():
        os.replace(database, kept)
    for suffix in _BESIDE:
        side = Path(f"{database}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{kept}{suffix}"))
    # The count of saves belongs to the file set aside; left in place it would call the restored file damaged.
    counter_path(database).unlink(missing_ok=True)
    restored_mark.put(database)  # before the file is in place: its first sync pulls before it pushes
    os.replace(staged, database)
    sync_directory(directory)
    return kept


def _unused_name(database: Path) -> Path:
    """Where to keep the damaged database: a name no earlier restore used (a kept file is never replaced)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    kept = database.with_name(f"{database.name}.damaged-{stamp}")
    counter = 1
    while any(Path(f"{kept}{suffix}").exists() for suffix in ("", *_BESIDE)):
        kept = database.with_name(f"{database.name}.damaged-{stamp}-{counter}")
        counter += 1
    return kept


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    # Its docstring's first line; None under -OO (docstrings dropped), where the usage still prints.
    summary = (__doc__ or "").partition("\n")[0] or None
    parser = argparse.ArgumentParser(prog="python -m storage.restore", description=summary)
    parser.add_argument("--profile", type=Path, required=True, help="the profile folder (app closed)")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--passphrase-stdin", action="store_true", help="read the user's passphrase from stdin")
    how.add_argument("--unchecked", action="store_true",
                     help="no passphrase: restore the newest backup without checking it (asks first)")
    arguments = parser.parse_args(argv)
    if not profile_exists(arguments.profile):
        print("No profile in that folder.", file=sys.stderr)
        return 2
    try:
        with ProfileLock(arguments.profile):  # taken before any question: the app must not have the profile open
            if arguments.unchecked:
                return _restore_unchecked(arguments.profile)
            passphrase = (piped_passphrase() if arguments.passphrase_stdin
                          else asked_secret("The user's passphrase: "))
            restored = restore_from_backup(arguments.profile, passphrase)
    except ProfileHeld:
        print(in_use_message("Nothing was restored"), file=sys.stderr)
        return IN_USE
    except ProfileNotDamaged:  # its message says it already: not "Nothing was restored: ...; nothing was restored."
        print("Nothing was restored: the database is intact (it passes both integrity checks).", file=sys.stderr)
        return 2
    except StorageError as error:
        print(f"Nothing was restored: {error}.", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"Restore failed: {type(error).__name__}: {error.strerror or error}", file=sys.stderr)
        return 2
    made = f"{restored.backup_made_at:%Y-%m-%d %H:%M} UTC"
    print(f"Restored the newest backup that passes both integrity checks (made {made}); the previous database is "
          f"kept as {restored.kept.name}.")
    return 0


def _restore_unchecked(directory: Path) -> int:
    backups = list_backups(directory)
    if not backups:
        raise FileNotFoundError("the profile has no backup")
    print(f"Without the passphrase the backups can NOT be checked. This puts the newest backup (made "
          f"{backup_made_at(backups[-1]):%Y-%m-%d %H:%M} UTC) in place as it is; it may be damaged too. With the "
          "user's passphrase, run without --unchecked to restore the newest backup that passes the checks.")
    print("Restore it unchecked? Type yes: ", end="", flush=True)
    if sys.stdin.readline().strip().lower() != "yes":
        print("Nothing was restored.")
        return 1
    kept = restore_latest_backup(directory)
    print(f"Restored the newest backup, unchecked; the previous database is kept as {kept.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
