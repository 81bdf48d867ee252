"""The question at quit when the latest changes could not be saved ("Inte sparat": Stäng or Avbryt) answers Enter
with Avbryt: Stäng loses what was typed, so it is never what a key pressed by habit chooses (the window stays open
and the change is saved once the disk has room again)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from test_dialog_tab_order_buttons import unsaved_on_a_full_disk
from test_keyboard_only import in_dialog, shortcut


def test_enter_at_the_quit_question_keeps_the_window_and_the_change(qtbot: Any, demo_window: Any,
                                                                     monkeypatch: Any) -> None:
    workspace = unsaved_on_a_full_disk(qtbot, demo_window, monkeypatch)
    seen: list[Any] = []

    def press_enter(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        seen.append(dialog.standardButton(dialog.defaultButton()))
        QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())

    in_dialog(qtbot, "QMessageBox", lambda: shortcut("Ctrl+Q"), press_enter)
    assert seen == [QMessageBox.StandardButton.Cancel]
    assert demo_window.isVisible() and workspace.has_unsaved_changes
    with qtbot.waitSignal(workspace.saved, timeout=10_000):
        monkeypatch.undo()  # room on the disk again: the retry stores the change
