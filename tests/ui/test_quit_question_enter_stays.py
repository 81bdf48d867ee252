"""The question at quit when the latest changes could not be saved ("Inte sparat": Stäng or Avbryt) answers Enter
with Avbryt: Stäng loses what was typed, so it is never what a key pressed by habit chooses (the window stays open
and the change is saved once the disk has room again)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from test_keyboard_only import in_dialog, shortcut, tab_to, write
from test_sub_areas import _open_case
from uihelpers import unlock


def test_enter_at_the_quit_question_keeps_the_window_and_the_change(qtbot: Any, demo_window: Any,
                                                                     monkeypatch: Any) -> None:
    from storage.errors import DiskFull

    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0002")
    shortcut("Ctrl+3")
    tab_to("ownDescription")
    monkeypatch.setattr(workspace.session, "save", lambda *_: (_ for _ in ()).throw(DiskFull()))  # the disk is full
    write("x")  # a change that cannot be saved
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
