"""A samordningsnummer typed on the Ärendet step is printed under "Samordningsnummer", the label on one line, in the
draft utredning opened with Ctrl+P: it was printed under "Personnummer" (s32-probe), and the longer label then broke
as "Samordningsnu / mmer" in the title block (s32's read-back). The number is the test personnummer 19121212-1212's
day moved by 60 with its check digit, on the demo's fictitious person."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_draft_issuer import draft_text
from uihelpers import type_text, unlock


def test_a_samordningsnummer_is_printed_as_one(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2026-0001")
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: demo_window.workspace is not None and demo_window.workspace.opened is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    field = demo_window.workspace.case_page.person.personal_number
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(field, "19121272-1003")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: demo_window.workspace.opened.person.personal_number == "191212721003")
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow)
    text = draft_text(qtbot, demo_window)
    assert "Samordningsnummer 19121272-1003" in text
    assert "Personnummer" not in text
