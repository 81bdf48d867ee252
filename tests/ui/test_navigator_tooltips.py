"""The steps pane is narrow: at 16 pt its rows were cut ("Lärande och att till…", "d450 Gå: Lätt svåri…",
"4. Bedömning och fö…") with nothing to read the rest by (session 27). Each row's whole text is now its tooltip,
read as the pane shows it after a case is opened from the list by keys."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from uihelpers import unlock

from ui.cases.list_rows import COLUMNS
from ui.workspace.navigator import STATE_MARKS


def _rows(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = [child for i in range(item.childCount()) if (child := item.child(i)) is not None]
    return [item, *(row for child in children for row in _rows(child))]


def test_every_row_of_the_steps_pane_has_its_whole_text_as_tooltip(qtbot: Any, demo_window: Any) -> None:
    unlock(qtbot, demo_window)
    table = demo_window.case_list.table
    column = COLUMNS.index("case_number")
    row = next(r for r in range(table.model().rowCount())
               if table.model().index(r, column).data() == "DEMO-2026-0001")  # the one with delområden
    table.setFocus()
    table.selectRow(row)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: demo_window.workspace is not None)
    navigator = demo_window.workspace.navigator
    qtbot.waitUntil(lambda: navigator.topLevelItem(0).text(0)[0] in STATE_MARKS.values())  # the case is shown
    rows = [row for i in range(navigator.topLevelItemCount()) for row in _rows(navigator.topLevelItem(i))]
    assert any(row.text(0).endswith("Lärande och att tillämpa kunskap") for row in rows)
    assert any(" Gå: " in row.text(0) for row in rows)  # a delområde row of Förflyttning
    assert [row.toolTip(0) for row in rows] == [row.text(0) for row in rows]
