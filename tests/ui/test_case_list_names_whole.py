"""The case list at 20 pt in the narrowest window the app allows (s30-look). The work list above it showed the names
whole (s29-look), but the case list under it still read "Tolvan …" beside "Sta…" and "Vad s…": the name, which
tells the rows apart, was shared by weight with the columns of least use. It now has a usual long name's width,
as in the work list, and the least useful columns give way first; a longer name is elided with its whole text as
the row's tooltip and accessible text. The deadline keeps a useful width."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from uihelpers import window_at

from ui.cases.list_rows import COLUMNS

NAME, DEADLINE = COLUMNS.index("name"), COLUMNS.index("deadline")


def _names_cut(table: Any) -> list[tuple[str, int, int]]:
    """(name, width it needs, column width) of each person's name shown narrower than its text (the demo's
    " (fiktiv)" after it may be elided)."""
    metrics = table.fontMetrics()
    cut = []
    for row in range(table.model().rowCount()):
        name = table.model().index(row, NAME).data(Qt.ItemDataRole.DisplayRole).removesuffix(" (fiktiv)")
        needed = metrics.horizontalAdvance(name) + metrics.averageCharWidth()  # the cell's margins
        if table.isColumnHidden(NAME) or needed > table.columnWidth(NAME):
            cut.append((name, needed, table.columnWidth(NAME)))
    return cut


def test_every_name_in_the_case_list_is_whole_at_20_points_in_the_narrowest_window(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir, laptop_screen
) -> None:
    window = window_at(qtbot, qapp, settings, demo_profile_dir, (300, 300), 20)
    table = window.case_list.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 3 and table.isVisible())
    assert window.width() == window.minimumSizeHint().width()  # the narrowest the app allows

    def whole() -> None:  # asserted, so a timeout names the names cut
        assert _names_cut(table) == []

    qtbot.waitUntil(whole)
    model = table.model()
    for row in range(model.rowCount()):  # the whole name is also what a screen reader and the tooltip give
        index = model.index(row, NAME)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data(Qt.ItemDataRole.AccessibleTextRole) == index.data()
    assert not table.isColumnHidden(DEADLINE)
    assert table.columnWidth(DEADLINE) >= 10 * table.fontMetrics().averageCharWidth()  # "Försenad: 2…", not "För…"
    assert not table.horizontalScrollBar().isVisible()
