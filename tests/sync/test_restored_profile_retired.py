"""A restored laptop that IT retires pulls before its last push, as every first sync after a restore does (s29).

The laptop syncs an edit after its backup, is restored from that backup, the handläggare edits the same field again,
and IT runs ``revoke-device ID retire``. The retirement (push what is pending, then wipe) pushed without the pull
first: the text typed after the restore went over the text this laptop had synced after the backup, with no
conflict, and the profile was wiped. Now the retirement pulls first (``POST /v1/pull?retiring=true``, which the
server allows a retiring device): the clash is a conflict, nothing is pushed over the synced text and nothing is
wiped until the handläggare chooses; the next sync pushes the choice and wipes. A server that refuses that pull (one
before s29, which answers a retiring device's pull 410) gets nothing pushed and nothing wiped, and the person a
Swedish message to call IT. Fails on main (the text typed after the restore is on the server, the profile wiped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sync_support import (
    PASSPHRASE,
    Env,
    as_a_server_before_s29,
    assigned_cases,
    damage_and_restore,
    edit_case,
    make_laptop,
    server_note,
)

from storage.profile import profile_exists
from sync.errors import DeviceRevoked
from sync.server import admin
from sync.server.dev import DEMO_USER

SYNCED = "Bor ensam. Synkat efter säkerhetskopian."
TYPED = "Bor ensam. Skrivet efter återställningen."


def _restored_edited_and_retired(env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, str]:
    """Synced, backed up, edited and synced, damaged and restored as the app does, edited again; then IT's admin
    command retires the device. The restored profile, open, and the case."""
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.sync()
    case_id = str(assigned_cases(env, DEMO_USER)[0]["case_id"])
    assert laptop.profile.backup_now() is not None
    edit_case(laptop.profile, case_id, origin_note=SYNCED)
    laptop.sync()
    profile = damage_and_restore(laptop)
    profile.audit.record("restore", detail="from the newest intact backup")  # as the unlock page does
    edit_case(profile, case_id, origin_note=TYPED)
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    assert admin.main(["revoke-device", profile.device_id, "retire"]) == 0
    return profile, case_id


def _device_status(env: Env, device_id: str) -> str:
    return str(env.sql("SELECT status FROM devices WHERE id = %s", (device_id,))[0]["status"])


def test_a_restored_laptop_being_retired_pulls_first_and_keeps_the_clash_until_it_is_settled(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sync.client.engine import open_session, sync_now

    profile, case_id = _restored_edited_and_retired(env, tmp_path, monkeypatch)
    directory, device_id = profile.directory, profile.device_id
    with pytest.raises(DeviceRevoked) as raised:
        sync_now(open_session(profile), profile)
    assert (raised.value.kind, raised.value.wiped, raised.value.pending) == ("retire", False, 1)
    assert server_note(env, case_id) == SYNCED  # not overwritten by the retirement's push
    [conflict] = profile.sync.conflicts()
    assert (conflict.local_value, conflict.server_value, conflict.own_earlier) == (TYPED, SYNCED, True)
    assert profile_exists(directory) and not profile.sync.pulls_first()
    assert _device_status(env, device_id) == "retire"
    profile.sync.resolve_conflict(conflict.conflict_id, TYPED)  # the handläggare keeps what they typed
    with pytest.raises(DeviceRevoked) as again:
        sync_now(open_session(profile), profile)
    assert again.value.wiped and not profile_exists(directory)
    assert server_note(env, case_id) == TYPED
    assert _device_status(env, device_id) == "retired"


def test_a_server_that_refuses_a_retiring_laptop_s_pull_gets_nothing_pushed_and_the_person_is_told(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swedish_ui: None,
) -> None:
    """A server before s29 refuses ``retiring`` (422) and answers the pull asked again without it 410, as it
    answers every retiring device's pull: the work stays unsent and the profile whole (the mark too: a later sync
    pulls first again)."""
    from storage.profile import unlock_profile
    from sync.client.engine import open_session, sync_now
    from ui.errors import sync_message

    profile, case_id = _restored_edited_and_retired(env, tmp_path, monkeypatch)
    directory = profile.directory
    monkeypatch.setattr(httpx.Client, "request", as_a_server_before_s29(httpx.Client.request))
    with pytest.raises(DeviceRevoked) as raised:
        sync_now(open_session(profile), profile)
    assert server_note(env, case_id) == SYNCED and profile_exists(directory)
    assert (raised.value.wiped, raised.value.restored, raised.value.pending) == (False, True, 1)
    assert profile.sync.pulls_first() and len(profile.journal.pending()) == 1
    message = sync_message(raised.value, len(profile.sync.conflicts()))
    assert message.startswith("IT har återkallat datorn, men profilen är återställd från en säkerhetskopia")
    assert "Inget har skickats eller raderats. Kontakta IT." in message
    profile.lock()
    again = unlock_profile(directory, PASSPHRASE, backup=False)  # nothing typed was lost
    try:
        assert again.cases.load(case_id).origin_note == TYPED
    finally:
        again.lock()
