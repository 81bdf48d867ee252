"""Table columns that share the table's width, so a list never scrolls sideways on a small screen.

Widths come from the font and the room there is, never from the cells (measuring asks Python for every cell of
50,000 rows). A column holding text of a known shape (a masked personnummer, a time) gets just that text's width;
the others share the rest by weight, a long text elided (its whole text in the tooltip). A column the user drags
keeps its width until the table itself changes size.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

# In the case list (and the work list above it) a case number is what tells a person's cases apart: shared by weight
# it was elided to "DEMO-2…" at 16 pt on a 1366-pixel screen, and Tolvan's two cases read alike. It has the width
# of a usual one (year and serial, a prefix) where the other columns still get their least width, and a weight where
# not (20 pt at 150 %).
CASE_NUMBER_SAMPLE = "DEMO-2026-0001"
# The case list (ui.cases.list_rows.COLUMNS) and the work list (ui.cases.work_list).
Column = int | str | tuple[str, int]  # a weight, a sample text, or a sample text where there is room else a weight
CASE_LIST_WEIGHTS: dict[str, Column] = {
    "name": 26, "personal_number": "19121212-****", "status": 14, "deadline": 32,
    "case_number": (CASE_NUMBER_SAMPLE, 16),
    "applied_for": 22, "updated": "2026-12-31 23:59", "sync": 16,
}
WORK_LIST_WEIGHTS: dict[str, Column] = {
    "due": "Försenad: 2026-12-31", "what": 30, "case_number": (CASE_NUMBER_SAMPLE, 16), "name": 22, "reason": 40,
}
_PADDING_CHARS = 2  # the cell's margins and the sort indicator
_NATURAL_CHARS = 170  # the width the columns start from, in average characters, before the table knows its own


class ColumnFit(QObject):
    """Fits ``table``'s columns to its width whenever that width or the text size changes, or they would not fit.

    ``columns`` maps each column, in order, to its weight or to a sample text whose width it gets (or a sample and
    the weight it is shared by when the sample leaves the others less than their least width). Signals, not an
    event filter: with PySide6 6.12 on Python 3.11 a Python event filter that sees paint events loses a reference
    to None per event, and the process aborts after some thousands of repaints.
    """

    def __init__(self, table: QTableView, columns: Mapping[str, Column]) -> None:
        super().__init__(table)
        self._table = table
        self._columns = list(columns.values())
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)  # a wider table: the last column takes the room
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a narrow column's title: its start, not its middle
        header.setMinimumSectionSize(table.fontMetrics().averageCharWidth() * 6)
        self._fitted: tuple[int, int] | None = None  # the (width, character width) the columns were last fitted to
        self._fitting = False
        table.horizontalScrollBar().rangeChanged.connect(self._range_changed)
        # The scroll bar's range alone missed a table shown at its real width: scrolling per item, it counts the
        # columns out of sight, four of the work list's five at its natural width and again at its own at 20 pt on
        # 1280×720, so no rangeChanged came and it scrolled sideways (s27-rlook's 58e7fd7); and a wider table never
        # refitted, leaving a case number shared by weight. The stretched last section is resized whenever the
        # table's width changes, and the header's geometry is changed when it is shown or its font changes: each
        # refits when the table's width or text size is not the one the columns were last fitted to.
        header.sectionResized.connect(self._section_resized)
        header.geometriesChanged.connect(self._refit_if_changed)
        self.fit(table.fontMetrics().averageCharWidth() * _NATURAL_CHARS)  # no width of its own yet: not _fitted

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if maximum > 0:  # the columns are wider than the table: share its width again
            self._fit_to_table()

    def _section_resized(self, _column: int, _old: int, _new: int) -> None:
        self._refit_if_changed()

    def _refit_if_changed(self) -> None:
        # A column the user drags resizes the last one too, at the same width: that keeps the drag.
        if self._table.isVisible() and self._fitted != self._key():
            self._fit_to_table()

    def _key(self) -> tuple[int, int]:
        return self._table.viewport().width(), self._table.fontMetrics().averageCharWidth()

    def _fit_to_table(self) -> None:
        if self._fitting:  # the widths set below resize sections again
            return
        self._fitting = True
        try:
            self._fitted = self._key()
            self._table.horizontalHeader().setMinimumSectionSize(self._fitted[1] * 6)  # the text size may be new
            self.fit(self._fitted[0])
        finally:
            self._fitting = False

    def widths(self, room: int) -> list[int]:
        metrics = self._table.fontMetrics()
        padding = metrics.averageCharWidth() * _PADDING_CHARS
        minimum = self._table.horizontalHeader().minimumSectionSize()
        columns = dict(enumerate(self._columns))
        sampled = {n: c[0] for n, c in columns.items() if isinstance(c, tuple)}
        texts = {n: c for n, c in columns.items() if isinstance(c, str)} | sampled
        fixed = {n: metrics.horizontalAdvance(text) + padding for n, text in texts.items()}
        weights = {n: c for n, c in columns.items() if isinstance(c, int)}
        if sampled and room - sum(fixed.values()) < minimum * len(weights):  # no room for the samples: by weight
            fixed = {n: width for n, width in fixed.items() if n not in sampled}
            weights |= {n: c[1] for n, c in columns.items() if isinstance(c, tuple)}
        shared = _shared(max(room - sum(fixed.values()), 0), weights, minimum)
        return [fixed[n] if n in fixed else shared[n] for n in range(len(self._columns))]

    def fit(self, room: int) -> None:
        for column, width in enumerate(self.widths(room)):
            self._table.setColumnWidth(column, width)


def _shared(free: int, weights: dict[int, int], minimum: int) -> dict[int, int]:
    """``free`` pixels shared by ``weights``, none under ``minimum``: a column raised to it is paid for by the others.
    Raising them without that made the columns wider than the table at 20 pt on a 1280×720 screen (s25-odd), so
    the list scrolled sideways and the sync column's text was off to the right."""
    raised: set[int] = set()
    while True:  # ends: each turn raises at least one column more, or returns
        open_weights = {n: w for n, w in weights.items() if n not in raised}
        left, total = max(free - minimum * len(raised), 0), sum(open_weights.values())
        widths = {n: left * w // total for n, w in open_weights.items()}
        under = {n for n, width in widths.items() if width < minimum}
        if not under:
            return {**dict.fromkeys(raised, minimum), **widths}
        raised |= under
