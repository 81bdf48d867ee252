"""The kept list (``storage.kept_list``): read back while nothing was written after it, never once anything was, by
this store, another store of the file or another copy of the program."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from storage_support import PASSPHRASE, TODAY

from storage.database import connect
from storage.keyfile import read_key_file, unwrap
from storage.layout import database_path, key_file_path
from storage.profile import Profile, unlock_profile
from storage.sync_state import PushOutcome, RemoteChange

DAY = TODAY.isoformat()


@pytest.fixture
def filled(profile: Profile, demo: Any) -> Profile:
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    case = profile.cases.load(cases[0].id)
    profile.cases.save(case.model_copy(update={"case_number": "WAITING-1"}))  # a change waiting to be pushed
    return profile


def _listing(profile: Profile) -> bytes:
    """A value that depends on the listed rows (what the window keeps is its rows' encoding)."""
    return repr(profile.cases.list_summaries(refresh=False)).encode()


def _save_case(profile: Profile) -> None:
    case = profile.cases.load(profile.cases.list_summaries(refresh=False)[0].case_id)
    profile.cases.save(case.model_copy(update={"case_number": "KEPT-1"}))


def _save_person(profile: Profile) -> None:
    person = profile.people.load(profile.cases.list_summaries(refresh=False)[0].person_id)
    profile.people.save(person.model_copy(update={"given_name": "Annat"}))


def _pull(profile: Profile) -> None:
    """A pulled change of a listed case (``SyncState.apply_remote``), as a sync writes it."""
    summary = profile.cases.list_summaries(refresh=False)[0]
    profile.sync.apply_remote([RemoteChange("case", summary.case_id, "/case_number", "set", "PULLED-1", 2, 1,
                                            uuid.uuid4().hex)], new_cursor=1)


def _push_outcome(profile: Profile) -> None:
    """A push answered (``SyncState.record_push_outcomes``): the case's changes are no longer waiting."""
    entry = profile.journal.pending()[0]
    profile.sync.record_push_outcomes([PushOutcome(entry.op_id, "applied", new_version=1)])


def _withdraw(profile: Profile) -> None:
    profile.withdrawals.withdraw([profile.cases.list_summaries(refresh=False)[-1].case_id])


WRITERS: dict[str, Callable[[Profile], object]] = {
    "case saved": _save_case,
    "person saved": _save_person,
    "case withdrawn": _withdraw,
    "change pulled": _pull,
    "push answered": _push_outcome,
    "deadlines of the next day": lambda p: p.cases.refresh_deadlines(TODAY + timedelta(days=1)),
    "audit entry": lambda p: p.audit.record("view"),
    "secret stored": lambda p: p.secrets.put("token", "x"),
}


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_kept_value_is_read_back_until_anything_is_written(filled: Profile, writer: str) -> None:
    assert filled.kept_list.read(DAY, "c") is None  # nothing kept yet
    assert filled.kept_list.keep(lambda: _listing(filled), DAY, "c")
    assert filled.kept_list.read(DAY, "c") == _listing(filled)
    WRITERS[writer](filled)
    assert filled.kept_list.read(DAY, "c") is None
    assert filled.kept_list.keep(lambda: _listing(filled), DAY, "c")  # kept anew: current again
    assert filled.kept_list.read(DAY, "c") == _listing(filled)


def test_a_current_kept_value_is_not_written_again(filled: Profile) -> None:
    built: list[int] = []
    assert filled.kept_list.keep(lambda: built.append(1) or b"v", DAY, "c")
    before = filled._db.count_at_commit()
    assert not filled.kept_list.keep(lambda: built.append(1) or b"w", DAY, "c")
    assert built == [1]
    assert filled._db.count_at_commit() == before  # nothing committed
    assert filled.kept_list.read(DAY, "c") == b"v"


def test_another_day_context_or_schema_reads_nothing(filled: Profile, profile_dir: Path) -> None:
    assert filled.kept_list.keep(lambda: b"v", DAY, "c")
    assert filled.kept_list.read((TODAY + timedelta(days=1)).isoformat(), "c") is None
    assert filled.kept_list.read(DAY, "another language") is None
    filled.close()
    key = unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE)
    connection = connect(database_path(profile_dir), key)  # raw: the count stays as it is
    connection.execute("UPDATE kept_list SET schema = schema - 1")  # kept by the program before a migration
    connection.close()
    reopened = unlock_profile(profile_dir, PASSPHRASE, backup=False)
    try:
        assert reopened.kept_list.read(DAY, "c") is None
    finally:
        reopened.close()


