"""A restored profile's first sync under faults: the mark's head not written, a crash in the renumbering or before
the upload, two restores in a row, an offline first sync, a backup newer than the server's head (s28-rrestore).

Each ends with every audit entry written since the restore on the server once, the server's chain gapless and
linked, and the laptop's own chain verifying; through the real server and a real SQLCipher profile, restored as the
app does (``storage.restore.restore_and_open``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sync_support import PASSPHRASE, Env, assigned_cases, damage_and_restore, make_laptop

from ibic.audit_chain import GENESIS_HASH
from storage import restored_mark
from storage.layout import database_path
from storage.profile import Profile, unlock_profile
from sync.server.dev import DEMO_USER

AFTER_BACKUP = 12  # entries synced after the backup, lost with the damaged file: the server is this far ahead


def _server_chain(env: Env, device_id: str) -> list[dict[str, Any]]:
    return env.sql("SELECT seq, entry_id, prev_hash, hash FROM audit_entries WHERE device_id = %s ORDER BY seq",
                   (device_id,))


def _assert_whole(env: Env, profile: Profile, written: list[str]) -> None:
    """Every entry in ``written`` on the server once; the server's chain gapless and linked; the local one verifies."""
    rows = _server_chain(env, profile.device_id)
    stored = [str(r["entry_id"]) for r in rows]
    assert [stored.count(entry_id) for entry_id in written] == [1] * len(written)
    prev = GENESIS_HASH
    for expected, row in enumerate(rows, start=1):
        assert (row["seq"], row["prev_hash"]) == (expected, prev)
        prev = str(row["hash"])
    assert profile.audit.verify().ok


def _ahead_of_the_backup(env: Env, tmp_path: Path) -> tuple[Any, str, int]:
    """A laptop synced, backed up, then ``AFTER_BACKUP`` entries synced after the backup; the case and K."""
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    assert laptop.profile.backup_now() is not None
    for _ in range(AFTER_BACKUP):
        laptop.profile.audit.record("case_viewed", case_id=case_id)
    laptop.sync()
    return laptop, case_id, len(_server_chain(env, laptop.profile.device_id))


def _sync(profile: Profile) -> Any:
    from sync.client.engine import open_session, sync_now

    return sync_now(open_session(profile), profile)


def test_a_mark_whose_head_the_first_open_could_not_write_loses_no_entry(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first open after the restore cannot put the mark's new file in its place (on Windows a scanner holding
    the mark open refuses the rename); the profile opens and records, is locked and unlocked, then syncs. Before,
    the second open recorded the head of that moment as the backup's, so the entries written in between stayed on
    numbers the server holds and never reached it (or, synced before that second open, the mark went with nothing
    continued and every later sync was refused 409 for good)."""
    laptop, case_id, server_head = _ahead_of_the_backup(env, tmp_path)
    mark = restored_mark.mark_path(database_path(laptop.directory))
    real_replace = os.replace

    def refused_for_the_mark(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if Path(target) == mark:
            raise PermissionError(13, "The process cannot access the file", str(target))
        real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refused_for_the_mark)
    profile = damage_and_restore(laptop)
    monkeypatch.setattr(os, "replace", real_replace)
    restored_head = profile.audit.head()[0]
    profile.audit.record("restore", detail="from the newest intact backup")  # as the unlock page does
    for _ in range(3):
        profile.audit.record("case_viewed", case_id=case_id)
    profile.lock()
    profile = unlock_profile(laptop.directory, PASSPHRASE, backup=False)
    try:
        profile.audit.record("case_viewed", case_id=case_id)
        assert profile.audit.head()[0] < server_head  # all of it on numbers the server holds
        written = [e.entry_id for e in profile.audit.entries(since_seq=restored_head)]
        _sync(profile)
        profile.audit.record("case_list_viewed")
        _sync(profile)
        _assert_whole(env, profile, written)
    finally:
        profile.lock()


# The window's sync runs in a child process (``sync.child``): killed there, the profile is left as a crash leaves it.
# The child unlocks the restored profile and syncs, SIGKILLed by itself at one point of the first sync: inside the
# renumbering's transaction (at its third hash), right after the renumbering committed, or right after the audit
# upload was answered (before the pull).
KILLED_SYNC = """
import os, signal, sys
from pathlib import Path
from storage.profile import unlock_profile
from sync.client.engine import open_session, sync_now

directory, passphrase, point = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
profile = unlock_profile(directory, passphrase, backup=False)

def killed():
    os.kill(os.getpid(), signal.SIGKILL)

if point == "renumbering":
    import storage.audit
    real_hash, calls = storage.audit.entry_hash, []
    def hashing(*args, **kwargs):
        calls.append(sys._getframe(1).f_code.co_name)
        if calls.count("continue_after_restore") == 3:
            killed()
        return real_hash(*args, **kwargs)
    storage.audit.entry_hash = hashing
elif point == "renumbered":
    from storage.audit import AuditLog
    real_continue = AuditLog.continue_after_restore
    def continued(log, *args):
        real_continue(log, *args)
        killed()
    AuditLog.continue_after_restore = continued
else:
    from sync.client.session import Session
    real_post = Session.post
    def post(session, path, message, answer):
        answered = real_post(session, path, message, answer)
        if path == "/v1/audit" and message.entries:
            killed()
        return answered
    Session.post = post
sync_now(open_session(profile), profile)
"""


@pytest.mark.parametrize("point", ["renumbering", "renumbered", "uploaded"])
def test_a_sync_killed_while_it_continues_the_chain_loses_nothing_and_sends_nothing_twice(
    env: Env, tmp_path: Path, point: str,
) -> None:
    import signal
    import subprocess
    import sys

    laptop, case_id, server_head = _ahead_of_the_backup(env, tmp_path)
    profile = damage_and_restore(laptop)
    restored_head = profile.audit.head()[0]
    profile.audit.record("restore", detail="from the newest intact backup")
    for _ in range(5):
        profile.audit.record("case_viewed", case_id=case_id)
    written = [e.entry_id for e in profile.audit.entries(since_seq=restored_head)]
    profile.lock()
    child = subprocess.run([sys.executable, "-c", KILLED_SYNC, str(laptop.directory), PASSPHRASE, point],
                           capture_output=True, text=True, timeout=120,
                           env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert child.returncode == -signal.SIGKILL, child.stderr
    uploaded = len(_server_chain(env, laptop.profile.device_id))
    assert uploaded == (server_head + len(written) + 1 if point == "uploaded" else server_head)
    profile = unlock_profile(laptop.directory, PASSPHRASE, backup=False)  # the next unlock opens
    try:
        assert profile.audit.verify().ok
        assert profile.sync.pulls_first()  # the pull after the restore has not happened yet
        _sync(profile)
        assert not profile.sync.pulls_first()
        profile.audit.record("case_list_viewed")
        _sync(profile)
        _assert_whole(env, profile, written)
        assert len(_server_chain(env, profile.device_id)) == server_head + len(written) + 2
    finally:
        profile.lock()
