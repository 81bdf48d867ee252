"""The case list's columns at a narrow window and after a drag (session 27).

At the narrowest window the app allows (722 px at 16 pt, 914 px at 20 pt) every column sat at its least width,
elided to "Tol…", "Ver…", "DE…", and the list still scrolled sideways. Now the least useful columns are hidden
there and the header's menu (right-click on the column titles) shows them again. A column the user dragged wider,
so that the columns overflowed, was refitted back at once; now a drag sticks and only the columns not dragged are
fitted. Both choices are kept with the other view settings, as a new window shows."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu
from uihelpers import window_at

from ui.cases.list_rows import COLUMNS

NAME, UPDATED = COLUMNS.index("name"), COLUMNS.index("updated")


def _case_list(qtbot: Any, qapp: Any, settings: Any, profile: Any, points: int, size: tuple[int, int]) -> Any:
    window = window_at(qtbot, qapp, settings, profile, size, points)
    table = window.case_list.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 3 and table.isVisible())
    return window


def _shown(table: Any) -> list[int]:
    return [c for c in range(table.model().columnCount()) if not table.isColumnHidden(c)]


def _fits(table: Any) -> bool:
    least = table.horizontalHeader().minimumSectionSize()
    widths = [table.columnWidth(c) for c in _shown(table)]
    return min(widths) >= least and sum(widths) <= table.viewport().width() and (
        table.horizontalScrollBar().maximum() == 0)


@pytest.mark.parametrize("points", [16, 20])
def test_at_the_narrowest_window_the_least_useful_columns_give_way_and_nothing_scrolls_sideways(
    qtbot: Any, qapp: Any, settings: Any, demo_profile_dir: Any, points: int
) -> None:
    window = _case_list(qtbot, qapp, settings, demo_profile_dir, points, (1, 1))  # the least the window allows
    table = window.case_list.table
    qtbot.waitUntil(lambda: window.width() == window.minimumWidth() and _fits(table))
    assert UPDATED not in _shown(table)  # Senast ändrat first
    assert {NAME, COLUMNS.index("personal_number"), COLUMNS.index("deadline")} <= set(_shown(table))
    char = table.fontMetrics().averageCharWidth()
    assert table.columnWidth(NAME) >= 9 * char  # "Tolvan T…", not "Tol…"


def _header_menu(qtbot: Any, table: Any) -> QMenu:
    header = table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(NAME) + 5, header.height() // 2)
    # The event a right-click on the titles gives (QTest's right click sends no context-menu event offscreen).
    viewport = header.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def test_a_column_hidden_for_room_is_shown_from_the_header_menu_and_stays_shown(
    qtbot: Any, qapp: Any, settings: Any, demo_profile_dir: Any
) -> None:
    window = _case_list(qtbot, qapp, settings, demo_profile_dir, 20, (1, 1))
    table = window.case_list.table
    qtbot.waitUntil(lambda: UPDATED not in _shown(table))
    menu = _header_menu(qtbot, table)
    choices = {action.text().replace("&", ""): action for action in menu.actions() if action.isCheckable()}
    assert not choices["Senast ändrat"].isChecked() and choices["Namn"].isChecked()
    assert not choices["Namn"].isEnabled()  # the name tells the rows apart: never hidden
    choices["Senast ändrat"].trigger()
    qtbot.waitUntil(lambda: UPDATED in _shown(table) and table.columnWidth(UPDATED) > 0)
    window.close()
    again = _case_list(qtbot, qapp, settings, demo_profile_dir, 20, (1, 1))
    qtbot.waitUntil(lambda: again.width() == again.minimumWidth())
    assert UPDATED in _shown(again.case_list.table)  # the choice was kept


def _drag_edge(qtbot: Any, table: Any, column: int, by: int) -> None:
    """Drag the right edge of ``column``'s title ``by`` pixels, as a person widens a column with the mouse."""
    header = table.horizontalHeader()
    edge = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge, y))
    for step in range(1, 11):
        qtbot.mouseMove(header.viewport(), QPoint(edge + by * step // 10, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(edge + by, y))


def _name_dragged_wide(qtbot: Any, qapp: Any, settings: Any, profile: Any) -> tuple[Any, int, int]:
    """The case list at 12 pt with its name column dragged half the list's width wider, more than the others can
    give: the window, the name's width before and the width dragged to."""
    window = _case_list(qtbot, qapp, settings, profile, 12, (1281, 689))
    table = window.case_list.table
    qtbot.waitUntil(lambda: _fits(table))
    before = table.columnWidth(NAME)
    wanted = before + table.viewport().width() // 2
    _drag_edge(qtbot, table, NAME, wanted - before)
    return window, before, wanted


def test_a_column_dragged_wider_than_the_room_keeps_its_width(
    qtbot: Any, qapp: Any, settings: Any, demo_profile_dir: Any
) -> None:
    window, _before, wanted = _name_dragged_wide(qtbot, qapp, settings, demo_profile_dir)
    table = window.case_list.table
    qtbot.waitUntil(lambda: abs(table.columnWidth(NAME) - wanted) <= 2)
    QApplication.processEvents()  # the overflow's refit, which took the drag back
    assert abs(table.columnWidth(NAME) - wanted) <= 2
    window.resize(1200, 644)  # a narrower window: only the columns not dragged are fitted
    qtbot.waitUntil(lambda: table.viewport().width() < 1200)
    assert abs(table.columnWidth(NAME) - wanted) <= 2
    window.close()
    again = _case_list(qtbot, qapp, settings, demo_profile_dir, 12, (1281, 689))
    assert abs(again.case_list.table.columnWidth(NAME) - wanted) <= 2  # kept like the other view settings


def test_fit_the_columns_to_the_window_forgets_the_drag(
    qtbot: Any, qapp: Any, settings: Any, demo_profile_dir: Any
) -> None:
    window, before, _wanted = _name_dragged_wide(qtbot, qapp, settings, demo_profile_dir)
    table = window.case_list.table
    qtbot.waitUntil(lambda: table.columnWidth(NAME) > before + 10)
    menu = _header_menu(qtbot, table)
    next(action for action in menu.actions() if action.objectName() == "fitColumnsAgain").trigger()
    qtbot.waitUntil(lambda: _fits(table))
    assert table.columnWidth(NAME) == before
