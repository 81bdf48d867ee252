"""Inställningar closed by a lock opens again after the unlock with what was typed in it (s35-probelock).

The lock closes every dialog over the window (the idle lock, or Ctrl+L in the dialog); Ny ärende came back as typed,
Inställningar did not: the contact details, unit and minutes typed were gone, and nothing said so. They hold nothing
of a person (the handläggare's own work details), so they are kept in memory and typed back into the dialog, which
opens again after the unlock; OK then stores them. Reached as a person does: Ctrl+, in the unlocked window, the
fields typed, Ctrl+L in the dialog, the unlock, Enter. Fails without the fix: no dialog opened again, nothing stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from test_lock_key_in_dialogs import _in_dialog, _press_lock
from uihelpers import type_text, unlock, when_shown

from ui.settings import CASEWORKER_CONTACT, IDLE_LOCK_MINUTES, ISSUING_UNIT

CONTACT = "0123-456 78, handlaggare.test@kommun.se"
UNIT = "Biståndsenheten Norr"


def _typed_then_locked(dialog) -> None:  # type: ignore[no-untyped-def]
    """The minutes, the unit and the contact details typed (each field selected whole first), then Ctrl+L."""
    for field, text in ((dialog.idle.lineEdit(), "12"), (dialog.unit, UNIT), (dialog.contact, CONTACT)):
        field.setFocus()
        QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(field, text)
    _press_lock(dialog)


def test_settings_typed_when_the_lock_came_open_again_after_the_unlock(qtbot, demo_window, settings) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    _in_dialog(_typed_then_locked)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)  # Arkiv › Inställningar…
    assert not [d for d in window.findChildren(QDialog) if d.isVisible()], "the lock screen shows no dialog"
    assert settings.get(CASEWORKER_CONTACT) == "", "nothing stored by the lock"

    shown_again: list[tuple[str, str, int]] = []

    def read_then_ok(dialog) -> None:  # type: ignore[no-untyped-def]
        shown_again.append((dialog.contact.text(), dialog.unit.text(), dialog.idle.value()))
        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)  # OK, the default

    when_shown("settingsDialog", read_then_ok)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: bool(shown_again), timeout=10_000)  # before the fix it never opened
    assert shown_again == [(CONTACT, UNIT, 12)]
    qtbot.waitUntil(lambda: settings.get(CASEWORKER_CONTACT) == CONTACT, timeout=5_000)
    assert (settings.get(ISSUING_UNIT), settings.get(IDLE_LOCK_MINUTES)) == (UNIT, 12)
