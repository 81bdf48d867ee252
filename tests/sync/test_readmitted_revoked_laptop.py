"""A revoked laptop IT holds again is re-admitted with its unsent work kept (s27-rsrv).

The laptop still holds its credential, so the app syncs at unlock before anyone can type the code IT issued with
``readmit-device``: the server answered that sync 410 (lost), and the laptop wiped its profile, the entries written
while it was away included; the code then belonged to a profile that no longer existed. Now, while the device has an
unspent re-admission code, its old credential is 401: the laptop says it is not connected and asks for a new code,
keeps everything, and after the code is typed into the enrollment dialog its entries reach the server once. Once the
code lapses the revocation's 410 is back. Fails on s27-srv (DeviceRevoked, the profile wiped)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
import pytest
from PySide6.QtCore import Qt
from sync_support import Env, assigned_cases, make_laptop

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the UI tests' keyboard helpers
from uihelpers import type_text

from sync.server import admin
from sync.server.dev import DEMO_USER

AWAY = "Skrivet medan datorn var borta"  # an entry made on the laptop while it was reported lost


def _admin(env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *command: str) -> str:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    capsys.readouterr()
    assert admin.main(list(command)) == 0
    return capsys.readouterr().out.strip()


def test_a_lost_laptop_readmitted_keeps_its_unsent_entries_and_sends_them_once(
    qtbot: Any, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from sync.client.engine import open_session, sync_now
    from sync.errors import AuthFailed
    from ui.sync.enrollment_dialog import EnrollmentDialog

    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.sync()
    profile = laptop.profile
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    case = profile.cases.load(case_id)
    case.origin_note = AWAY
    profile.cases.save(case)
    assert profile.journal.pending_count() == 1

    _admin(env, monkeypatch, capsys, "revoke-device", profile.device_id, "lost")  # reported lost
    code = _admin(env, monkeypatch, capsys, "readmit-device", profile.device_id)  # found: back in IT's hands
    with pytest.raises(AuthFailed):  # the sync the app starts at unlock
        sync_now(open_session(profile), profile)
    assert profile.journal.pending_count() == 1 and profile.cases.load(case_id).origin_note == AWAY  # not wiped

    dialog = EnrollmentDialog(profile, env.base_url)
    qtbot.addWidget(dialog)
    enrolled: list[Any] = []
    dialog.enrolled.connect(enrolled.append)
    dialog.show()
    type_text(dialog.code, code)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(enrolled), timeout=30_000)
    report = sync_now(open_session(profile), profile)
    assert report.pushed == 1 and profile.journal.pending_count() == 0
    assert sync_now(open_session(profile), profile).pushed == 0
    rows = env.sql("SELECT value FROM change_log WHERE record_id = %s AND path = 'origin_note' AND value = to_jsonb("
                   "%s::text)", (case_id, AWAY))
    assert len(rows) == 1  # once: nothing lost, nothing twice
    assert env.sql("SELECT status FROM devices WHERE id = %s", (profile.device_id,)) == [{"status": "active"}]
    profile.lock()


def test_a_lost_device_whose_readmission_code_lapsed_is_told_to_wipe_again(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    device = env.enroll(DEMO_USER, "laptop-found-then-not")
    _admin(env, monkeypatch, capsys, "revoke-device", device.device_id, "lost")
    _admin(env, monkeypatch, capsys, "readmit-device", device.device_id)

    def refresh() -> httpx.Response:
        return httpx.post(f"{env.base_url}/v1/token", json={"device_id": device.device_id,
                                                            "device_credential": device.credential})

    assert refresh().status_code == 401 and device.post("/v1/pull", {}).status_code == 401  # the code waits
    _admin(env, monkeypatch, capsys, "revoke-device", device.device_id, "lost")  # IT's latest word: the code lapses
    lapsed = refresh()
    assert lapsed.status_code == 410 and lapsed.json()["kind"] == "lost", lapsed.text
    assert device.post("/v1/pull", {}).status_code == 410
