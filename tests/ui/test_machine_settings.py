"""Settings IT fixes for the whole computer (a machine-wide TOML file): they win over the user's, the settings
dialog shows them read-only with a note, and a new profile is wrapped to the recovery key IT set."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from uihelpers import CASEWORKER, PASSPHRASE, type_text

from ibic.limits import SHORT_TEXT_MAX
from storage.keyfile import public_key_fingerprint, read_key_file
from storage.layout import key_file_path
from ui.settings import (
    IDLE_LOCK_MINUTES,
    ISSUING_UNIT,
    MACHINE_SETTINGS_VARIABLE,
    PINNED_CA_FILE,
    SERVER_URL,
    TEXT_SIZE,
    AppSettings,
)
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def machine_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "machine" / "settings.toml"
    path.parent.mkdir()
    monkeypatch.setenv(MACHINE_SETTINGS_VARIABLE, str(path))
    return path


def _dialog(qtbot, settings: AppSettings) -> SettingsDialog:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _press_ok(qtbot, dialog: SettingsDialog) -> None:  # type: ignore[no-untyped-def]
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_fixed_settings_are_shown_read_only_with_a_note_and_win_over_the_users(qtbot, machine_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    machine_file.write_text(
        '[sync]\nserver_url = "https://synk.kommun.example.invalid"\n[security]\nidle_lock_minutes = 5\n',
        encoding="utf-8",
    )
    user_file = str(tmp_path / "user.ini")
    before = AppSettings(user_file)
    before.set(SERVER_URL, "https://min-egen.example.invalid")  # refused: IT's value stays
    before.sync()
    dialog = _dialog(qtbot, AppSettings(user_file))
    assert dialog.server.text() == "https://synk.kommun.example.invalid"
    assert dialog.idle.value() == 5
    for widget in (dialog.server, dialog.idle):
        assert widget.isReadOnly() and not widget.isEnabled()
    assert dialog.fixed_note.isVisible()
    assert not dialog.pinned_ca.isReadOnly() and dialog.pinned_ca.isEnabled()  # not fixed: the user's to choose
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(16))
    _press_ok(qtbot, dialog)
    assert not dialog.isVisible()
    reopened = AppSettings(user_file)
    assert reopened.get(TEXT_SIZE) == 16
    assert reopened.get(SERVER_URL) == "https://synk.kommun.example.invalid"
    assert reopened.get(IDLE_LOCK_MINUTES) == 5


def test_without_a_machine_file_every_field_is_the_users(qtbot, machine_file, settings) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, settings)
    assert not dialog.fixed_note.isVisible()
    type_text(dialog.server, "https://synk.example.invalid")
    _press_ok(qtbot, dialog)
    assert settings.get(SERVER_URL) == "https://synk.example.invalid"


def test_a_wrong_value_or_a_broken_file_fixes_nothing_and_the_app_still_opens(qtbot, machine_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    machine_file.write_text('[security]\nidle_lock_minutes = "tio"\n[sync]\npinned_ca_file = 7\n', encoding="utf-8")
    dialog = _dialog(qtbot, AppSettings(str(tmp_path / "a.ini")))
    assert dialog.idle.isEnabled() and dialog.pinned_ca.isEnabled() and not dialog.fixed_note.isVisible()
    machine_file.write_text("[sync\nserver_url = ", encoding="utf-8")
    dialog = _dialog(qtbot, AppSettings(str(tmp_path / "b.ini")))
    assert dialog.server.isEnabled() and not dialog.fixed_note.isVisible()


def test_a_unit_longer_than_a_case_holds_fixes_nothing_and_the_users_unit_stays(qtbot, machine_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Fixed, it made every new case (Ctrl+N, OK) end in an unexpected error: ignored and logged instead."""
    machine_file.write_text(f'[documents]\nunit = "{"Å" * (SHORT_TEXT_MAX + 1)}"\n', encoding="utf-8")
    settings = AppSettings(str(tmp_path / "a.ini"))
    assert not settings.is_fixed(ISSUING_UNIT) and settings.get(ISSUING_UNIT) == ""
    dialog = _dialog(qtbot, settings)
    assert dialog.unit.isEnabled() and dialog.unit.text() == "" and not dialog.fixed_note.isVisible()


def test_a_fixed_ca_file_is_not_checked_against_the_users_disk(qtbot, machine_file, tmp_path) -> None:  # type: ignore[no-untyped-def]
    machine_file.write_text('[sync]\npinned_ca_file = "/etc/hembesok/kommun-ca.pem"\n', encoding="utf-8")
    settings = AppSettings(str(tmp_path / "user.ini"))
    dialog = _dialog(qtbot, settings)
    _press_ok(qtbot, dialog)
    assert not dialog.isVisible()  # saved although the file is not on this test machine
    assert settings.get(PINNED_CA_FILE) == "/etc/hembesok/kommun-ca.pem"


def test_a_new_profile_is_wrapped_to_the_recovery_key_it_fixed(qtbot, machine_file, tmp_path, profile_dir) -> None:  # type: ignore[no-untyped-def]
    from storage.kdf import KdfParameters
    from ui.main_window import MainWindow, StartOptions

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = tmp_path / "recovery.pem"
    pem.write_bytes(private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ))
    machine_file.write_text(f"[security]\nrecovery_public_key_file = {str(pem)!r}\n", encoding="utf-8")
    settings = AppSettings(str(tmp_path / "user.ini"))
    dialog = _dialog(qtbot, settings)
    assert dialog.recovery_key.text() == str(pem) and not dialog.recovery_key.isEnabled()
    main = MainWindow(settings, StartOptions(profile_dir=profile_dir, kdf=KdfParameters()))
    qtbot.addWidget(main)
    main.show()
    panel = main.unlock_panel
    type_text(panel.name_edit, CASEWORKER)
    type_text(panel.passphrase_edit, PASSPHRASE)
    type_text(panel.confirm_edit, PASSPHRASE)
    with qtbot.waitSignal(main.unlocked, timeout=20_000):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    main.session.lock()
    recovery = read_key_file(key_file_path(profile_dir)).recovery
    assert recovery is not None
    assert recovery.key_sha256 == public_key_fingerprint(private_key.public_key())
