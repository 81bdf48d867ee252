"""For IT or support: put the newest backup back in place of a damaged database.

    python -m storage.restore --profile DIR

Run with the app closed. The damaged database is kept beside it (``profile.db.damaged-<UTC time>``), never deleted;
the key file is untouched (backups use the same data key), so the usual passphrase opens the restored profile.
Edits saved after the backup was made are not in it: those already pushed come back with the next pull (the
restored cursor is older); the others are only in the kept file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from storage.backups import list_backups
from storage.files import sync_directory
from storage.profile import database_path, profile_exists


def restore_latest_backup(directory: Path) -> Path:
    """Replace the database with a copy of the newest backup; returns where the old database was moved."""
    backups = list_backups(directory)
    if not backups:
        raise FileNotFoundError("the profile has no backup")
    database = database_path(directory)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = database.with_name(f"{database.name}.damaged-{stamp}")
    staged = database.with_name(f".{database.name}.restoring")
    shutil.copyfile(backups[-1], staged)
    os.chmod(staged, 0o600)
    with open(staged, "rb") as handle:
        os.fsync(handle.fileno())
    if database.exists():
        os.replace(database, kept)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{database}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{kept}{suffix}"))
    os.replace(staged, database)
    sync_directory(directory)
    return kept


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m storage.restore", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", type=Path, required=True, help="the profile folder (app closed)")
    arguments = parser.parse_args(argv)
    if not profile_exists(arguments.profile):
        print("No profile in that folder.", file=sys.stderr)
        return 2
    try:
        kept = restore_latest_backup(arguments.profile)
    except OSError as error:
        print(f"Restore failed: {type(error).__name__}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"Restored the newest backup; the previous database is kept as {kept.name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
