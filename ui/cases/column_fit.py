"""Table columns that share the table's width, so a list never scrolls sideways on a small screen.

Widths come from the font and the room there is, never from the cells (measuring asks Python for every cell of
50,000 rows). A column holding text of a known shape (a masked personnummer, a time) gets just that text's width;
the others share the rest by weight, a long text elided (its whole text in the tooltip).

The user's own choices stick (``ColumnChoices``): a column dragged to a width keeps it, at any window width (in
average characters, so it follows the text size), and only the columns not dragged are fitted to what is left; a
column shown or hidden from the header's menu (``ui.cases.column_menu``) stays so. Where the room is too small for
every column to be of use (the narrowest window at 16 or 20 pt), the least useful columns (``hide_order``) are
hidden rather than all elided to a letter or two and scrolled sideways; the header's menu shows them again
(docs/architecture.md, "Case list columns").
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView, QTableView

# In the case list (and the work list above it) a case number is what tells a person's cases apart: shared by weight
# it was elided to "DEMO-2…" at 16 pt on a 1366-pixel screen, and Tolvan's two cases read alike. It has the width
# of a usual one (year and serial, a prefix) where the other columns still get their least width, and a weight where
# not (20 pt at 150 %).
CASE_NUMBER_SAMPLE = "DEMO-2026-0001"
# The case list (ui.cases.list_rows.COLUMNS) and the work list (ui.cases.work_list).
Column = int | str | tuple[str, int]  # a weight, a sample text, or a sample text where there is room else a weight
# A usual long name (a double family name): in both lists the name is whole where the room allows, even at the
# narrowest window at 20 pt (s29-look: "Tol…", "Gre…" in the work list; s30-look: "Tolvan …" in the case list, beside
# "Sta…" and "Vad s…"); a longer one is elided, its whole text the tooltip and the accessible text.
NAME_SAMPLE = "Margareta Johansson-Berg"
CASE_LIST_WEIGHTS: dict[str, Column] = {
    "name": (NAME_SAMPLE, 26), "personal_number": "19121212-****", "status": 14, "deadline": 32,
    "case_number": (CASE_NUMBER_SAMPLE, 16),
    "applied_for": 22, "updated": "2026-12-31 23:59", "sync": 16,
}
WORK_LIST_WEIGHTS: dict[str, Column] = {
    "due": "Kommande: 2026-12-31", "what": 30, "case_number": (CASE_NUMBER_SAMPLE, 16), "name": (NAME_SAMPLE, 22),
    "reason": 40,
}
# The work list's columns given up first where the room is short: what is due (the reason says it again), then the
# reason (still the row's tooltip); the due date, the case number and the name stay whole (``ColumnFit`` ``whole``).
WORK_LIST_HIDE_ORDER = ("what", "reason")
_PADDING_CHARS = 2  # the cell's margins and the sort indicator
_NATURAL_CHARS = 170  # the width the columns start from, in average characters, before the table knows its own
# A column shared by weight gets at least this many average characters on average, or the least useful one is
# hidden: at the least width (6) the case list at 20 pt read "Tol…", "Ver…", "DE…" and still scrolled sideways.
_USEFUL_CHARS = 10
# The least useful of the case list's columns first: hidden in this order where the room is short.
CASE_LIST_HIDE_ORDER = ("updated", "sync", "applied_for", "status")


@dataclass
class ColumnChoices:
    """What the user chose for a list's columns, by column key: kept as a view setting (no personal data)."""

    widths: dict[str, float] = field(default_factory=dict)  # dragged, in average characters
    shown: set[str] = field(default_factory=set)  # shown from the menu: never hidden for room
    hidden: set[str] = field(default_factory=set)  # hidden from the menu

    def text(self) -> str:
        return json.dumps({"widths": self.widths, "shown": sorted(self.shown), "hidden": sorted(self.hidden)},
                          sort_keys=True)

    @classmethod
    def read(cls, text: str, keys: Sequence[str]) -> ColumnChoices:
        """The choices kept in ``text``; what is not a known column or not a width is left out (an older or edited
        settings file must not stop the list from showing)."""
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        widths = data.get("widths")
        widths = widths if isinstance(widths, dict) else {}
        return cls(
            {k: float(w) for k, w in widths.items() if k in keys and isinstance(w, int | float) and 0 < w < 1000},
            _known(data.get("shown"), keys) - {keys[0]}, _known(data.get("hidden"), keys) - {keys[0]},
        )


def _known(value: object, keys: Sequence[str]) -> set[str]:
    return {k for k in value if k in keys} if isinstance(value, list) else set()


