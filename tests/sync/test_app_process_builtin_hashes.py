"""Everything the window's own process does with hashes still works with Python's built-in ones (``_hashlib``
refused by ``main.load_builtin_hashes``): the real app, started through main.py in a fresh interpreter, against a
real HTTPS server.

The pytest process has OpenSSL's hashes loaded, so only a child started as a person starts the app shows what the
refusal breaks. One child creates a profile (its data key also wrapped to the municipality's recovery key), connects
with a code from IT and syncs over TLS with a pinned CA, previews a pulled case's draft utredning (reportlab's MD5)
and changes the passphrase; a second unlocks with the new passphrase (the day's backup), finds the file damaged
and restores that backup. This process then checks what the children wrote: the audit chain they hashed, the
recovery wrap (``python -m storage.recover``, a process with OpenSSL's hashes). On main it fails at its first
check (OpenSSL's hashes loaded there); on the branch it fails should a path of the window's process need what only
OpenSSL's hashes offer (``scrypt``, ``pbkdf2_hmac`` from Python 3.12 on, an OpenSSL-only name).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sync_support import Env

from storage.backups import backup_directory, list_backups
from storage.layout import database_path
from sync.server.dev import DEMO_USER
from tests.ui.app_child import RUN_MAIN_THEN_DRIVE, WHEN_IDLE, run_app_script, tagged, verified_audit_entries

FIRST = "lingon-kanot-fjall-lykta-vinter"
SECOND = "ny-losenfras-for-vintern-gran"
RECOVERED = "aterstalld-av-it-med-nyckeln"

COMMON = WHEN_IDLE + """
import json, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
original_exec = QApplication.exec
def report(tag, **more):
    with open("/proc/self/maps") as maps:
        crypto = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in maps if "libcrypto" in line
                         or "_hashlib" in line})
    print(tag, json.dumps({"refused": "_hashlib" in sys.modules and sys.modules["_hashlib"] is None,
                           "mapped": crypto, **more}), flush=True)
def when_shown(kind, then):
    shown = [w for w in QApplication.topLevelWidgets() if type(w).__name__ == kind and w.isVisible()]
    if shown:
        then(shown[0])
    else:
        QTimer.singleShot(20, lambda: when_shown(kind, then))
def when(condition, then):
    if condition():
        then()
    else:
        QTimer.singleShot(20, lambda: when(condition, then))
def window_of():
    return next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
"""

CREATE_CONNECT_PREVIEW_CHANGE = COMMON + """
def drive():
    window = window_of()
    panel = window.unlock_panel
    def created():
        report("CREATED")
        def enroll(dialog):
            QTest.keyClicks(dialog.code, sys.argv[3])
            QTest.keyClick(dialog.code, Qt.Key.Key_Return)
        QTimer.singleShot(0, lambda: when_shown("EnrollmentDialog", enroll))
        QTest.mouseClick(window.sync.widget.findChild(QPushButton, "syncNowButton"), Qt.MouseButton.LeftButton)
        controller = window.sync.controller
        when(lambda: window._upkeep_job is not None and not controller.running
             and controller.status.last_synced_at is not None and window.case_list.model.rowCount() > 0, synced)
    def synced():
        report("SYNCED", cases=window.case_list.model.rowCount())
        window.open_case(window.case_list.model.row(0).case_id)
        when(lambda: window.workspace is not None and window.stack.currentWidget() is window.workspace, opened)
    def opened():
        pages = []
        def read(dialog):
            when(lambda: dialog.page_count() > 0, lambda: (pages.append(dialog.page_count()), dialog.reject()))
        QTimer.singleShot(0, lambda: when_shown("UtredningPreviewDialog", read))
        window.action_preview.trigger()
        report("PREVIEWED", pages=pages)
        def change(dialog):
            QTest.keyClicks(dialog.old, sys.argv[2])
            QTest.keyClicks(dialog.new, sys.argv[4])
            QTest.keyClicks(dialog.confirm, sys.argv[4])
            QTest.keyClick(dialog.confirm, Qt.Key.Key_Return)
        QTimer.singleShot(0, lambda: when_shown("ChangePassphraseDialog", change))
        window.action_passphrase.trigger()
        report("CHANGED")
        QTimer.singleShot(0, window.close)
    window.unlocked.connect(lambda: when_idle(window, created))
    def enter():
        QTest.keyClicks(panel.name_edit, "demo-user")
        QTest.keyClicks(panel.passphrase_edit, sys.argv[2])
        QTest.keyClicks(panel.confirm_edit, sys.argv[2])
        QTest.keyClick(panel.confirm_edit, Qt.Key.Key_Return)
    QTimer.singleShot(300, enter)
