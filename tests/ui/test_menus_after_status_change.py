"""The window's menus open after a case's status was changed by keys (s33-conflict found them broken, on main too).

The status change rebuilds the status row's buttons; the focus, leaving the button pressed, walked the window's
focus chain in Python (``ReadingOrderPages._outside``), and PySide made each wrapper walked a child of the one
before it. When the pressed button was deleted, the wrappers after it, the main window's menus among them, were
invalidated though their widgets lived: the next menu opened raised "Internal C++ object (QMenu) already deleted"
(``ui.menu_reasons._opening``), shown as an error box.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QPushButton
from shiboken6 import isValid
from uihelpers import open_case_by_keys, unlock

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def _letter(text: str) -> Qt.Key:
    return Qt.Key(ord(text[text.index("&") + 1].upper()))


def test_every_menu_opens_by_its_letter_after_a_status_change_by_keys(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    open_case_by_keys(qtbot, window, "DEMO-2025-0117")  # in verkställighet: it may go back to utredning
    qtbot.keyClick(window.workspace, Qt.Key.Key_1, CTRL)
    page = window.workspace.case_page
    qtbot.waitUntil(page.isVisible)
    # The row's buttons shown now (a rebuilt row's old ones are hidden until their deletion)
    pressed = next(b for b in page.findChildren(QPushButton, "status_investigation") if b.isVisible())
    pressed.setFocus()
    qtbot.keyClick(pressed, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not isValid(pressed), timeout=10_000)  # the row rebuilt, the pressed button deleted
    assert window.workspace.opened.case.status.value == "investigation"

    for action in window.menuBar().actions():
        qtbot.keyClick(QApplication.focusWidget(), _letter(action.text()), ALT)
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        menu = QApplication.activePopupWidget()
        assert menu is action.menu() and menu.actions()
        qtbot.keyClick(menu, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