def test_a_save_by_another_store_of_the_file_open_before_the_value_was_kept_makes_it_stale(
    filled: Profile, profile_dir: Path
) -> None:
    """A lock's store still closing behind a sync step while the next unlock opened the file: either may keep, and a
    save by the other after it (counted from the file, not from what it read at its open) makes the value stale."""
    second = unlock_profile(profile_dir, PASSPHRASE, backup=False)
    try:
        assert filled.kept_list.keep(lambda: _listing(filled), DAY, "c")
        assert second.kept_list.read(DAY, "c") == _listing(filled)
        _save_case(second)
        assert filled.kept_list.read(DAY, "c") is None
        assert second.kept_list.read(DAY, "c") is None
        assert second.kept_list.keep(lambda: _listing(second), DAY, "c")
        _save_person(filled)
        assert second.kept_list.read(DAY, "c") is None
    finally:
        second.close()
    assert filled.kept_list.keep(lambda: _listing(filled), DAY, "c")
    assert filled.kept_list.read(DAY, "c") == _listing(filled)


def test_a_restored_backup_carries_a_kept_value_only_as_current_as_it_was(filled: Profile, profile_dir: Path) -> None:
    """A backup copies the kept value with the data it was built from: put back, it is read while it matches that
    data, and a backup taken after a later change carries a stale one."""
    from storage.restore import restore_latest_backup

    assert filled.kept_list.keep(lambda: _listing(filled), DAY, "c")
    assert filled.backup_now() is not None  # taken while the value is current
    kept = _listing(filled)
    _save_case(filled)
    filled.close()
    restore_latest_backup(profile_dir)
    restored = unlock_profile(profile_dir, PASSPHRASE, backup=False)
    try:
        assert restored.kept_list.read(DAY, "c") == kept == _listing(restored)
        _save_person(restored)
        assert restored.backup_now() is not None  # taken after a change: its value is stale
    finally:
        restored.close()
    restore_latest_backup(profile_dir)
    again = unlock_profile(profile_dir, PASSPHRASE, backup=False)
    try:
        assert again.kept_list.read(DAY, "c") is None
    finally:
        again.close()


# A second copy of the program (another process) on the same profile: opened, then a save when told to.
_OPEN_THEN_SAVE = """
import sys
from storage.profile import unlock_profile
profile = unlock_profile(sys.argv[1], sys.argv[2], backup=False)
print("open", flush=True)
sys.stdin.readline()
case = profile.cases.load(profile.cases.list_summaries(refresh=False)[0].case_id)
profile.cases.save(case.model_copy(update={"case_number": "OTHER-COPY-1"}))
print("saved", flush=True)
sys.stdin.readline()
profile.close()
"""


def test_a_save_by_another_process_open_before_the_value_was_kept_makes_it_stale(
    filled: Profile, profile_dir: Path
) -> None:
    """Two copies of the program on one profile: B opens, A keeps its value, B saves. B's save raises the count the
    file holds (not the one B read at its open), so A's value is no longer read back, in A or at the next open."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", _OPEN_THEN_SAVE, str(profile_dir), PASSPHRASE],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdin is not None and child.stdout is not None
    try:
        assert child.stdout.readline().strip() == "open"
        assert filled.kept_list.keep(lambda: _listing(filled), DAY, "c")
        child.stdin.write("save\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "saved"
        assert filled.kept_list.read(DAY, "c") is None
        assert "OTHER-COPY-1" in repr(filled.cases.list_summaries(refresh=False))
        child.stdin.write("close\n")
        child.stdin.flush()
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    filled.close()
    reopened = unlock_profile(profile_dir, PASSPHRASE, backup=False)  # the count beside the file: no damage seen
    try:
        assert reopened.kept_list.read(DAY, "c") is None
    finally:
        reopened.close()
