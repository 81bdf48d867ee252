"""A profile restored from a backup must keep syncing, its audit entries reaching the server (s27-audithead).

The backup holds this laptop's audit chain to seq J; the server holds it to K > J (the entries made after the backup
went with the damaged file). Before the fix the restored profile's entries up to K were never uploaded (the server's
head said it held them) and the first past K was refused, 409 ``audit_chain_broken``, at every sync: push and pull
stopped for good. Now the first sync after the restore continues the entries written after J on the server's head
(``GET /v1/audit/head``), each once; the server's checks are unchanged (since s28-rrestore every sync asks that
head, and a chain parted from it is continued with or without the restore's mark). Restored as the app does
(``storage.restore.restore_and_open`` and the unlock page's entry), without the 40 entries
``test_restored_profile_later_edits.py`` uploads to stay behind K.
Fails on s27-restore: the entries after the restore never reach the server, or the sync fails with 409."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sync_support import Env, damage_and_restore, make_laptop, synced_past_a_backup

from ibic.audit_chain import GENESIS_HASH
from storage.layout import database_path
from storage.profile import Profile
from sync.server.dev import DEMO_USER

AFTER_BACKUP = 12  # entries synced after the backup, lost with the damaged file: the server is this far ahead


def _server_chain(env: Env, device_id: str) -> list[dict[str, Any]]:
    return env.sql("SELECT seq, entry_id, prev_hash, hash FROM audit_entries WHERE device_id = %s ORDER BY seq",
                   (device_id,))


def _assert_server_chain_verifies(env: Env, device_id: str) -> None:
    """The server's chain for the device: seqs 1.. without a gap, each entry linked to the one before (the server
    checked each entry's hash over its content when it stored it, ``audit_service.store_audit``)."""
    rows = _server_chain(env, device_id)
    prev = GENESIS_HASH
    for expected, row in enumerate(rows, start=1):
        assert (row["seq"], row["prev_hash"]) == (expected, prev)
        prev = str(row["hash"])


def _restored(env: Env, tmp_path: Path, since_restore: int) -> tuple[Profile, str, int, int]:
    """Sync, back up, record and sync more, damage, restore as the app does, then bring the restored chain to the
    server's head plus ``since_restore`` (negative: behind it). Returns the profile, its device, J and K."""
    laptop, case_id = synced_past_a_backup(env, tmp_path / "profile", AFTER_BACKUP)
    device_id = laptop.profile.device_id
    server_head = len(_server_chain(env, device_id))
    profile: Profile = damage_and_restore(laptop)
    restored_head = profile.audit.head()[0]
    assert restored_head < server_head  # the backup's chain is behind the server's
    profile.audit.record("restore", detail="from the newest intact backup")  # as the unlock page does
    while profile.audit.head()[0] < server_head + since_restore:
        profile.audit.record("case_viewed", case_id=case_id)
    return profile, device_id, restored_head, server_head


def _sync_and_check(env: Env, profile: Profile, device_id: str, restored_head: int, server_head: int) -> None:
    from sync.client.engine import open_session, sync_now

    written = [e.entry_id for e in profile.audit.entries(since_seq=restored_head)]
    sync_now(open_session(profile), profile)
    profile.audit.record("case_list_viewed")
    sync_now(open_session(profile), profile)  # and the next sync too
    rows = _server_chain(env, device_id)
    stored = [str(r["entry_id"]) for r in rows]
    for entry_id in written:
        assert stored.count(entry_id) == 1  # every entry written after the restore, once
    # The server's first K entries as they were, then what the laptop wrote since, the continuation, one more.
    assert len(rows) == server_head + len(written) + 2
    assert [r["seq"] for r in rows[server_head:server_head + len(written)]] == list(
        range(server_head + 1, server_head + len(written) + 1))
    _assert_server_chain_verifies(env, device_id)
    assert profile.audit.verify().ok  # the laptop's own chain checks too
    local = profile.audit.entries()
    assert [(e.seq, e.hash) for e in local[-len(written) - 2:]] == [
        (int(r["seq"]), str(r["hash"])) for r in rows[-len(written) - 2:]]
    profile.lock()


def test_a_restored_profile_behind_the_server_s_audit_head_uploads_what_it_writes(env: Env, tmp_path: Path) -> None:
    profile, device_id, restored_head, server_head = _restored(env, tmp_path, -3)
    _sync_and_check(env, profile, device_id, restored_head, server_head)


def test_a_restored_profile_past_the_server_s_audit_head_keeps_syncing(env: Env, tmp_path: Path) -> None:
    profile, device_id, restored_head, server_head = _restored(env, tmp_path, 5)
    _sync_and_check(env, profile, device_id, restored_head, server_head)


def test_a_restored_profile_at_the_server_s_audit_head_uploads_what_it_writes(env: Env, tmp_path: Path) -> None:
    profile, device_id, restored_head, server_head = _restored(env, tmp_path, 0)
    _sync_and_check(env, profile, device_id, restored_head, server_head)


def test_a_restored_profile_whose_mark_was_lost_continues_its_chain_all_the_same(env: Env, tmp_path: Path) -> None:
    """The mark deleted (by hand, a cleaning tool): the first sync finds the server's head is not this profile's,
    puts the mark back, continues the chain and pulls first (s28-rrestore; before, every sync was refused 409
    ``audit_chain_broken`` for good)."""
    profile, device_id, restored_head, server_head = _restored(env, tmp_path, 5)
    database_path(profile.directory).with_name("profile.db-restored").unlink()
    _sync_and_check(env, profile, device_id, restored_head, server_head)


def test_the_audit_head_route_answers_the_device_s_own_head_and_only_with_a_token(env: Env, tmp_path: Path) -> None:
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    assert laptop.session.get("/v1/audit/head", _head_type()).seq == 0  # before its first upload
    laptop.profile.audit.record("case_list_viewed")
    laptop.sync()
    rows = _server_chain(env, laptop.profile.device_id)
    head = laptop.session.get("/v1/audit/head", _head_type())
    assert (head.seq, head.hash) == (rows[-1]["seq"], rows[-1]["hash"]) and head.seq >= 1
    answer = httpx.get(f"{env.base_url}/v1/audit/head")
    assert answer.status_code == 401
    laptop.profile.lock()


def _head_type() -> type:
    from sync.protocol import AuditHead

    return AuditHead
