"""The case list page: search as you type, open a case, create a new one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from storage.repositories.cases import CaseSummary
from ui.cases.cell_delegate import CellDelegate
from ui.cases.column_fit import CASE_LIST_HIDE_ORDER, CASE_LIST_WEIGHTS, ColumnFit
from ui.cases.column_menu import ColumnMenu
from ui.cases.list_rows import COLUMNS, BuiltRows, built_rows
from ui.cases.shown_cases import ShownCases
from ui.cases.table_model import CaseTableModel
from ui.cases.work_list import WorkColumns, WorkListPanel, WorkRows
from ui.common.fields import line_edit
from ui.common.screen_fit import least_width_on_screen
from ui.common.widgets import focus_by_keys

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

    from ibic.reference_files import ListedReference  # only named: the list is handed the loaded labels
    from ui.session import Today


@dataclass(frozen=True)
class PreparedListing:
    """The case list's and the work list's rows for a whole listing, built off the UI thread."""

    cases: BuiltRows
    work: WorkColumns

    def __post_init__(self) -> None:
        # The work rows are row indices into the case rows' columns: over any other columns they would show and open
        # other cases' numbers and names, silently.
        if self.work.columns is not self.cases.columns:
            raise ValueError("the work rows do not point into the case rows' columns")

    def __len__(self) -> int:
        return len(self.cases.dues)


def prepared_listing(summaries: Iterable[CaseSummary], ref: ListedReference, today: date) -> PreparedListing:
    """Build both lists' rows as of ``today`` (the session's day); plain Python, run on the worker that listed the
    cases (about 1 s at 50,000).

    One pass, so ``summaries`` can come straight from the cursor (``CaseRepository.read_summaries``): a whole
    listing's summaries (~1.8 KiB a case) are never held beside the rows, whose memory they would leave in holes."""
    work = WorkRows(today)
    cases = built_rows(map(work.add, summaries), ref)
    return PreparedListing(cases, work.rows(cases.columns))  # the work rows point at the case rows' columns


