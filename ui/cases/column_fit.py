"""The case list's columns share the table's width, so the list never scrolls sideways on a small screen.

Widths come from the font and the room there is, never from the cells (measuring asks Python for every cell of
50,000 rows). Two columns hold text of a known shape (a masked personnummer, a time) and get just its width; the
others share the rest by weight. A column the user drags keeps its width until the table itself changes size.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

from ui.cases.table_model import COLUMNS

# Share of the free room per column, and text of a fixed shape that sets a column's width.
_WEIGHTS = {"name": 26, "status": 14, "deadline": 32, "case_number": 16, "applied_for": 22, "sync": 16}
_SAMPLES = {"personal_number": "19121212-****", "updated": "2026-12-31 23:59"}
_PADDING_CHARS = 2  # the cell's margins and the sort indicator


class ColumnFit(QObject):
    """Sets ``table``'s column widths whenever its viewport changes width."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self._table = table
        self._width = -1
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # rounding leftovers go to the last column
        header.setMinimumSectionSize(table.fontMetrics().averageCharWidth() * 6)
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._table.viewport():
            self.fit()
        return False

    def widths(self, room: int) -> list[int]:
        metrics = self._table.fontMetrics()
        padding = metrics.averageCharWidth() * _PADDING_CHARS
        fixed = {c: metrics.horizontalAdvance(text) + padding for c, text in _SAMPLES.items()}
        free = max(room - sum(fixed.values()), 0)
        total = sum(_WEIGHTS.values())
        minimum = self._table.horizontalHeader().minimumSectionSize()
        return [fixed[c] if c in fixed else max(free * _WEIGHTS[c] // total, minimum) for c in COLUMNS]

    def fit(self) -> None:
        room = self._table.viewport().width()
        if room == self._width:
            return
        self._width = room
        for column, width in enumerate(self.widths(room)):
            self._table.setColumnWidth(column, width)
