"""Schema migrations: forward only, one transaction each, version checked at open, backup before migrating."""

from __future__ import annotations

from pathlib import Path

import pytest
from storage_support import PASSPHRASE, snapshot

from storage.backups import list_backups
from storage.database import connect
from storage.errors import SchemaTooNew
from storage.keyfile import read_key_file, unwrap
from storage.migrate import Migration, bundled_migrations, check_sequence, supported_version
from storage.profile import Profile, database_path, key_file_path, open_with_key, unlock_profile


def _data_key(directory: Path) -> bytearray:
    return unwrap(read_key_file(key_file_path(directory)), PASSPHRASE)


def _user_version(directory: Path) -> int:
    connection = connect(database_path(directory), _data_key(directory))
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


def test_a_new_profile_is_at_the_newest_schema(profile: Profile, profile_dir: Path) -> None:
    profile.lock()
    assert _user_version(profile_dir) == supported_version() == bundled_migrations()[-1].version


def test_bundled_migrations_are_numbered_without_gaps() -> None:
    migrations = bundled_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert all(m.name.startswith(f"{m.version:04d}_") for m in migrations)


def test_a_gap_in_the_sequence_is_refused() -> None:
    with pytest.raises(RuntimeError):
        check_sequence([Migration(1, "0001_a.sql", ""), Migration(3, "0003_c.sql", "")])


def test_a_database_from_a_newer_program_is_refused_and_left_unchanged(profile: Profile, profile_dir: Path) -> None:
    profile.lock()
    newer = supported_version() + 1
    connection = connect(database_path(profile_dir), _data_key(profile_dir))
    connection.execute(f"PRAGMA user_version = {newer}")
    connection.close()
    before = snapshot(profile_dir)
    with pytest.raises(SchemaTooNew) as caught:
        unlock_profile(profile_dir, PASSPHRASE)
    assert (caught.value.found, caught.value.supported) == (newer, supported_version())
    after = snapshot(profile_dir)
    assert {k: v for k, v in after.items() if not k.endswith("-shm")} == {
        k: v for k, v in before.items() if not k.endswith("-shm")
    }


def test_a_new_migration_runs_after_a_backup_and_keeps_the_data(profile: Profile, profile_dir: Path, demo) -> None:
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save(cases[0])
    profile.lock()
    for old in list_backups(profile_dir):
        old.unlink()
    shipped = supported_version()
    second = Migration(shipped + 1, f"{shipped + 1:04d}_case_flag.sql",
                       "ALTER TABLE cases ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;")
    migrated = open_with_key(profile_dir, _data_key(profile_dir), migrations=[*bundled_migrations(), second])
    try:
        assert migrated.cases.load(cases[0].id) == cases[0]
        with migrated._db.reading() as connection:
            assert connection.execute("PRAGMA user_version").fetchone()[0] == shipped + 1
            assert connection.execute("SELECT flagged FROM cases").fetchall() == [(0,)]
    finally:
        migrated.lock()
    assert len(list_backups(profile_dir)) == 1


def test_a_failing_migration_leaves_the_previous_version_intact(profile: Profile, profile_dir: Path, demo) -> None:
    profile.cases.save(demo[1][0])
    profile.lock()
    shipped = supported_version()
    broken = Migration(shipped + 1, f"{shipped + 1:04d}_broken.sql",
                       "CREATE TABLE half_done (a);\nINSERT INTO no_such_table VALUES (1);")
    with pytest.raises(Exception, match="no_such_table"):
        open_with_key(profile_dir, _data_key(profile_dir), migrations=[*bundled_migrations(), broken])
    assert _user_version(profile_dir) == shipped
    reopened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        with reopened._db.reading() as connection:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "half_done" not in tables
        assert reopened.cases.load(demo[1][0].id) == demo[1][0]
    finally:
        reopened.lock()
