"""Table columns that share the table's width, so a list never scrolls sideways on a small screen.

Widths come from the font and the room there is, never from the cells (measuring asks Python for every cell of
50,000 rows). A column holding text of a known shape (a masked personnummer, a time) gets just that text's width;
the others share the rest by weight, a long text elided (its whole text in the tooltip). A column the user drags
keeps its width until the table itself changes size.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

# The case list (ui.cases.table_model.COLUMNS) and the work list (ui.cases.work_list).
CASE_LIST_WEIGHTS = {"name": 26, "personal_number": "19121212-****", "status": 14, "deadline": 32,
                     "case_number": 16, "applied_for": 22, "updated": "2026-12-31 23:59", "sync": 16}
WORK_LIST_WEIGHTS = {"due": "Försenad: 2026-12-31", "what": 30, "case_number": 16, "name": 22, "reason": 40}
_PADDING_CHARS = 2  # the cell's margins and the sort indicator


class ColumnFit(QObject):
    """Sets ``table``'s column widths whenever its viewport changes width. ``columns`` maps each column, in order,
    to its weight or to a sample text whose width it gets."""

    def __init__(self, table: QTableView, columns: Mapping[str, int | str]) -> None:
        super().__init__(table)
        self._table = table
        self._columns = list(columns.values())
        self._width = -1
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
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
        fixed = {n: metrics.horizontalAdvance(c) + padding for n, c in enumerate(self._columns) if isinstance(c, str)}
        free = max(room - sum(fixed.values()), 0)
        total = sum(c for c in self._columns if isinstance(c, int))
        minimum = self._table.horizontalHeader().minimumSectionSize()
        return [fixed[n] if isinstance(c, str) else max(free * c // total, minimum)
                for n, c in enumerate(self._columns)]

    def fit(self) -> None:
        room = self._table.viewport().width()
        if room == self._width:
            return
        self._width = room
        for column, width in enumerate(self.widths(room)):
            self._table.setColumnWidth(column, width)
