"""Finding 1 of issue 11: from an open case, Ctrl+E and Arkiv › Ärendelista go back to the full case list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from uihelpers import type_text, unlock


def _open_greta(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    type_text(window.case_list.search, "greta")
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.workspace


def _menu_action(window, menu_title: str, text: str):  # type: ignore[no-untyped-def]
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title().replace("&", "") == menu_title)
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def _assert_full_list(window) -> None:  # type: ignore[no-untyped-def]
    assert window.stack.currentWidget() is window.case_list
    assert window.case_list.model.rowCount() == 3
    assert window.windowTitle() == "Hembesök"


def test_ctrl_e_from_an_open_case_shows_the_whole_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _open_greta(qtbot, demo_window)
    qtbot.keyClick(demo_window.workspace.navigator, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    _assert_full_list(demo_window)


def test_file_menu_case_list_from_an_open_case_shows_the_whole_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _open_greta(qtbot, demo_window)
    _menu_action(demo_window, "Arkiv", "Ärendelista").trigger()
    _assert_full_list(demo_window)
