"""Ärende → Förhandsgranska (Ctrl+P) and Arkiv → Skriv ut (Ctrl+Shift+P) act on the case shown (s30-keys). The
workspace stays built behind the list after Ctrl+E, and both keys, enabled with the session, previewed from the
list the case last left, whichever row the handläggare had chosen there. Both are now enabled with the steps'
keys (Ctrl+1 …), while a case is shown: pressed on the list they open nothing and the menu shows them greyed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from uihelpers import unlock

from ui.printing.preview import UtredningPreviewDialog


def _press_noting_previews(window: Any, keys: str) -> list[str]:
    """Press ``keys`` on the focused widget; the window titles of the previews that opened (each closed at once:
    the preview's exec() runs inside the key press)."""
    opened: list[str] = []

    def close_a_preview() -> None:
        for dialog in window.findChildren(UtredningPreviewDialog):
            if dialog.isVisible():
                opened.append(dialog.windowTitle())
                dialog.reject()

    watcher = QTimer()
    watcher.timeout.connect(close_a_preview)
    watcher.start(10)
    try:
        QTest.keySequence(QApplication.focusWidget() or window, QKeySequence(keys))
        QApplication.processEvents()
    finally:
        watcher.stop()
    return opened


def test_preview_keys_on_the_list_preview_no_case_left_behind_it(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table = window.case_list.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.stack.currentWidget() is window.workspace)
    assert _press_noting_previews(window, "Ctrl+P"), "Ctrl+P previews the case shown"

    window.activateWindow()  # what a window manager does when the preview closes; offscreen has none
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keySequence(QApplication.focusWidget() or window, QKeySequence("Ctrl+E"))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.case_list)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # another row chosen in the list
    for keys in ("Ctrl+P", "Ctrl+Shift+P"):
        assert _press_noting_previews(window, keys) == [], f"{keys} on the list previewed the case left"
    assert not window.action_preview.isEnabled() and not window.action_print.isEnabled()
    assert not any(dialog.isVisible() for dialog in window.findChildren(QDialog))
