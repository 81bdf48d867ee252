"""The WAL: nothing acknowledged depends on it after a lock, and a damaged WAL after a crash is reported as damage
(with the restore offered) instead of silently dropping the saves it held."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY, flip_byte, snapshot

from ibic.demo import demo_cases
from storage.errors import ProfileDamaged
from storage.profile import create_profile, database_path, unlock_profile
from storage.restore import restore_from_backup

REPO = Path(__file__).resolve().parents[2]
SAVES = 12
WAL_HEADER = 32
FRAME_HEADER = 24

CHILD = """
import sys, time
from pathlib import Path
from storage.profile import unlock_profile

directory, passphrase, case_id, saves = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
profile = unlock_profile(directory, passphrase)
case = profile.cases.load(case_id)
for counter in range(1, saves + 1):
    case.origin_note = f"sparad {counter}"
    profile.cases.save(case)
    print(counter, flush=True)
print("done", flush=True)
time.sleep(600)  # killed here: the session never locks
"""


@pytest.fixture
def killed_mid_session(profile_dir: Path) -> tuple[Path, str]:
    """A profile (with a backup) whose child process made 12 acknowledged saves and was SIGKILLed."""
    people, cases = demo_cases(TODAY)
    case = cases[0]
    profile = create_profile(profile_dir, PASSPHRASE, user_id="u1", device_id="d1", kdf=CHEAP_KDF)
    profile.people.save(people[0])
    profile.cases.save(case)
    profile.backup_now()
    profile.lock()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(profile_dir), PASSPHRASE, case.id, str(SAVES)],
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
                             cwd=REPO)
    assert child.stdout is not None
    lines = [child.stdout.readline().strip() for _ in range(SAVES + 1)]
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert lines[-1] == "done" and lines[:-1] == [str(n) for n in range(1, SAVES + 1)]
    wal = Path(f"{database_path(profile_dir)}-wal")
    assert wal.stat().st_size > WAL_HEADER  # the saves are in the WAL only
    return profile_dir, case.id


def _files(directory: Path) -> dict[str, bytes]:
    """The profile's files but the shm, SQLite's rebuildable index of the WAL (recovery rewrites it)."""
    return {name: data for name, data in snapshot(directory).items() if not name.endswith("-shm")}


@pytest.mark.parametrize("offset", [0, 12, 24, WAL_HEADER + 4, WAL_HEADER + FRAME_HEADER + 100],
                         ids=["magic", "checkpoint sequence", "salt", "first frame header", "first frame page"])
def test_a_damaged_wal_after_a_crash_is_damage_never_a_silent_loss(killed_mid_session, offset: int) -> None:  # type: ignore[no-untyped-def]
    directory, case_id = killed_mid_session
    flip_byte(Path(f"{database_path(directory)}-wal"), offset)
    before = _files(directory)
    try:
        opened = unlock_profile(directory, PASSPHRASE)
    except ProfileDamaged as error:
        assert error.path == database_path(directory)
        assert _files(directory) == before  # the damaged WAL is left as found, for the restore to keep
    else:
        try:  # only acceptable if nothing acknowledged was lost
            assert opened.cases.load(case_id).origin_note == f"sparad {SAVES}"
        finally:
            opened.lock()
        return
    # The restore treats it as damaged (it passes both integrity checks) and keeps the WAL beside the old file.
    restored = restore_from_backup(directory, PASSPHRASE)
    assert Path(f"{restored.kept}-wal").read_bytes() == before["profile.db-wal"]
    unlock_profile(directory, PASSPHRASE).lock()  # the restored file is not called damaged in turn


def test_an_intact_wal_after_a_crash_loses_nothing(killed_mid_session) -> None:  # type: ignore[no-untyped-def]
    directory, case_id = killed_mid_session
    opened = unlock_profile(directory, PASSPHRASE)
    try:
        assert opened.cases.load(case_id).origin_note == f"sparad {SAVES}"
    finally:
        opened.lock()


def test_after_a_lock_no_save_depends_on_the_wal(profile_dir: Path) -> None:
    people, cases = demo_cases(TODAY)
    profile = create_profile(profile_dir, PASSPHRASE, user_id="u1", device_id="d1", kdf=CHEAP_KDF)
    profile.people.save(people[0])
    profile.cases.save(cases[0])
    profile.lock()
    wal = Path(f"{database_path(profile_dir)}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    opened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        assert opened.cases.load(cases[0].id) == cases[0]
    finally:
        opened.lock()