class ColumnFit(QObject):
    """Fits ``table``'s columns to its width whenever that width or the text size changes, or they would not fit.

    ``columns`` maps each column, in order, to its weight or to a sample text whose width it gets (or a sample and
    the weight it is shared by when the sample leaves the others less than their least width). Signals, not an
    event filter: with PySide6 6.12 on Python 3.11 a Python event filter that sees paint events loses a reference
    to None per event, and the process aborts after some thousands of repaints.

    The first column (the name, what tells the rows apart) is never hidden.
    """

    changed = Signal()  # the user's choices changed (a drag, a column shown or hidden): the view setting to keep
    hidden_changed = Signal()  # a column was hidden or shown (for room or by the user): the header's tooltip says so

    def __init__(self, table: QTableView, columns: Mapping[str, Column], hide_order: Sequence[str] = (),
                 *, whole: bool = False) -> None:
        super().__init__(table)
        # ``whole``: a sample-or-weight column keeps its sample's width while a column of ``hide_order`` can give way
        # (the work list's name and case number); else it is shared by weight first (the case list's case number).
        self._whole = whole
        self._table = table
        self.keys = list(columns)
        self._columns = list(columns.values())
        self._hide_order = [self.keys.index(key) for key in hide_order]
        self.choices = ColumnChoices()
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

    def _section_resized(self, column: int, old: int, new: int) -> None:
        # Not while fitting, not a column hidden or shown (from or to 0), not the last one (it stretches as the
        # others change), only with a mouse button held: the user dragged this column's edge (or double-clicked it).
        # Qt resizes a section of its own too, as a hidden one is shown again in a wider window: 'Senast ändrat'
        # was once kept as dragged to 32,554 pixels, and hid the columns after it in any window (s30-look).
        if (not self._fitting and old > 0 and new > 0 and column != self._last_shown()
                and QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton):
            self.choices.widths[self.keys[column]] = round(new / self._table.fontMetrics().averageCharWidth(), 1)
            self.changed.emit()
        self._refit_if_changed()

    def _last_shown(self) -> int:
        header = self._table.horizontalHeader()
        shown = (header.logicalIndex(v) for v in reversed(range(header.count())))
        return next((n for n in shown if not header.isSectionHidden(n)), -1)

    def _refit_if_changed(self) -> None:
        # A column the user drags resizes the last one too, at the same width: that keeps the drag.
        if self._table.isVisible() and self._fitted != self._key():
            self._fit_to_table()

    def choose(self, choices: ColumnChoices) -> None:
        """The user's choices (read from the settings, or made in the header's menu), the columns fitted anew."""
        self.choices = choices
        self._fitted = None
        if self._table.isVisible():
            self._fit_to_table()
        self.changed.emit()

    def set_shown(self, column: int, shown: bool) -> None:
        """The header menu's choice: ``column`` shown (even where the room is short) or hidden."""
        key = self.keys[column]
        (self.choices.shown if shown else self.choices.hidden).add(key)
        (self.choices.hidden if shown else self.choices.shown).discard(key)
        self.choose(self.choices)

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

    def hidden_for(self, room: int) -> set[int]:
        """The columns hidden at ``room`` pixels: those the user hid, then the least useful until the others are
        of use, but never one the user showed."""
        hidden = {self.keys.index(key) for key in self.choices.hidden}
        for column in self._hide_order:
            if self._of_use(room, hidden):
                break
            if self.keys[column] not in self.choices.shown:
                hidden.add(column)
        return hidden

    def _of_use(self, room: int, hidden: AbstractSet[int]) -> bool:
        char = self._table.fontMetrics().averageCharWidth()
        fixed = self._fixed(hidden, sampled=self._whole)
        shared = [n for n in range(len(self._columns)) if n not in hidden and n not in fixed]
        return room - sum(fixed.values()) >= _USEFUL_CHARS * char * len(shared)

    def _fixed(self, hidden: AbstractSet[int], *, sampled: bool) -> dict[int, int]:
        """The shown columns of a set width: dragged, or a sample text's (a sample-or-weight one if ``sampled``)."""
        metrics = self._table.fontMetrics()
        padding, char = metrics.averageCharWidth() * _PADDING_CHARS, metrics.averageCharWidth()
        fixed: dict[int, int] = {}
        for n, column in enumerate(self._columns):
            dragged = self.choices.widths.get(self.keys[n])
            if n in hidden:
                continue
            if dragged is not None:
                fixed[n] = round(dragged * char)
            elif isinstance(column, str) or (sampled and isinstance(column, tuple)):
                fixed[n] = metrics.horizontalAdvance(column if isinstance(column, str) else column[0]) + padding
        return fixed

    def least_width(self) -> int:
        """The width the columns never hidden for room need: their samples whole, a useful width of the others (the
        case list's deadline), at the table's text size; not what the user dragged them to (a wide drag must not
        make the window wider than the screen)."""
        metrics = self._table.fontMetrics()
        padding = metrics.averageCharWidth() * _PADDING_CHARS
        kept = [c for n, c in enumerate(self._columns) if n not in self._hide_order]
        samples = [c if isinstance(c, str) else c[0] for c in kept if not isinstance(c, int)]
        shared = sum(1 for c in kept if isinstance(c, int))
        return (sum(metrics.horizontalAdvance(sample) + padding for sample in samples)
                + shared * _USEFUL_CHARS * metrics.averageCharWidth())

    def widths(self, room: int, hidden: AbstractSet[int] = frozenset()) -> dict[int, int]:
        """Each shown column's width at ``room`` pixels."""
        minimum = self._table.horizontalHeader().minimumSectionSize()
        fixed = self._fixed(hidden, sampled=True)
        weights = self._weights(hidden, fixed)
        if room - sum(fixed.values()) < minimum * len(weights):  # no room for the samples: those share by weight
            fixed = self._fixed(hidden, sampled=False)
            weights = self._weights(hidden, fixed)
        return fixed | _shared(max(room - sum(fixed.values()), 0), weights, minimum)

    def _weights(self, hidden: AbstractSet[int], fixed: Mapping[int, int]) -> dict[int, int]:
        """The weight of each shown column not of a set width: what the room left is shared by."""
        return {n: c if isinstance(c, int) else c[1] for n, c in enumerate(self._columns)
                if n not in hidden and n not in fixed and not isinstance(c, str)}

    def fit(self, room: int) -> None:
        fitting, self._fitting = self._fitting, True  # the sections resized here are not the user's drag
        try:
            hidden = self.hidden_for(room)
            header = self._table.horizontalHeader()
            turned = [c for c in range(len(self._columns)) if header.isSectionHidden(c) != (c in hidden)]
            for column in turned:
                header.setSectionHidden(column, column in hidden)
            for column, width in self.widths(room, hidden).items():
                self._table.setColumnWidth(column, width)
        finally:
            self._fitting = fitting
        if turned:
            self.hidden_changed.emit()


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
