"""The "Att göra" list at 20 pt in the narrowest window the app allows (s29-look): the names were elided to "Tol…"
and "Gre…" beside the due dates and the case numbers, so a handläggare could not tell whose the work was. The list
now gives up what is due ("Vad", which the reason says again) and then the reason (still the row's tooltip) before
the name, and the window's least width holds the due date, the case number and the name whole."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import window_at

from ui.cases.column_fit import WORK_LIST_WEIGHTS

NARROWEST = (300, 300)  # below the window's least size: Qt keeps it at that


def _whole(table: Any, key: str) -> list[tuple[str, int, int]]:
    """(text, needed, width) of each of the column's cells that is not whole."""
    column = list(WORK_LIST_WEIGHTS).index(key)
    metrics = table.fontMetrics()
    texts = {table.model().index(row, column).data(Qt.ItemDataRole.DisplayRole)
             for row in range(table.model().rowCount())}
    width = table.columnWidth(column)
    return [(text, metrics.horizontalAdvance(text) + metrics.averageCharWidth(), width) for text in sorted(texts)
            if table.isColumnHidden(column) or metrics.horizontalAdvance(text) + metrics.averageCharWidth() > width]


def _at(qtbot: Any, qapp: Any, settings: Any, profile: Any, points: int) -> Any:
    window = window_at(qtbot, qapp, settings, profile, NARROWEST, points)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    table = window.case_list.work.table
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table and table.model().rowCount() >= 2)
    return window


def test_every_name_in_the_work_list_is_whole_at_20_points_in_the_narrowest_window(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir, laptop_screen
) -> None:
    window = _at(qtbot, qapp, settings, demo_profile_dir, 20)
    table = window.case_list.work.table
    assert window.width() == window.minimumSizeHint().width()  # the narrowest the app allows
    names = {table.model().index(r, list(WORK_LIST_WEIGHTS).index("name")).data() for r in range(5)}
    assert {"Tolvan Tolvansson", "Greta Provsson"} <= names, names
    qtbot.waitUntil(lambda: not _whole(table, "name") and not _whole(table, "case_number") and not _whole(table, "due"))
    assert not table.horizontalScrollBar().isVisible()


def test_the_work_list_shows_every_column_again_where_there_is_room(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir
) -> None:
    """At 16 pt in a usual window (1366×768) nothing is given up: the names whole beside what and why."""
    window = _at(qtbot, qapp, settings, demo_profile_dir, 16)
    window.resize(1281, 689)
    table = window.case_list.work.table
    qtbot.waitUntil(lambda: not any(table.isColumnHidden(c) for c in range(table.model().columnCount()))
                    and not _whole(table, "name"))
    assert not table.horizontalScrollBar().isVisible()
