"""Synk › Synkkonflikter… with nothing to resolve (session 27): the dialog was an empty list and three greyed
buttons, with no word and no way out on screen (only Esc or the title bar closed it). It now says there are no
conflicts and has a Stäng button, which closes it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QTreeWidget
from uihelpers import in_modal, unlock


def test_the_conflict_dialog_with_nothing_to_resolve_says_so_and_closes_by_its_button(
    qtbot: Any, demo_window: Any
) -> None:
    unlock(qtbot, demo_window)
    seen: dict[str, Any] = {}

    def look(dialog: Any) -> None:
        tree = dialog.findChild(QTreeWidget, "conflictList")
        seen["rows"] = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
        close = dialog.findChild(QPushButton, "conflictCloseButton")
        seen["close"] = close.text().replace("&", "") if close is not None and close.isVisible() else None
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        seen["closed"] = not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected

    in_modal("conflictDialog", demo_window.action_conflicts.trigger, look)
    assert seen["rows"] == ["Inga konflikter att lösa."]
    assert seen["close"] == "Stäng"
    assert seen["closed"]


def test_the_no_conflicts_row_cannot_be_chosen_and_nothing_offers_to_resolve_it(qtbot: Any, demo_window: Any) -> None:
    """Session 27 left the "Inga konflikter att lösa." row selectable like a conflict, with Behåll min and Ta
    deras beside it: a click or the arrow keys chose it. It cannot be chosen now, no choice is offered, the focus
    is on Stäng and Enter closes the dialog."""
    unlock(qtbot, demo_window)
    seen: dict[str, Any] = {}

    def look(dialog: Any) -> None:
        tree = dialog.findChild(QTreeWidget, "conflictList")
        qtbot.waitUntil(lambda: getattr(QApplication.focusWidget(), "window", lambda: None)() is dialog)
        seen["focus"] = QApplication.focusWidget().objectName()
        row = tree.topLevelItem(0)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(row).center())
        tree.setFocus()
        qtbot.keyClick(tree, Qt.Key.Key_Down)
        qtbot.keyClick(tree, Qt.Key.Key_Space)
        seen["selected"] = [item.text(0) for item in tree.selectedItems()]
        seen["offered"] = [b.text() for b in dialog.findChildren(QPushButton)
                           if b.isVisible() and b.objectName() != "conflictCloseButton"]
        qtbot.keyClick(tree, Qt.Key.Key_Return)
        seen["closed"] = not dialog.isVisible()

    in_modal("conflictDialog", demo_window.action_conflicts.trigger, look)
    assert seen["focus"] == "conflictCloseButton"
    assert seen["selected"] == []
    assert seen["offered"] == []
    assert seen["closed"]
