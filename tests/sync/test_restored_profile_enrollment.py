"""A laptop profile restored from a backup taken before its enrollment (s27-srv). The server knows its device id
(the profile enrolled and synced after the backup), so a new code from IT met "already enrolled" and the dialog said
the code was wrong, used or too old: a new code said the same, and nothing told the handläggare or IT what to do.
Now the dialog says in Swedish that the server knows this laptop, that the profile may be restored from a backup,
and gives its id for IT; IT's ``readmit-device`` code for that id enrolls it, and the profile syncs. Fails on main
(the dialog's message; then no such command)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx
import pytest
from PySide6.QtCore import Qt
from sync_support import PASSPHRASE, Env, assigned_cases

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the UI tests' keyboard helpers
from uihelpers import type_text

from sync.server import admin
from sync.server.dev import DEMO_USER


def _connect(qtbot: Any, dialog: Any, code: str) -> None:
    dialog.code.clear()
    type_text(dialog.code, code)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # the default button: Anslut


def test_a_profile_restored_from_before_its_enrollment_is_told_to_ask_it_and_enrolls_with_its_readmission_code(
    qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from storage.kdf import KdfParameters
    from storage.profile import create_profile, unlock_profile
    from sync.client.credentials import CredentialStore
    from sync.client.engine import open_session, sync_now
    from sync.client.enrollment import enroll
    from sync.client.transport import Transport
    from ui.sync.enrollment_dialog import EnrollmentDialog

    created = create_profile(tmp_path / "profile", PASSPHRASE, user_id=DEMO_USER,
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    created.lock()
    shutil.copytree(tmp_path / "profile", tmp_path / "backup")  # the backup, taken before the enrollment
    before = unlock_profile(tmp_path / "profile", PASSPHRASE, backup=False)
    enroll(Transport(env.base_url), CredentialStore(before), code=env.new_code(DEMO_USER),
           device_id=before.device_id, user_id=DEMO_USER)
    sync_now(open_session(before), before)  # used: the server has seen the device
    old_credential = CredentialStore(before).load()
    assert old_credential is not None
    before.lock()
    shutil.rmtree(tmp_path / "profile")
    shutil.copytree(tmp_path / "backup", tmp_path / "profile")  # the restore
    profile = unlock_profile(tmp_path / "profile", PASSPHRASE, backup=False)
    assert CredentialStore(profile).load() is None and profile.device_id == old_credential.device_id

    dialog = EnrollmentDialog(profile, env.base_url)
    qtbot.addWidget(dialog)
    enrolled: list[Any] = []
    dialog.enrolled.connect(enrolled.append)
    dialog.show()
    code = env.new_code(DEMO_USER)
    _connect(qtbot, dialog, code)
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=30_000)
    message = dialog.message.text()
    assert message.startswith("Servern känner redan den här datorn"), message
    assert "säkerhetskopia" in message and message.endswith(profile.device_id)
    assert env.sql("SELECT count(*) AS n FROM enrollment_codes WHERE used_at IS NOT NULL") == [{"n": 1}]  # unspent
    assert not enrolled

    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", env.database_url)
    capsys.readouterr()
    assert admin.main(["readmit-device", message.rsplit(" ", 1)[1]]) == 0  # the id as IT reads it off the dialog
    readmission = capsys.readouterr().out.strip()
    _connect(qtbot, dialog, readmission)
    qtbot.waitUntil(lambda: bool(enrolled), timeout=30_000)
    report = sync_now(open_session(profile), profile)
    assert profile.cases.count() == len(assigned_cases(env, DEMO_USER)) and report.pulled > 0
    stale = httpx.post(f"{env.base_url}/v1/token", json={"device_id": old_credential.device_id,
                                                          "device_credential": old_credential.device_credential})
    assert stale.status_code == 401  # the credential of the profile as it was before the restore
    profile.lock()