class CaseListPage(QWidget):
    """Lists the handläggare's cases; Enter or a double click opens one."""

    case_activated = Signal(str)  # case id
    work_activated = Signal(str, str, str)  # an Att göra row's case id, the step its work is done on, its field
    new_case_requested = Signal()

    def __init__(self, ref: ListedReference, parent: QWidget | None = None, *, today: Today) -> None:
        super().__init__(parent)
        self.setObjectName("caseListPage")
        self._today = today  # the session's day, read as summaries are made rows (a case saved after midnight)
        self.model = CaseTableModel(ref, self)  # every listed case
        self.shown = ShownCases(self.model, self)  # those matching the search, in the chosen order
        self.search = line_edit("caseSearch", self.tr("Search cases by name or personal identity number"), self)
        self.search.setPlaceholderText(self.tr("Search by name or personal identity number…"))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(self.tr("New case…"), self)
        self.new_button.setObjectName("newCaseButton")
        self.new_button.setAccessibleName(self.tr("New case"))
        self.work = WorkListPanel(self)
        # The work rows point into the case rows' columns (``WorkColumns``): one object from the start, so a case
        # saved before the first listing is set lands in the columns both lists read.
        self.work.set_rows(WorkColumns(columns=self.model.columns()))
        self.count_label = QLabel(self)
        self.count_label.setObjectName("caseCount")
        self.table = QTableView(self)
        self.table.setObjectName("caseTable")
        self.table.setAccessibleName(self.tr("Cases"))
        self.table.setModel(self.shown)
        self.table.setItemDelegate(CellDelegate(self.shown.painted, self.table))  # one Python call a painted cell
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index("deadline"), Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it), as in every other list
        self.table.verticalHeader().hide()
        # Widths from the font and the room there is (ColumnFit), never from the cells: measuring asks Python for
        # every cell of 50,000 rows. A long text is elided, its whole text in the tooltip; where the window is too
        # narrow for them all, the least useful columns are hidden, and the header's menu shows them again.
        self.column_fit = ColumnFit(self.table, CASE_LIST_WEIGHTS, CASE_LIST_HIDE_ORDER, whole=True)
        self.column_menu = ColumnMenu(self.table, self.column_fit)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().lineSpacing() + 10)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.work)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._open_first)
        self.search.installEventFilter(self)  # Down from the search to the matches (``eventFilter``)
        self.table.activated.connect(self._open_index)
        self.new_button.clicked.connect(self.new_case_requested)
        self._current: str | None = None
        self.table.selectionModel().currentRowChanged.connect(self._remember_current)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sorted)
        self.work.case_activated.connect(self.work_activated)
        # Reading order: the top row (search, New case), the work list, the cases.
        self.setTabOrder(self.search, self.new_button)
        self.setTabOrder(self.new_button, self.work.table)
        self.setTabOrder(self.work.table, self.table)

    def minimumSizeHint(self) -> QSize:
        """Wide enough for the name, the personnummer and the case number whole beside a useful deadline (the
        window's least width follows, as for the work list): at the narrowest window at 20 pt the names read
        "Tolvan …" (s30-look). Never wider than the screen (``least_width_on_screen``)."""
        hint = super().minimumSizeHint()
        table = self.table
        least = self.column_fit.least_width() + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        layout = self.layout()
        if layout is not None:
            margins = layout.contentsMargins()
            least += margins.left() + margins.right()
        return QSize(max(hint.width(), least_width_on_screen(self, least)), hint.height())

    def set_rows(self, rows: list[CaseSummary] | PreparedListing, *, ever_synced: bool | None = None,
                 withdrawn: frozenset[str] | None = None) -> None:
        """A whole new listing (unlock, sync, a new day), as summaries or prepared by the worker that read them."""
        self._set_flags(ever_synced, withdrawn)
        listing = rows if isinstance(rows, PreparedListing) else prepared_listing(rows, self.model.ref, self._today())
        self.model.set_built(listing.cases)
        self.shown.refresh()
        self.work.set_rows(listing.work)
        self._update_count()

    def forget_painted(self) -> None:
        """The lock: the lists' painters keep no laid-out text (names, personnummer) once the rows are gone."""
        for table in (self.table, self.work.table):
            delegate = table.itemDelegate()
            if isinstance(delegate, CellDelegate):
                delegate.forget()

    def update_rows(self, rows: list[CaseSummary], *, ever_synced: bool | None = None,
                    withdrawn: frozenset[str] | None = None) -> None:
        """Only these cases changed (saved since the listing): the other rows, their order and the search stay."""
        self._set_flags(ever_synced, withdrawn)
        current = self._current
        changed = self.model.update_rows(rows)
        self.shown.update(changed)
        if rows:
            self.work.update_cases(rows, changed, self.model.columns(), self._today())
        self._update_count()
        self._select_case(current)

    def _set_flags(self, ever_synced: bool | None, withdrawn: frozenset[str] | None) -> None:
        self.model.set_flags(ever_synced=ever_synced, withdrawn=withdrawn)

    def _filter(self, text: str) -> None:
        self.shown.set_query(text)
        self._update_count()
        if self.shown.rowCount():
            self.table.selectRow(0)

    def _remember_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():  # a reset of the shown rows reports no current row: keep the last case
            self._current = self.shown.case_id(current.row())

    def _sorted(self) -> None:
        """After a header click the case that was current stays current (its row moved)."""
        self._select_case(self._current)

    def _select_case(self, case_id: str | None) -> None:
        row = -1 if case_id is None else self.shown.row_of(case_id)
        if row >= 0:
            self.table.selectRow(row)

    def _update_count(self) -> None:
        shown, total = self.shown.rowCount(), self.model.rowCount()
        # Counted by the total: "1 av 1 ärende", "1 av 5 ärenden".
        self.count_label.setText(self.tr("%1 of %n case(s)", "", total).replace("%1", str(shown)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down in the search goes to the matches, on the row Enter there would open: one key away, as in Ny
        ärende, not three Tabs past Nytt ärende… and Att göra (s30-keys)."""
        from PySide6.QtCore import QEvent  # named when used: the list is built during the unlock (ui.common.widgets)
        from PySide6.QtGui import QKeyEvent

        if (watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Down and self.shown.rowCount()):
            if not self.table.currentIndex().isValid():
                self.table.setCurrentIndex(self.shown.index(0, 0))
            self.table.selectRow(self.table.currentIndex().row())
            focus_by_keys(self.table)
            return True
        return super().eventFilter(watched, event)

    def _open_first(self) -> None:
        if self.shown.rowCount():
            self._open_index(self.shown.index(max(self.table.currentIndex().row(), 0), 0))

    def _open_index(self, index: QModelIndex) -> None:
        if 0 <= index.row() < self.shown.rowCount():
            self.case_activated.emit(self.shown.case_id(index.row()))

    def focus_work(self) -> None:
        """The "Att göra" list with its most urgent row current; the case table when nothing is due."""
        if self.work.rows:
            self.work.focus_first()
        else:
            focus_by_keys(self.table)

    def focus_search(self) -> None:
        focus_by_keys(self.search)  # Ctrl+E, and the list the unlock opens on
        self.search.selectAll()
