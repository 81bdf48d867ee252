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
from sync_support import PASSPHRASE, Env, assigned_cases, damage_and_restore, make_laptop, synced_past_a_backup

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


def _two_syncs_bring_all(env: Env, profile: Profile, written: list[str]) -> None:
    """A sync, one more entry, a second sync: every entry in ``written`` (and that one) on the server once."""
    _sync(profile)
    profile.audit.record("case_list_viewed")
    _sync(profile)
    _assert_whole(env, profile, written)


def _ahead_of_the_backup(env: Env, tmp_path: Path) -> tuple[Any, str, int]:
    """A laptop synced, backed up, then ``AFTER_BACKUP`` entries synced after the backup; the case and K."""
    laptop, case_id = synced_past_a_backup(env, tmp_path / "profile", AFTER_BACKUP)
    return laptop, case_id, len(_server_chain(env, laptop.profile.device_id))


def _restored_and_recorded(env: Env, tmp_path: Path, views: int) -> tuple[Any, Profile, str, tuple[int, int]]:
    """``_ahead_of_the_backup``, restored as the app does, then the unlock page's entry and ``views`` more: the
    laptop, the restored profile (open), the case, and the restored chain's last seq with the server's."""
    laptop, case_id, server_head = _ahead_of_the_backup(env, tmp_path)
    profile = damage_and_restore(laptop)
    restored_head = profile.audit.head()[0]
    profile.audit.record("restore", detail="from the newest intact backup")
    for _ in range(views):
        profile.audit.record("case_viewed", case_id=case_id)
    return laptop, profile, case_id, (restored_head, server_head)


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
    _work_across_an_unlock_then_sync(env, profile, case_id, restored_head, server_head)


def _work_across_an_unlock_then_sync(env: Env, profile: Profile, case_id: str, restored_head: int,
                                     server_head: int) -> None:
    """The restored profile (open, nothing synced since the restore, its chain's last seq ``restored_head``)
    records, is locked and unlocked, records more, all of it on numbers the server holds, and syncs twice: each
    entry written since the restore reaches the server once."""
    for _ in range(3):
        profile.audit.record("case_viewed", case_id=case_id)
    profile.lock()
    profile = unlock_profile(profile.directory, PASSPHRASE, backup=False)
    try:
        profile.audit.record("case_viewed", case_id=case_id)
        assert profile.audit.head()[0] < server_head  # all of it on numbers the server holds
        written = [e.entry_id for e in profile.audit.entries(since_seq=restored_head)]
        _two_syncs_bring_all(env, profile, written)
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

    laptop, profile, _case_id, (restored_head, server_head) = _restored_and_recorded(env, tmp_path, 5)
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


def test_a_second_restore_of_a_backup_made_before_the_first_restore_s_sync_loses_no_entry(
    env: Env, tmp_path: Path,
) -> None:
    """Restored, offline for a day: the next unlock's backup holds the entries written since the restore (on numbers
    the server holds, not continued yet); the database is damaged again and that backup restored. Its chain agrees
    with the server's only up to the first restore's head: the entries after it are continued too, not left on
    numbers the server holds (before, the second restore took its backup's head for the server's, and those entries
    never reached it)."""
    from sync_support import Laptop

    laptop, profile, case_id, (first_head, server_head) = _restored_and_recorded(env, tmp_path, 3)
    assert profile.backup_now() is not None  # the next day's backup, no sync between
    profile = damage_and_restore(Laptop(profile, laptop.session, laptop.directory))
    try:
        profile.audit.record("restore", detail="from the newest intact backup")
        profile.audit.record("case_viewed", case_id=case_id)
        written = [e.entry_id for e in profile.audit.entries(since_seq=first_head)]
        assert len(written) == 6 and profile.audit.head()[0] < server_head
        _two_syncs_bring_all(env, profile, written)
    finally:
        profile.lock()


def _damaged(laptop: Any) -> None:
    """Lock the laptop's profile and damage its database's first page, as ``damage_and_restore`` does."""
    laptop.profile.lock()
    database = database_path(laptop.directory)
    data = bytearray(database.read_bytes())
    data[1000] ^= 0xFF
    database.write_bytes(bytes(data))