""" + RUN_MAIN_THEN_DRIVE

UNLOCK_DAMAGE_RESTORE = COMMON + """
from storage.layout import database_path
from pathlib import Path
def drive():
    window = window_of()
    panel = window.unlock_panel
    state = {"unlocks": 0}
    def unlocked():
        state["unlocks"] += 1
        if state["unlocks"] == 1:
            when_idle(window, damage)
        else:
            report("RESTORED", status=window.statusBar().currentMessage(),
                   cases=window.case_list.model.rowCount())
            QTimer.singleShot(0, window.close)
    def damage():
        report("UNLOCKED", cases=window.case_list.model.rowCount())
        window.lock()
        database = database_path(Path(sys.argv[1]))
        data = bytearray(database.read_bytes())
        data[1000] ^= 0xFF  # the first page: the file no longer opens
        database.write_bytes(bytes(data))
        QTest.keyClicks(panel.passphrase_edit, sys.argv[2])
        QTest.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
        when(lambda: panel.restore_button.isVisible(), restore)
    def restore():
        def yes(box):
            box.button(QMessageBox.StandardButton.Yes).click()
        QTimer.singleShot(0, lambda: when_shown("QMessageBox", yes))
        QTest.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    window.unlocked.connect(unlocked)
    def enter():
        QTest.keyClicks(panel.passphrase_edit, sys.argv[2])
        QTest.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    QTimer.singleShot(300, enter)
""" + RUN_MAIN_THEN_DRIVE


def _recovery_key(folder: Path) -> tuple[Path, Path]:
    """The municipality's recovery key pair: (public PEM, private PEM)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    public_path, private_path = folder / "recovery-public.pem", folder / "recovery-private.pem"
    public_path.write_bytes(private.public_key().public_bytes(serialization.Encoding.PEM,
                                                              serialization.PublicFormat.SubjectPublicKeyInfo))
    private_path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    return public_path, private_path


def _checked(output: str, tag: str) -> Any:
    found = tagged(output, tag)
    assert found["refused"] is True, tag  # the app's process ran with the built-in hashes
    assert "_hashlib" not in " ".join(found["mapped"]), tag
    return found


def test_the_app_process_creates_syncs_previews_changes_and_restores_with_the_built_in_hashes(
        tls_server: tuple[Env, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env, cert = tls_server
    public, private = _recovery_key(tmp_path)
    machine = tmp_path / "machine.toml"
    machine.write_text((
        f'[sync]\nserver_url = "{env.base_url}"\npinned_ca_file = "{cert}"\n'
        f'[security]\nrecovery_public_key_file = "{public}"\n'), encoding="utf-8")
    monkeypatch.setenv("HEMBESOK_MACHINE_SETTINGS", str(machine))
    profile, home = tmp_path / "profile", tmp_path / "home"

    output = run_app_script(CREATE_CONNECT_PREVIEW_CHANGE, str(profile), FIRST, env.new_code(DEMO_USER), SECOND,
                            home=home)
    _checked(output, "CREATED")
    assert _checked(output, "SYNCED")["cases"] > 0
    assert _checked(output, "PREVIEWED")["pages"][0] > 0
    _checked(output, "CHANGED")
    before = verified_audit_entries(profile, SECOND)  # the new passphrase opens it; the chain verifies here
    shutil.rmtree(backup_directory(profile))  # made at creation, before the pull: the next unlock makes one

    output = run_app_script(UNLOCK_DAMAGE_RESTORE, str(profile), SECOND, home=home)
    listed = _checked(output, "UNLOCKED")["cases"]
    assert listed > 0 and len(list_backups(profile)) == 1  # the unlock's backup, written by the app's process
    assert _checked(output, "RESTORED")["cases"] == listed
    assert len(list(database_path(profile).parent.glob("*.damaged-*"))) == 1
    assert verified_audit_entries(profile, SECOND) >= before

    # The recovery wrap the app's process made at creation opens the profile in IT's command (OpenSSL's hashes).
    recovery = subprocess.run([sys.executable, "-m", "storage.recover", "--profile", str(profile), "--private-key",
                               str(private), "--new-passphrase-stdin"], input=RECOVERED + "\n", capture_output=True,
                              text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert recovery.returncode == 0, recovery.stderr[-2000:]
    assert verified_audit_entries(profile, RECOVERED) >= before
