"""Down in the case list's search goes to the matches (s30-keys): it did nothing, and the table was three Tabs
away, past Nytt ärende… and Att göra. The row it lands on is the one Enter in the search opens; Enter there opens
that case."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock


def test_down_from_the_search_reaches_the_matches_and_enter_opens_the_one_chosen(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.case_list
    assert QApplication.focusWidget() is page.search
    type_text(page.search, "DEMO-2026")
    qtbot.waitUntil(lambda: page.shown.rowCount() == 2)
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    qtbot.keyClick(page.table, Qt.Key.Key_Down)  # the second match
    chosen = page.shown.case_id(page.table.currentIndex().row())
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.stack.currentWidget() is window.workspace)
    assert window.workspace.opened.case.id == chosen
    assert page.search.text() == "DEMO-2026"  # nothing typed lost on the way