def test_a_profile_restored_unchecked_by_it_s_command_keeps_its_audit_chain(env: Env, tmp_path: Path) -> None:
    """IT's ``python -m storage.restore --unchecked`` (no passphrase, no key: it cannot read the backup's chain);
    the handläggare unlocks, works offline, locks, unlocks and syncs."""
    import subprocess
    import sys

    laptop, case_id, server_head = _ahead_of_the_backup(env, tmp_path)
    _damaged(laptop)
    repo = Path(__file__).resolve().parents[2]
    restored = subprocess.run([sys.executable, "-m", "storage.restore", "--profile", str(laptop.directory),
                               "--unchecked"], input="yes\n", capture_output=True, text=True, cwd=repo, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(repo)})
    assert restored.returncode == 0, restored.stderr
    profile = unlock_profile(laptop.directory, PASSPHRASE, backup=False)
    _work_across_an_unlock_then_sync(env, profile, case_id, profile.audit.head()[0], server_head)


def test_a_restored_profile_whose_first_sync_was_offline_syncs_whole_after_more_work_and_an_unlock(
    env: Env, tmp_path: Path,
) -> None:
    """The first sync after the restore finds no server (nothing continued, the mark kept); more is recorded, the
    profile locked and unlocked; the next sync continues the chain and pulls first."""
    from sync.client.engine import sync_now
    from sync.client.session import Session
    from sync.client.transport import RetryPolicy, Transport
    from sync.errors import Offline

    laptop, case_id, server_head = _ahead_of_the_backup(env, tmp_path)
    profile = damage_and_restore(laptop)
    restored_head = profile.audit.head()[0]
    profile.audit.record("restore", detail="from the newest intact backup")
    nowhere = Transport(f"http://127.0.0.1:{_closed_port()}", retry=RetryPolicy(attempts=1, base_seconds=0.01))
    with pytest.raises(Offline):
        sync_now(Session(nowhere, laptop.session.credentials), profile)
    assert profile.sync.pulls_first() and profile.audit.head()[0] == restored_head + 1  # nothing renumbered
    for _ in range(2):
        profile.audit.record("case_viewed", case_id=case_id)
    profile.lock()
    profile = unlock_profile(laptop.directory, PASSPHRASE, backup=False)
    try:
        written = [e.entry_id for e in profile.audit.entries(since_seq=restored_head)]
        _sync(profile)
        assert not profile.sync.pulls_first()
        _sync(profile)
        _assert_whole(env, profile, written)
        assert len(_server_chain(env, profile.device_id)) == server_head + len(written) + 1
    finally:
        profile.lock()


def test_a_backup_made_after_the_last_sync_restores_with_nothing_to_renumber(env: Env, tmp_path: Path) -> None:
    """The backup holds everything the server has of the chain and more (recorded after the last sync): nothing is
    renumbered, no continuation written, and the backup's unsent entries and those written since are uploaded."""
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    server_head = len(_server_chain(env, laptop.profile.device_id))
    laptop.profile.audit.record("case_viewed", case_id=case_id)  # not synced: only in the backup below
    assert laptop.profile.backup_now() is not None
    profile = damage_and_restore(laptop)
    try:
        profile.audit.record("restore", detail="from the newest intact backup")
        written = [e.entry_id for e in profile.audit.entries(since_seq=server_head)]
        _sync(profile)
        _sync(profile)
        _assert_whole(env, profile, written)
        assert [e.seq for e in profile.audit.entries()] == list(range(1, server_head + len(written) + 1))
        assert "audit_continued" not in [e.action for e in profile.audit.entries()]
    finally:
        profile.lock()


def _closed_port() -> int:
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        return int(free.getsockname()[1])


def test_the_audit_head_route_answers_the_entry_through_a_seq_and_refuses_odd_ones(env: Env, tmp_path: Path) -> None:
    """``GET /v1/audit/head?through=N``: the device's last entry at or before N (the server's chain has no gaps, so
    entry N while N is within it), 0 and null through 0, the head through the largest seq; a seq that is no bigint,
    negative or not a number is 422 ``invalid_request``."""
    import httpx

    from sync.protocol import MAX_BIGINT, AuditHead

    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    for _ in range(4):
        laptop.profile.audit.record("case_list_viewed")
    laptop.sync()
    rows = _server_chain(env, laptop.profile.device_id)
    try:
        for through, (seq, digest) in ((2, (2, rows[1]["hash"])), (0, (0, None)),
                                       (MAX_BIGINT, (rows[-1]["seq"], rows[-1]["hash"]))):
            answer = laptop.session.get(f"/v1/audit/head?through={through}", AuditHead)
            assert (answer.seq, answer.hash) == (seq, digest)
        token = laptop.session.refresh_token()
        for odd in (str(MAX_BIGINT + 1), "-1", "2.5", "zwei", ""):
            refused = httpx.get(f"{env.base_url}/v1/audit/head", params={"through": odd},
                                headers={"Authorization": f"Bearer {token}"})
            assert (refused.status_code, refused.json()["error"]) == (422, "invalid_request"), odd
    finally:
        laptop.profile.lock()


