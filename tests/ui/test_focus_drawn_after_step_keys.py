"""The field the step keys focus is drawn focused (s30-keys). Ctrl+1 … Ctrl+6 put the focus in the step's first
field, but with a reason that did not mark the window as reached by keys, so Qt's style drew no focus there
until the first Tab: after Ctrl+3, Kartläggning's Ej aktuellt check box had the focus and looked as if it had
none. The keys are pressed in a window that has never seen a Tab; the focused widget must paint otherwise than the
same widget without the focus."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from uihelpers import unlock


def _looks_focused(widget: QWidget) -> bool:
    """Whether ``widget`` paints differently with its focus than without it."""
    window = widget.window()
    marked = window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)  # unmarked by the focus moved here
    focused = widget.grab().toImage()
    widget.clearFocus()
    QApplication.processEvents()
    unfocused = widget.grab().toImage()
    widget.setFocus()
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, marked)
    return _pixels(focused) != _pixels(unfocused)


def _pixels(image: QImage) -> bytes:
    converted = image.convertToFormat(QImage.Format.Format_ARGB32)
    return bytes(converted.constBits())


def _open_a_case(qtbot: Any, window: Any) -> None:
    unlock(qtbot, window)  # the passphrase typed and Enter: no Tab
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.case_list.table.setFocus(Qt.FocusReason.OtherFocusReason)  # not by keys: the window stays unmarked
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.stack.currentWidget() is window.workspace)


def test_each_step_key_draws_the_focus_on_its_first_field(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    _open_a_case(qtbot, window)
    not_drawn = []
    for number in range(1, 7):
        QTest.keySequence(QApplication.focusWidget() or window, QKeySequence(f"Ctrl+{number}"))
        focused = QApplication.focusWidget()
        assert focused is not None and window.workspace.pages.currentWidget().isAncestorOf(focused)
        if not _looks_focused(focused):
            not_drawn.append(f"Ctrl+{number}: {focused.objectName()}")
    assert not_drawn == [], "focused without being drawn so"
