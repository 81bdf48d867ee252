"""Backups are checked before they enter the rotation, so damage never rotates the sound ones away."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from storage_support import PASSPHRASE, flip_byte, snapshot

from storage.backups import MIN_INTERVAL_SECONDS, backup_directory, is_sound, list_backups
from storage.errors import ProfileDamaged
from storage.keyfile import read_key_file, unwrap
from storage.profile import Profile, database_path, key_file_path, unlock_profile
from storage.restore import restore_from_backup

REPO = Path(__file__).resolve().parents[2]
PAGE = 4096


def _make_backup_due(directory: Path) -> None:
    for backup in list_backups(directory):
        stamp = backup.stat().st_mtime - MIN_INTERVAL_SECONDS - 10
        os.utime(backup, (stamp, stamp))


@pytest.fixture
def damaged_profile(profile: Profile, profile_dir: Path, demo) -> tuple[Path, object]:
    """A profile with one sound backup, then a damaged page late in the file (one unlock does not read it)."""
    people, cases = demo
    big = cases[0]
    big.origin_note = "Ett långt fält. " * 2000  # overflow pages at the end of the file
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.cases.save(big)
    assert profile.backup_now() is not None
    profile.lock()
    database = database_path(profile_dir)
    flip_byte(database, database.stat().st_size - PAGE * 2 + 100)
    return profile_dir, big


def _key(directory: Path) -> bytearray:
    return unwrap(read_key_file(key_file_path(directory)), PASSPHRASE)


def test_three_backup_due_unlocks_of_a_damaged_profile_leave_a_sound_backup(damaged_profile) -> None:  # type: ignore[no-untyped-def]
    directory, big = damaged_profile
    for _ in range(3):
        _make_backup_due(directory)
        with pytest.raises(ProfileDamaged) as caught:  # the copy fails its check: the database is damaged
            unlock_profile(directory, PASSPHRASE).lock()
        assert caught.value.path == database_path(directory)
    backups = list_backups(directory)
    assert backups and all(is_sound(b, _key(directory)) for b in backups)
    assert sorted(p.name for p in backup_directory(directory).iterdir()) == [b.name for b in backups]  # no partials
    restore_from_backup(directory, PASSPHRASE)
    restored = unlock_profile(directory, PASSPHRASE)
    try:
        restored.check_integrity()
        assert restored.cases.load(big.id) == big
    finally:
        restored.lock()


def test_a_sound_backup_leaves_no_partial_file(profile: Profile, profile_dir: Path, demo) -> None:
    profile.people.save_many(demo[0])
    profile.cases.save_many(demo[1])
    for _ in range(4):
        profile.backup_now()
    names = [b.name for b in list_backups(profile_dir)]
    assert sorted(p.name for p in backup_directory(profile_dir).iterdir()) == names


def _restore_command(directory: Path, *options: str, answer: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storage.restore", "--profile", str(directory), *options],
                          input=answer, capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


def test_the_command_line_restore_checks_the_backups_with_the_passphrase(damaged_profile) -> None:  # type: ignore[no-untyped-def]
    directory, big = damaged_profile
    [sound] = list_backups(directory)
    # A newer backup that is damaged itself (copied from an older program, or bit rot): it must be passed over.
    newer = sound.with_name("backup-29991231T000000000000Z.db")
    newer.write_bytes(sound.read_bytes())
    flip_byte(newer, PAGE + 100)
    result = _restore_command(directory, "--passphrase-stdin", answer=PASSPHRASE + "\n")
    assert result.returncode == 0, result.stderr
    assert "passes both integrity checks" in result.stdout
    restored = unlock_profile(directory, PASSPHRASE)
    try:
        restored.check_integrity()
        assert restored.cases.load(big.id) == big
    finally:
        restored.lock()


def test_the_command_line_takes_a_passphrase_piped_with_windows_line_endings(damaged_profile) -> None:  # type: ignore[no-untyped-def]
    # The "\r" stayed on the passphrase: "Nothing was restored: wrong passphrase" for the right one.
    directory, big = damaged_profile
    result = _restore_command(directory, "--passphrase-stdin", answer=PASSPHRASE + "\r\n")
    assert result.returncode == 0, result.stderr
    restored = unlock_profile(directory, PASSPHRASE)
    try:
        assert restored.cases.load(big.id) == big
    finally:
        restored.lock()
    again = _restore_command(directory, "--passphrase-stdin", answer=PASSPHRASE + "\n")  # intact now
    assert again.returncode == 2
    assert again.stderr == "Nothing was restored: the database is intact (it passes both integrity checks).\n"


def test_the_command_line_says_plainly_when_it_restores_unchecked_and_asks(damaged_profile) -> None:  # type: ignore[no-untyped-def]
    directory, _big = damaged_profile
    before = snapshot(directory)
    declined = _restore_command(directory, "--unchecked", answer="n\n")
    assert declined.returncode == 1 and "can NOT be checked" in declined.stdout
    assert snapshot(directory) == before
    accepted = _restore_command(directory, "--unchecked", answer="yes\n")
    assert accepted.returncode == 0, accepted.stderr
    assert len(list(directory.glob("profile.db.damaged-*"))) == 1


def test_a_backup_of_a_profile_damaged_while_open_is_the_typed_error_and_leaves_nothing(  # type: ignore[no-untyped-def]
    profile: Profile, profile_dir: Path, demo
) -> None:
    profile.people.save_many(demo[0])
    profile.cases.save_many(demo[1])
    sound = profile.backup_now()
    profile.lock()
    opened = unlock_profile(profile_dir, PASSPHRASE)  # everything is in the database file now, not the WAL
    try:
        database = database_path(profile_dir)
        for offset in range(PAGE + 100, database.stat().st_size, PAGE):  # a failing disk under the running app
            flip_byte(database, offset)
        with opened._db.reading() as connection:
            connection.execute("PRAGMA shrink_memory")  # the intact pages SQLite still held are dropped
        with pytest.raises(ProfileDamaged) as caught:  # was sqlcipher's DatabaseError from the malformed copy
            opened.backup_now()
        assert caught.value.path == database
    finally:
        opened.lock()
    assert list(backup_directory(profile_dir).iterdir()) == [sound]