def test_a_profile_folder_copied_back_by_hand_syncs_its_chain_and_shows_its_later_edit_as_a_conflict(
    env: Env, tmp_path: Path,
) -> None:
    """No restore, no mark: the handläggare (or IT) copies back a copy of the profile folder taken before an edit
    that was synced, and edits the same field again. Before, every sync was refused 409 ``audit_chain_broken`` for
    good ("the server could not take the changes right now", with no way out: ``storage.restore`` refuses an intact
    database). Now the refused upload finds where the chains part, takes the copy as restored (the mark), continues
    its chain, and the same sync pulls first: the synced text meets the one typed since as a conflict."""
    import shutil

    from sync_support import edit_case

    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    laptop.profile.lock()
    shutil.copytree(laptop.directory, tmp_path / "copy")
    profile = unlock_profile(laptop.directory, PASSPHRASE, backup=False)
    edit_case(profile, case_id, origin_note="Bor ensam. Synkat efter kopian.")
    for _ in range(AFTER_BACKUP):
        profile.audit.record("case_viewed", case_id=case_id)
    _sync(profile)
    profile.lock()
    shutil.rmtree(laptop.directory)
    shutil.copytree(tmp_path / "copy", laptop.directory)  # copied back by hand
    profile = unlock_profile(laptop.directory, PASSPHRASE, backup=False)
    try:
        copied_head = profile.audit.head()[0]
        edit_case(profile, case_id, origin_note="Bor ensam. Skrivet i kopian.")
        profile.audit.record("case_viewed", case_id=case_id)
        written = [e.entry_id for e in profile.audit.entries(since_seq=copied_head)]
        _sync(profile)
        [conflict] = profile.sync.conflicts()
        assert (conflict.local_value, conflict.server_value) == (
            "Bor ensam. Skrivet i kopian.", "Bor ensam. Synkat efter kopian.")
        assert not profile.sync.pulls_first()
        _sync(profile)
        _assert_whole(env, profile, written)
        rows = env.sql("SELECT document->>'origin_note' AS note FROM record_documents"
                       " WHERE record_type = 'case' AND record_id = %s", (case_id,))
        assert rows[0]["note"] == "Bor ensam. Synkat efter kopian."  # nothing sent over it
    finally:
        profile.lock()


def test_entries_cut_out_of_the_profile_s_audit_log_are_not_continued_over(env: Env, tmp_path: Path) -> None:
    """Someone with the key deletes audit rows (the server's head and the entries after it, not uploaded yet): the
    chain has parted from the server's, but it does not verify, so the sync continues nothing (a continuation would
    hide the cut from the local check and the server alike), pushes nothing and says so; the server keeps its
    chain as it was. Its message in the window: IT is to look."""
    from sync_support import edit_case

    from sync.errors import AuditLogBroken
    from ui.errors import sync_message

    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    for _ in range(4):
        laptop.profile.audit.record("case_viewed", case_id=case_id)
    laptop.sync()
    before = _server_chain(env, laptop.profile.device_id)
    server_head = len(before)
    for _ in range(4):
        laptop.profile.audit.record("case_viewed", case_id=case_id)
    edit_case(laptop.profile, case_id, origin_note="Bor ensam. Skrivet efter sista synken.")
    with laptop.profile._db.transaction() as connection:
        connection.execute("DELETE FROM audit WHERE seq BETWEEN ? AND ?", (server_head, server_head + 2))
    try:
        assert not laptop.profile.audit.verify().ok
        with pytest.raises(AuditLogBroken) as refused:
            laptop.sync()
        assert _server_chain(env, laptop.profile.device_id) == before
        assert "audit_continued" not in [e.action for e in laptop.profile.audit.entries()]
        assert len(laptop.profile.journal.pending()) == 1 and not laptop.profile.sync.pulls_first()
        assert "IT" in sync_message(refused.value)
    finally:
        laptop.profile.lock()


