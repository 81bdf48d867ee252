"""Synk › Synkkonflikter… with nothing to resolve (session 27): the dialog was an empty list and three greyed
buttons, with no word and no way out on screen (only Esc or the title bar closed it). It now says there are no
conflicts and has a Stäng button, which closes it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QTreeWidget
from uihelpers import unlock


def test_the_conflict_dialog_with_nothing_to_resolve_says_so_and_closes_by_its_button(
    qtbot: Any, demo_window: Any
) -> None:
    unlock(qtbot, demo_window)
    seen: dict[str, Any] = {}

    def look() -> None:
        dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "conflictDialog" and w.isVisible()]
        if not dialogs:
            QTimer.singleShot(20, look)
            return
        dialog = dialogs[0]
        tree = dialog.findChild(QTreeWidget, "conflictList")
        seen["rows"] = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
        close = dialog.findChild(QPushButton, "conflictCloseButton")
        seen["close"] = close.text() if close is not None and close.isVisible() else None
        if close is None:
            dialog.reject()  # the test fails below; the dialog must not stay open over the next tests
            return
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        seen["closed"] = not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected

    QTimer.singleShot(0, look)
    demo_window.action_conflicts.trigger()  # modal: returns when the dialog is closed
    assert seen["rows"] == ["Inga konflikter att lösa."]
    assert seen["close"] == "Stäng"
    assert seen["closed"]
