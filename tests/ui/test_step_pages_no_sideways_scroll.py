"""No step page scrolls sideways in the narrowest window the app allows at 20 pt (s30-look). The window's least
width came from the case and work lists alone: there the steps pane and the page shared 1,041 pixels and the case
page (its list of what is applied for, the person's fields), a life area (its Ej aktuellt reason, the others'
descriptions) and the proposal were wider than their room, so a handläggare scrolled sideways to read a field. The
window's least width now holds the steps pane's least and the widest page's least width. Walked by the keyboard:
Down through every row of the steps pane."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea
from uihelpers import open_case_by_keys, window_at


def _sideways(window: Any) -> list[str]:
    return [area.objectName() for area in window.workspace.pages.findChildren(QScrollArea)
            if area.isVisible() and area.horizontalScrollBar().isVisible()]


def test_no_step_page_scrolls_sideways_in_the_narrowest_window_at_20_points(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir, laptop_screen
) -> None:
    window = window_at(qtbot, qapp, settings, demo_profile_dir, (300, 300), 20)
    navigator = open_case_by_keys(qtbot, window, "DEMO-2026-0001")
    qtbot.waitUntil(lambda: window.width() == window.minimumSizeHint().width())  # the narrowest the app allows
    navigator.setFocus()
    navigator.setCurrentItem(navigator.topLevelItem(0))
    seen: dict[str, list[str]] = {}
    for _ in range(40):
        qapp.processEvents()
        page = window.workspace.pages.currentWidget()
        seen[navigator.currentItem().text(0)] = _sideways(window)
        before = navigator.currentItem()
        qtbot.keyClick(navigator, Qt.Key.Key_Down)
        if navigator.currentItem() is before:
            break
    assert page is not None and len(seen) > 15  # every step and life area was shown
    assert {row: areas for row, areas in seen.items() if areas} == {}
