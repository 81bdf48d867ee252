"""Rolling encrypted backups in the profile folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from storage_support import PASSPHRASE, flip_byte

from storage.backups import KEEP, MIN_INTERVAL_SECONDS, list_backups
from storage.database import connect
from storage.errors import ProfileDamaged
from storage.keyfile import read_key_file, unwrap
from storage.profile import Profile, key_file_path, unlock_profile

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
    result = subprocess.run([sys.executable, "-m", "storage.restore", "--profile", str(profile_dir)],
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
