"""A report's values are whole at 20 pt where the dialog has the room of a 1366×768 laptop (s30-look). There
Rapporter › Handläggningstider read "2026-08-…" in its Aktualisering and Beslut columns: the columns' widths came
from their wrapped headers too ("Dagar till beslutsmeddelande"), and the widest were cut to one cap, dates and all.
Where every column's values fit, now only what the headers want beyond them is cut (a header word elided, the whole
header its tooltip)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QTableWidget
from uihelpers import unlock

from ui.common.text_size import apply_text_size

ROOM_ON_1366X768 = (1281, 689)  # what fit_to_screen gives a dialog there (95 % less the frame)


def _cut(table: Any) -> list[tuple[str, int, int]]:
    """(header, width its cells need, column width) of each column whose values are not whole: the width the
    table's own delegate asks for its cells."""
    return [(table.horizontalHeaderItem(column).toolTip(), table.sizeHintForColumn(column), table.columnWidth(column))
            for column in range(table.columnCount()) if table.sizeHintForColumn(column) > table.columnWidth(column)]


def test_handlaggningstider_shows_its_dates_whole_at_20_points_on_a_laptop(qtbot: Any, demo_window: Any) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    apply_text_size(QApplication.instance(), 20)  # what OK in Inställningar does with 20 pt chosen
    demo_window.reports.actions["handlaggningstider"].trigger()  # Rapporter › Handläggningstider
    dialog = demo_window.reports.dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.resize(*ROOM_ON_1366X768)  # the offscreen test screen is 800×800
    table = dialog.findChild(QTableWidget, "reportTable")
    dates = [table.item(0, c).text() for c in range(table.columnCount()) if table.item(0, c) is not None]
    assert sum(len(text) == 10 and text[4] == "-" for text in dates) >= 2, dates  # Aktualisering and Beslut

    def whole() -> None:  # asserted, so a timeout names the values cut
        assert _cut(table) == []

    qtbot.waitUntil(whole)
    assert not table.horizontalScrollBar().isVisible()
    dialog.close()
