"""Rolling encrypted backups in the profile folder."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from storage_support import PASSPHRASE, flip_byte, snapshot

from storage.backups import KEEP, MIN_INTERVAL_SECONDS, backup_made_at, list_backups
from storage.database import connect
from storage.errors import NoSoundBackup, ProfileDamaged, ProfileNotDamaged, WrongPassphrase
from storage.keyfile import read_key_file, unwrap
from storage.profile import Profile, key_file_path, unlock_profile
from storage.restore import restore_from_backup
from storage.throttle import FILE_NAME as THROTTLE_FILE_NAME

REPO = Path(__file__).resolve().parents[2]


def test_a_backup_holds_the_data_under_the_same_key(profile: Profile, profile_dir: Path, demo) -> None:
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save(cases[0])
    path = profile.backup_now()
    assert path is not None and path.parent.name == "backups"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    key = unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE)
    connection = connect(path, key)
    try:
        assert connection.execute("SELECT id FROM cases").fetchall() == [(cases[0].id,)]
        assert connection.execute("PRAGMA cipher_integrity_check").fetchall() == []
    finally:
        connection.close()
    wrong = connect(path, bytearray(32))
    try:
        with pytest.raises(sqlcipher.DatabaseError):
            wrong.execute("SELECT count(*) FROM cases").fetchall()
    finally:
        wrong.close()


def test_only_the_newest_backups_are_kept(profile: Profile, profile_dir: Path) -> None:
    made = [profile.backup_now() for _ in range(KEEP + 2)]
    assert list_backups(profile_dir) == made[-KEEP:]


def test_unlock_backs_up_when_the_last_backup_is_old(profile: Profile, profile_dir: Path) -> None:
    profile.lock()
    first = unlock_profile(profile_dir, PASSPHRASE)
    first.lock()
    assert len(list_backups(profile_dir)) == 1
    unlock_profile(profile_dir, PASSPHRASE).lock()
    assert len(list_backups(profile_dir)) == 1  # a recent backup exists: unlock stays fast
    old = list_backups(profile_dir)[0]
    stamp = old.stat().st_mtime - MIN_INTERVAL_SECONDS - 10
    os.utime(old, (stamp, stamp))
    unlock_profile(profile_dir, PASSPHRASE).lock()
    assert len(list_backups(profile_dir)) == 2


def test_restoring_the_newest_backup_keeps_the_damaged_file(profile: Profile, profile_dir: Path, demo) -> None:
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save(cases[0])
    profile.backup_now()
    profile.lock()
    database = profile_dir / "profile.db"
    flip_byte(database, 4096 * 2 + 100)
    damaged = database.read_bytes()
    with pytest.raises(ProfileDamaged):
        opened = unlock_profile(profile_dir, PASSPHRASE)
        try:
            opened.check_integrity()
        finally:
            opened.lock()
    result = subprocess.run([sys.executable, "-m", "storage.restore", "--profile", str(profile_dir),
                             "--passphrase-stdin"], input=PASSPHRASE + "\n",
                            capture_output=True, text=True, cwd=REPO, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    [kept] = list(profile_dir.glob("profile.db.damaged-*"))
    assert kept.read_bytes() == damaged
    restored = unlock_profile(profile_dir, PASSPHRASE)
    try:
        restored.check_integrity()
        assert restored.cases.load(cases[0].id) == cases[0]
    finally:
        restored.lock()


def _two_backups_then_damage(profile: Profile, profile_dir: Path, demo) -> tuple[list, Path]:
    """An older backup with one case, a newer one with two, then a damaged page in the database."""
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save(cases[0])
    older = profile.backup_now()
    profile.cases.save(cases[1])
    newer = profile.backup_now()
    profile.lock()
    assert older is not None and newer is not None and older != newer
    flip_byte(profile_dir / "profile.db", 4096 * 2 + 100)
    return cases, newer


def test_the_app_restores_the_newest_sound_backup_with_the_passphrase(profile: Profile, profile_dir: Path,
                                                                     demo) -> None:
    cases, newer = _two_backups_then_damage(profile, profile_dir, demo)
    damaged = (profile_dir / "profile.db").read_bytes()
    restored = restore_from_backup(profile_dir, PASSPHRASE)
    assert restored.kept.read_bytes() == damaged and restored.kept.parent == profile_dir
    assert restored.backup_made_at == backup_made_at(newer)
    assert abs((datetime.now(UTC) - restored.backup_made_at).total_seconds()) < 600
    opened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        opened.check_integrity()
        assert [opened.cases.load(c.id) for c in cases[:2]] == cases[:2]
    finally:
        opened.lock()


def test_a_damaged_newest_backup_is_passed_over_for_an_older_sound_one(profile: Profile, profile_dir: Path,
                                                                      demo) -> None:
    cases, newer = _two_backups_then_damage(profile, profile_dir, demo)
    flip_byte(newer, 4096 + 100)
    restored = restore_from_backup(profile_dir, PASSPHRASE)
    assert restored.backup_made_at < backup_made_at(newer)
    opened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        assert opened.cases.load(cases[0].id) == cases[0]
        assert cases[1].id not in {s.case_id for s in opened.cases.list_summaries()}
    finally:
        opened.lock()


def test_no_sound_backup_or_a_wrong_passphrase_changes_nothing(profile: Profile, profile_dir: Path, demo) -> None:
    _cases, _newer = _two_backups_then_damage(profile, profile_dir, demo)
    for backup in list_backups(profile_dir):
        flip_byte(backup, 4096 + 100)
    before = snapshot(profile_dir)
    with pytest.raises(WrongPassphrase):
        restore_from_backup(profile_dir, "inte rätt lösenfras alls")
    after_wrong = snapshot(profile_dir)
    assert after_wrong.pop(THROTTLE_FILE_NAME) and after_wrong == before  # counted like a failed unlock, nothing else
    with pytest.raises(NoSoundBackup):
        restore_from_backup(profile_dir, PASSPHRASE)
    assert snapshot(profile_dir) == before  # the right passphrase clears the count; no file was replaced


def test_an_intact_database_is_never_replaced(profile: Profile, profile_dir: Path, demo) -> None:
    # Read-only files, a brief read error or one record that no longer validates are not damage: restoring would
    # cost every edit made since the backup.
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save(cases[0])
    profile.backup_now()
    profile.cases.save(cases[1])  # made after the backup
    profile.lock()
    before = snapshot(profile_dir)
    with pytest.raises(ProfileNotDamaged):
        restore_from_backup(profile_dir, PASSPHRASE)
    assert snapshot(profile_dir) == before


def test_a_kept_damaged_file_is_never_replaced_by_a_later_restore(profile: Profile, profile_dir: Path,
                                                                demo) -> None:
    _cases, _newer = _two_backups_then_damage(profile, profile_dir, demo)
    first = restore_from_backup(profile_dir, PASSPHRASE).kept
    first_bytes = first.read_bytes()
    flip_byte(profile_dir / "profile.db", 4096 * 2 + 100)
    second = restore_from_backup(profile_dir, PASSPHRASE).kept
    assert second != first and first.read_bytes() == first_bytes
