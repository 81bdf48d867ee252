"""The case list page: search as you type, open a case, create a new one."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
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

from ibic.reference import ReferenceData
from storage.repositories.cases import CaseSummary
from ui.cases.table_model import COLUMNS, CaseFilterProxy, CaseTableModel, SummaryRole
from ui.cases.work_list import WorkListPanel, work_rows
from ui.common.fields import line_edit


class CaseListPage(QWidget):
    """Lists the handläggare's cases; Enter or a double click opens one."""

    case_activated = Signal(str)  # case id
    new_case_requested = Signal()

    def __init__(self, ref: ReferenceData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseListPage")
        self.model = CaseTableModel(ref, self)
        self.proxy = CaseFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search = line_edit("caseSearch", self.tr("Search cases by name or personal identity number"), self)
        self.search.setPlaceholderText(self.tr("Search by name or personal identity number…"))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(self.tr("New case…"), self)
        self.new_button.setObjectName("newCaseButton")
        self.new_button.setAccessibleName(self.tr("New case"))
        self.work = WorkListPanel(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("caseCount")
        self.table = QTableView(self)
        self.table.setObjectName("caseTable")
        self.table.setAccessibleName(self.tr("Cases"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMNS.index("deadline"), Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it), as in every other list
        self.table.verticalHeader().hide()
        # Widths from the font, not ResizeToContents: that asks for every cell of 10,000 rows.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(50)
        header.setStretchLastSection(True)
        char = self.fontMetrics().averageCharWidth()
        for column, chars in enumerate((30, 16, 16, 34, 14, 26, 18, 18)):
            self.table.setColumnWidth(column, char * chars)
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
        self.table.activated.connect(self._open_index)
        self.new_button.clicked.connect(self.new_case_requested)
        self.work.case_activated.connect(self.case_activated)
        # Reading order: the top row (search, New case), the work list, the cases.
        self.setTabOrder(self.search, self.new_button)
        self.setTabOrder(self.new_button, self.work.table)
        self.setTabOrder(self.work.table, self.table)

    def set_rows(self, rows: list[CaseSummary], *, ever_synced: bool | None = None,
                 withdrawn: frozenset[str] | None = None) -> None:
        if ever_synced is not None:
            self.model.ever_synced = ever_synced
        if withdrawn is not None:
            self.model.withdrawn = withdrawn
        self.model.set_rows(rows)
        self.work.set_rows(work_rows(rows))
        # Fit the columns to the text, looking at the first rows only: ResizeToContents over 10,000 rows asks
        # Python for every cell.
        self.table.resizeColumnsToContents()
        self._update_count()

    def _filter(self, text: str) -> None:
        self.proxy.set_query(text)
        self._update_count()
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(self.tr("%1 of %2 cases").replace("%1", str(shown)).replace("%2", str(total)))

    def _open_first(self) -> None:
        if self.proxy.rowCount():
            self._open_index(self.proxy.index(max(self.table.currentIndex().row(), 0), 0))

    def _open_index(self, index: QModelIndex) -> None:
        summary = self.proxy.data(self.proxy.index(index.row(), 0), SummaryRole)
        if isinstance(summary, CaseSummary):
            self.case_activated.emit(summary.case_id)

    def focus_work(self) -> None:
        """The "Att göra" list with its most urgent row current; the case table when nothing is due."""
        if self.work.rows:
            self.work.focus_first()
        else:
            self.table.setFocus()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
