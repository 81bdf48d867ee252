"""The "Att göra" list above the case list: what is due across all cases, most urgent first, Enter opens the case.

The rules are ``ibic.work_list``; this module only loads the cases that can have work (from their stored summary)
and shows the rows.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ibic.vocabulary import CaseStatus
from ibic.work_list import WorkItem, may_have_work, work_list
from storage.errors import StorageError
from storage.repositories.cases import CaseSummary
from ui.cases.deadline_text import deadline_kind_text
from ui.cases.table_model import URGENCY_COLOURS

log = logging.getLogger(__name__)
WorkRow = tuple[WorkItem, CaseSummary]
_VISIBLE_ROWS = 6  # the case list below keeps most of the page; the work list scrolls beyond this


def load_work(rows: list[CaseSummary], session: Any) -> list[WorkRow]:
    """The work list's rows for the listed cases, with each case's summary (name, number) beside its item."""
    today = session.today()
    candidates = {r.case_id: r for r in rows
                  if r.status != CaseStatus.CLOSED and may_have_work(r.urgency, r.follow_up_planned_on, today)}
    cases = []
    for case_id in candidates:
        try:
            cases.append(session.profile.cases.load(case_id))
        except StorageError as error:  # one unreadable case must not hide the others' work
            log.warning("work list: a case could not be read (%s)", type(error).__name__)
    return [(item, candidates[item.case_id]) for item in work_list(cases, today, session.ref.rules)]


class WorkListPanel(QWidget):
    """A heading and a read-only table; ``case_activated(case id)`` on Enter or a double click."""

    case_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workListPanel")
        self.heading = QLabel(self)
        self.heading.setObjectName("workListHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("workList")
        self.table.setAccessibleName(self.tr("To do"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Due"), self.tr("What"), self.tr("Case number"), self.tr("Name"), self.tr("Reason")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        line = self.fontMetrics().lineSpacing() + 10
        self.table.verticalHeader().setDefaultSectionSize(line)
        self.table.setMaximumHeight(line * (_VISIBLE_ROWS + 1) + 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        self.rows: list[WorkRow] = []
        self.table.activated.connect(self._open)
        self.set_rows([])

    def set_rows(self, rows: list[WorkRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for row, (item, summary) in enumerate(rows):
            for column, text in enumerate(self._cells(item, summary)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(item.reason_sv)
                if column == 0 and item.reminder.urgency in URGENCY_COLOURS:
                    cell.setBackground(URGENCY_COLOURS[item.reminder.urgency])
                    cell.setForeground(Qt.GlobalColor.black)  # the colours are chosen for black text
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(rows))
        self.heading.setText(self.tr("To do: %n item(s)", "", len(rows)) if rows else self.tr("To do: nothing due"))

    def _cells(self, item: WorkItem, summary: CaseSummary) -> list[str]:
        reminder = item.reminder
        prefix = {3: self.tr("Overdue"), 2: self.tr("Soon"), 1: self.tr("Upcoming")}.get(int(reminder.urgency), "")
        what = deadline_kind_text(reminder.kind)
        if item.large:
            what = self.tr("%1 (about 100 hours a month or more)").replace("%1", what)
        return [f"{prefix}: {reminder.due.isoformat()}", what, summary.case_number, summary.person_name,
                item.reason_sv]

    def focus_first(self) -> None:
        """Focus the list with its first row current, so Enter opens the most urgent case."""
        target = self.table if self.rows else self.heading
        if self.rows:
            self.table.setCurrentCell(0, 0)
            self.table.selectRow(0)
        target.setFocus()

    def _open(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.rows):
            self.case_activated.emit(self.rows[index.row()][0].case_id)
