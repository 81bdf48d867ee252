"""Profile files are 0600 and its folders 0700 whatever existed before; a lax umask or an existing folder that
others may read is tightened when the profile is created or opened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE

from storage.backups import backup_directory
from storage.profile import create_profile, unlock_profile


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _modes(directory: Path) -> dict[str, int]:
    found = {".": _mode(directory)}
    for path in directory.rglob("*"):
        found[str(path.relative_to(directory))] = _mode(path)
    return found


@pytest.fixture
def lax_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the usual desktop umask: new files 0644, folders 0755
    yield
    os.umask(previous)


def _owner_only(directory: Path) -> None:
    modes = _modes(directory)
    lax = {name: oct(mode) for name, mode in modes.items()
           if mode != (0o700 if (directory / name).is_dir() else 0o600)}
    assert not lax, lax


def test_a_profile_created_in_an_existing_open_folder_is_owner_only(tmp_path: Path, lax_umask: None) -> None:
    directory = tmp_path / "profile"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    profile = create_profile(directory, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF)
    try:
        profile.backup_now()
        assert Path(f"{directory}/profile.db-wal").exists()  # the open files count too
        _owner_only(directory)
    finally:
        profile.lock()
    _owner_only(directory)


def test_opening_tightens_modes_that_were_loosened(tmp_path: Path, lax_umask: None) -> None:
    directory = tmp_path / "profile"
    create_profile(directory, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF).lock()
    os.chmod(directory, 0o755)
    for path in directory.iterdir():
        if path.is_file():
            os.chmod(path, 0o644)
    backup_directory(directory).mkdir(mode=0o755, exist_ok=True)
    os.chmod(backup_directory(directory), 0o755)
    opened = unlock_profile(directory, PASSPHRASE)  # makes a backup too: no backup yet
    try:
        _owner_only(directory)
    finally:
        opened.lock()
    assert backup_directory(directory).is_dir() and any(backup_directory(directory).iterdir())
