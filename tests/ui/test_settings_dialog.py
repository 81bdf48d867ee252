"""Settings: declared defaults, stored in QSettings, applied to the idle lock; nothing personal stored."""

from __future__ import annotations

from pathlib import Path

from uihelpers import type_text

from ui.settings import IDLE_LOCK_MINUTES, LANGUAGE, SERVER_URL, TEXT_SIZE
from ui.settings_dialog import SettingsDialog


def test_defaults_are_the_declared_ones(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.get(IDLE_LOCK_MINUTES) == 10
    assert settings.get(LANGUAGE) == "sv"
    assert settings.get(TEXT_SIZE) == 12


def test_dialog_stores_the_choices(qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.idle.setValue(3)
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(16))
    type_text(dialog.server, "https://synk.example.invalid")
    dialog._save()
    assert settings.get(IDLE_LOCK_MINUTES) == 3
    assert settings.get(TEXT_SIZE) == 16
    assert settings.get(SERVER_URL) == "https://synk.example.invalid"


def test_a_garbled_setting_falls_back_to_its_default(settings) -> None:  # type: ignore[no-untyped-def]
    settings.set(IDLE_LOCK_MINUTES, "tio")
    assert settings.get(IDLE_LOCK_MINUTES) == 10


def test_settings_file_holds_no_personal_data_after_a_session(qtbot, demo_window, settings) -> None:  # type: ignore[no-untyped-def]
    from uihelpers import unlock

    unlock(qtbot, demo_window)
    demo_window.open_case(demo_window.session.summaries()[0].case_id)
    demo_window.close()
    settings.sync()
    text = Path(settings.file_name).read_bytes()
    for marker in (b"Tolvan", b"Greta", b"1912", b"1986", b"DEMO-"):
        assert marker not in text


def test_a_pinned_ca_that_does_not_exist_is_refused_and_nothing_is_stored(qtbot, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ui.settings import PINNED_CA_FILE

    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    type_text(dialog.pinned_ca, str(tmp_path / "saknas.pem"))
    dialog._save()
    assert "Certifikatfilen finns inte" in dialog.ca_error.text()
    assert settings.get(PINNED_CA_FILE) == ""
    ca = tmp_path / "kommun-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    dialog.pinned_ca.clear()
    type_text(dialog.pinned_ca, str(ca))
    dialog._save()
    assert settings.get(PINNED_CA_FILE) == str(ca)


def test_a_unit_longer_than_a_case_holds_is_refused_and_nothing_is_stored(qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    """The unit is written into every new case (ibic.limits.SHORT_TEXT_MAX); stored longer, every later Ctrl+N
    ended in an unexpected error when OK was pressed."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QDialogButtonBox

    from ibic.limits import SHORT_TEXT_MAX
    from ui.settings import ISSUING_UNIT

    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.unit.setFocus()
    QGuiApplication.clipboard().setText("Biståndsenheten " * (SHORT_TEXT_MAX // 16 + 1))
    qtbot.keyClick(dialog.unit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.unit_error.text() == "Texten är för lång: högst 500 tecken."
    assert settings.get(ISSUING_UNIT) == ""
    assert len(dialog.unit.text()) > SHORT_TEXT_MAX  # kept as typed
