"""Enter in the draft utredning's preview (session 28's look): with no default button of its own, Qt made the first
tool button, Föregående sida, the default, so Enter on the page (the focus is there) turned a page back. Stäng is
the default now, as in every other dialog: Enter closes the preview, as Esc does, and turns no page."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton
from uihelpers import in_modal, unlock


def test_enter_in_the_preview_closes_it_and_turns_no_page(qtbot: Any, demo_window: Any) -> None:
    window = demo_window
    unlock(qtbot, window)
    window.open_case(window.case_list.model.summary(0).case_id)
    seen: dict[str, Any] = {}

    def act(dialog: Any) -> None:
        qtbot.waitUntil(lambda: dialog.busy.isHidden() and dialog.next_button.isEnabled(), timeout=30_000)
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        seen["page"] = dialog.view.pageNavigator().currentPage()
        dialog.view.setFocus()
        pressed: list[str] = []
        for button in dialog.findChildren(QPushButton):
            button.clicked.connect(partial(pressed.append, button.objectName()))
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
        seen["pressed"] = pressed
        seen["closed"] = not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected

    ctrl_p = partial(qtbot.keyClick, window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    in_modal("utredningPreviewDialog", ctrl_p, act)  # modal: returns when closed
    assert seen["page"] == 1
    assert seen["pressed"] == ["closeButton"]  # not previousPageButton
    assert seen["closed"]
