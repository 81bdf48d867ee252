"""Rolling encrypted backups in the profile folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from storage_support import PASSPHRASE

from storage.backups import KEEP, MIN_INTERVAL_SECONDS, list_backups
from storage.database import connect
from storage.keyfile import read_key_file, unwrap
from storage.profile import Profile, key_file_path, unlock_profile


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
