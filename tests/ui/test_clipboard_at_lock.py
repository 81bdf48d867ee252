"""A lock takes back what was copied from the app's own fields (Ctrl+C or Ctrl+X in a description, a name): after
the lock, a paste anywhere on the computer must not show a person's text. On main only the underlag dialog's own
"copy" was taken back; text copied from a field stayed on the clipboard through the lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from test_sub_areas import _keys, _open_case
from uihelpers import type_text, unlock


def test_text_copied_from_a_field_is_off_the_clipboard_after_the_lock(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    _keys("Ctrl+3")
    field = workspace.area_form.own
    field.setFocus()
    type_text(field, " Tolvan vill duscha själv")
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    clipboard = QGuiApplication.clipboard()
    assert "Tolvan vill duscha själv" in clipboard.text()
    _keys("Ctrl+L")
    assert demo_window.session is None
    assert clipboard.text() == ""


def test_what_another_program_copied_stays_on_the_clipboard(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _open_case(qtbot, demo_window, "DEMO-2026-0001")
    demo_window.activateWindow()
    QGuiApplication.clipboard().setText("copied in another program")  # no widget of the app copied it
    _keys("Ctrl+L")
    assert QGuiApplication.clipboard().text() == "copied in another program"
