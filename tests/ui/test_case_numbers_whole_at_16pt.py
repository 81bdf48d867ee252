"""The case list at 16 pt on a 1366×768 screen shows each case number whole (session 27): shared by weight, the
column elided them to "DEMO-2…", and Tolvan's two cases (one person, same personnummer) read alike but for a cut
status. The case number now has the width of a usual one while the other columns keep their least width. The
"Att göra" work list above it (Ctrl+T) too (s27-todo16), at 16 and 20 pt on both screens the layout probe checks,
with no sideways scroll; and both lists refit their columns as the window widens."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import window_at

from ui.cases.list_rows import COLUMNS


def test_every_case_number_in_the_case_list_is_whole_at_16_points(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir
) -> None:
    window = window_at(qtbot, qapp, settings, demo_profile_dir, (1366, 768), 16)
    table = window.case_list.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    column = COLUMNS.index("case_number")
    metrics = table.fontMetrics()
    numbers = [table.model().index(row, column).data(Qt.ItemDataRole.DisplayRole) for row in range(3)]
    assert sorted(numbers) == ["DEMO-2025-0117", "DEMO-2026-0001", "DEMO-2026-0002"]
    needed = max(metrics.horizontalAdvance(number) for number in numbers) + metrics.averageCharWidth()  # margins
    assert table.columnWidth(column) >= needed, (table.columnWidth(column), needed)
    assert table.horizontalScrollBar().maximum() == 0  # and the list does not scroll sideways for it
    window.session.lock()



# The window the app opens at (ui.common.screen_fit, 95 % of the screen, as tests/ui/layout_probe.py measures it) on
# a 1366×768 screen at 100 % and on a 1920×1080 one at 150 % (1280×720 logical).
ON_1366X768 = (1281, 689)
ON_1920X1080_AT_150 = (1200, 644)


def _work_list_by_ctrl_t(qtbot: Any, qapp: Any, settings: Any, profile: Any, size: tuple[int, int], points: int) -> Any:
    """The window at ``size`` and ``points``, the work list shown and focused by Ctrl+T."""
    window = window_at(qtbot, qapp, settings, profile, size, points)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    table = window.case_list.work.table
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table and table.model().rowCount() >= 2)
    return window


def _case_numbers_whole(qtbot: Any, window: Any, whole: bool = True) -> bool:
    """In the work list each case number whole (unless not ``whole``), every shown column at least its least width
    (a narrow window hides the least useful ones, tests/ui/test_case_list_columns_give_way.py), and no sideways
    scroll; whether the case numbers are whole."""
    from ui.cases.column_fit import WORK_LIST_WEIGHTS

    return _fitted(qtbot, window.case_list.work.table, list(WORK_LIST_WEIGHTS).index("case_number"), whole)


def _fitted(qtbot: Any, table: Any, column: int, whole: bool) -> bool:
    metrics = table.fontMetrics()
    numbers = {table.model().index(row, column).data(Qt.ItemDataRole.DisplayRole)
               for row in range(table.model().rowCount())}
    assert {"DEMO-2025-0117", "DEMO-2026-0002"} <= numbers, numbers  # Tolvan's two cases
    needed = max(metrics.horizontalAdvance(number) for number in numbers) + metrics.averageCharWidth()  # margins
    least = table.horizontalHeader().minimumSectionSize()

    def fitted() -> bool:
        widths = [table.columnWidth(c) for c in range(table.model().columnCount()) if not table.isColumnHidden(c)]
        fits = min(widths) >= least and sum(widths) <= table.viewport().width()
        whole_enough = table.columnWidth(column) >= needed or not whole
        return fits and whole_enough and not table.horizontalScrollBar().isVisible()

    qtbot.waitUntil(fitted)  # laid out as the window is shown; fails where it stays elided or wider than the table
    return table.columnWidth(column) >= needed


@pytest.mark.parametrize(
    ("size", "points"),
    [(ON_1366X768, 16), (ON_1920X1080_AT_150, 16), (ON_1366X768, 20), (ON_1920X1080_AT_150, 20)],
    ids=["1366x768-16pt", "1920x1080-150%-16pt", "1366x768-20pt", "1920x1080-150%-20pt"],
)
def test_the_work_list_shows_whole_case_numbers_and_does_not_scroll_sideways(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir, size: tuple[int, int], points: int
) -> None:
    """At 16 pt Tolvan's two rows read "DEMO-202…" alike, as the case list's did before s27-look. At 20 pt at 150 %
    s27-rlook's case-number width made the list scroll sideways: its first fit, to a natural width, was never redone
    at the table's own width (the scroll bar's range, counted in columns, came out the same)."""
    _case_numbers_whole(qtbot, _work_list_by_ctrl_t(qtbot, qapp, settings, demo_profile_dir, size, points))


def test_the_case_list_shows_whole_case_numbers_once_the_window_is_widened(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir
) -> None:
    """Shown narrow, the least useful columns give way (Senast ändrat first); widened, the columns are refitted,
    the hidden ones shown again and the case number whole (they were refitted only when wider than the table, so
    a case number shared by weight stayed elided)."""
    window = _work_list_by_ctrl_t(qtbot, qapp, settings, demo_profile_dir, (860, 644), 16)
    table, column = window.case_list.table, COLUMNS.index("case_number")
    _fitted(qtbot, table, column, whole=False)
    assert table.isColumnHidden(COLUMNS.index("updated"))  # too narrow for it beside the others
    window.resize(1500, 800)  # on 1366×768 Senast ändrat gives way to the names whole (s30-look)
    qtbot.waitUntil(lambda: not any(table.isColumnHidden(c) for c in range(len(COLUMNS))))
    _fitted(qtbot, table, column, whole=True)
