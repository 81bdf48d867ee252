"""Issue 14: the case list's fast paths keep what the list shows. The cells are painted by ``CellDelegate`` (one
Python call a cell) with the same colours as before, and a listing's rows are built on the worker that read them,
not on the UI thread (timing lives in bench/bench_caselist.py)."""

from __future__ import annotations

import threading

from PySide6.QtGui import QColor, QPalette
from uihelpers import type_text, unlock

import ui.cases.list_rows as list_rows
import ui.cases.table_model as table_model
import ui.cases.work_list as work_list
from ui.cases.list_rows import COLUMNS
from ui.cases.table_model import URGENCY_COLOURS


def _cell_image(table, row: int, column: int):  # type: ignore[no-untyped-def]
    rect = table.visualRect(table.model().index(row, column))
    return table.viewport().grab(rect).toImage()


def test_the_table_paints_the_selection_the_deadline_colours_and_the_texts(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    demo_window.resize(1366, 768)
    type_text(case_list.search, "demo")  # the three demo cases; typing selects the first row
    table, shown = case_list.table, case_list.shown
    assert shown.rowCount() == 3 and table.currentIndex().row() == 0
    palette = table.palette()
    highlight = {palette.color(group, QPalette.ColorRole.Highlight).rgb()
                 for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)}
    deadline = COLUMNS.index("deadline")
    coloured = 0
    for row in range(3):
        for column in range(len(COLUMNS)):
            image = _cell_image(table, row, column)
            corner = image.pixelColor(2, 2).rgb()  # above the vertically centred text
            text = shown.data(shown.index(row, column))
            if row == 0:
                assert corner in highlight, (row, column)
            elif column == deadline and shown.data(shown.index(row, column), table_model._BACKGROUND) is not None:
                urgency = shown.cases.row(shown._shown[row]).urgency
                assert corner == QColor(URGENCY_COLOURS[urgency]).rgb()
                coloured += 1
            colours = {image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())}
            assert (len(colours) > 2) == bool(text), (row, column, text)  # text drawn where there is text
    assert coloured >= 1  # the demo has an unselected case with a coloured deadline


def test_a_long_name_is_elided_within_its_column(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    type_text(case_list.search, "demo")
    table = case_list.table
    name = COLUMNS.index("name")
    table.setColumnWidth(name, table.fontMetrics().horizontalAdvance("Tolv"))  # narrower than any name
    table.viewport().repaint()
    image = _cell_image(table, 1, name)
    background = image.pixelColor(image.width() - 1, 2).rgb()
    # Nothing drawn over the cell's last pixels: the text stops inside the column (elided), as Qt's delegate did.
    assert {image.pixelColor(image.width() - 2, y).rgb() for y in range(image.height() - 1)} <= {background}


def test_unlock_builds_the_case_rows_and_the_work_rows_on_the_worker(qtbot, demo_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    threads: dict[str, set[bool]] = {"cases": set(), "work": set()}
    build_row, stored_work = list_rows.RowBuilder.__call__, work_list.stored_work

    def counted_row(builder, summary):  # type: ignore[no-untyped-def]
        threads["cases"].add(threading.current_thread() is threading.main_thread())
        return build_row(builder, summary)

    def counted_work(work):  # type: ignore[no-untyped-def]
        threads["work"].add(threading.current_thread() is threading.main_thread())
        return stored_work(work)

    monkeypatch.setattr(list_rows.RowBuilder, "__call__", counted_row)
    monkeypatch.setattr(work_list, "stored_work", counted_work)
    unlock(qtbot, demo_window)  # types the passphrase and presses Enter
    case_list = demo_window.case_list
    assert threads == {"cases": {False}, "work": {False}}  # built on the unlock worker only
    assert case_list.model.rowCount() == 3 and case_list.work.rows
    assert case_list.count_label.text() == "3 av 3 ärenden"
    assert sorted(case_list.shown.data(case_list.shown.index(r, COLUMNS.index("case_number")))
                  for r in range(3)) == ["DEMO-2025-0117", "DEMO-2026-0001", "DEMO-2026-0002"]


def test_ctrl_l_leaves_no_laid_out_name_in_the_lists_painters(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """The painters keep laid-out texts between paints; the lock drops them with the rows (personal data)."""
    from PySide6.QtCore import Qt

    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    names = {case_list.model.row(i).name for i in range(case_list.model.rowCount())}
    case_list.table.viewport().grab()  # one paint of the visible cells of both lists
    case_list.work.table.viewport().grab()

    def laid_out() -> set[str]:
        texts: set[str] = set()
        for table in (case_list.table, case_list.work.table):
            texts |= {static.text() for static in table.itemDelegate()._laid_out.values()}
        return texts

    assert laid_out() & names  # painted: the names were laid out
    qtbot.keyClick(case_list.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.session is None  # locked
    assert not laid_out() & names


def test_texts_keep_the_styles_margin_from_the_cell_edge_with_the_default_font(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """As Qt's own delegate: the focus frame's margin plus one on each side, from the first paint on."""
    from PySide6.QtWidgets import QStyle

    unlock(qtbot, demo_window)
    table = demo_window.case_list.table
    table.viewport().grab()
    expected = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    assert table.itemDelegate()._margin == expected > 0