def test_a_server_without_the_audit_head_route_still_takes_the_laptop_s_audit(env: Env, tmp_path: Path) -> None:
    """A server from before s27 answers ``GET /v1/audit/head`` 404: every sync asks that head now, so the laptop
    asks the empty upload instead, as before, and its entries are stored (servers are upgraded first, but a sync
    must not stop on a route the server lacks)."""
    import httpx
    from sync_support import ThreadServer, new_config

    from sync.server.app import create_app

    config = new_config(env.database_url, token_secret=env.config.token_secret)
    app = create_app(config, run_migrations=False)
    app.router.routes = [route for route in app.router.routes if getattr(route, "path", "") != "/v1/audit/head"]
    server = ThreadServer(config, app).start()
    base_url = f"http://127.0.0.1:{config.port}"
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER, base_url=base_url)
    try:
        assert httpx.get(f"{base_url}/v1/audit/head", timeout=30).status_code == 404
        for _ in range(3):
            laptop.profile.audit.record("case_list_viewed")
        laptop.sync()
        laptop.sync()
        written = [e.entry_id for e in laptop.profile.audit.entries()]
        assert [str(r["entry_id"]) for r in _server_chain(env, laptop.profile.device_id)] == written
    finally:
        laptop.profile.lock()
        server.stop()


class _ThroughIgnored:
    """An s27 server in front of the app: ``GET /v1/audit/head`` is there, ``through`` is not (an unknown query
    parameter is ignored, so the route answers the chain's last entry), while ``switch["ignoring"]`` is set."""

    def __init__(self, app: Any, switch: dict[str, bool]) -> None:
        self.app = app
        self.switch = switch

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.switch["ignoring"] and scope["type"] == "http" and scope["path"] == "/v1/audit/head":
            scope = {**scope, "query_string": b""}
        await self.app(scope, receive, send)


def test_a_server_that_ignores_through_gets_no_second_copy_of_the_restored_chain(env: Env, tmp_path: Path) -> None:
    """A restored laptop against a server of s27 (the head route, no ``through``): every answer of the search is the
    server's last entry, which agrees with none of the profile's, so the search ended at 0 and the whole chain was
    renumbered after the server's head and uploaded, every entry the server held stored a second time (the server
    keys entries by seq, not entry id). Now the sync stops before it changes the chain ("the server could not take
    the changes right now"); once the server is upgraded the next sync continues it and each entry is stored once."""
    from sync_support import ThreadServer, new_config

    from sync.errors import ServerRejected
    from sync.server.app import create_app

    config = new_config(env.database_url, token_secret=env.config.token_secret)
    app = create_app(config, run_migrations=False)
    switch = {"ignoring": True}
    app.add_middleware(_ThroughIgnored, switch=switch)
    server = ThreadServer(config, app).start()
    try:
        laptop = make_laptop(env, tmp_path / "profile", DEMO_USER, base_url=f"http://127.0.0.1:{config.port}")
        case_id = str(assigned_cases(env, DEMO_USER)[0]["case_id"])
        for _ in range(3):
            laptop.profile.audit.record("case_viewed", case_id=case_id)
        laptop.sync()
        assert laptop.profile.backup_now() is not None
        for _ in range(AFTER_BACKUP):
            laptop.profile.audit.record("case_viewed", case_id=case_id)
        laptop.sync()
        before = _server_chain(env, laptop.profile.device_id)
        profile = damage_and_restore(laptop)
        try:
            restored_head = profile.audit.head()[0]
            profile.audit.record("restore", detail="from the newest intact backup")
            profile.audit.record("case_viewed", case_id=case_id)
            assert restored_head == 3
            chain = profile.audit.entries()
            with pytest.raises(ServerRejected):
                _sync(profile)
            assert _server_chain(env, profile.device_id) == before
            assert profile.audit.entries() == chain
            switch["ignoring"] = False  # the server upgraded
            _two_syncs_bring_all(env, profile, [e.entry_id for e in chain if e.seq > restored_head])
            stored = [str(row["entry_id"]) for row in _server_chain(env, profile.device_id)]
            assert len(stored) == len(set(stored)) == len(before) + 4  # restore, view, continued, view
        finally:
            profile.lock()
    finally:
        server.stop()
