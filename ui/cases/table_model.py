"""The case list as a Qt table model over ``CaseSummary`` rows, with a filter proxy for search-as-you-type."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from ibic.deadlines import ReminderKind
from ibic.messages import loads
from ibic.personal_number import PersonalNumber
from ibic.reference import ReferenceData
from storage.repositories.cases import CaseSummary
from ui.cases.deadline_text import applied_for_text, deadline_kind_text
from ui.i18n import language
from ui.messages import shown

Index = QModelIndex | QPersistentModelIndex
# New columns go after the deadline, so the first four keep their place (tests and habits point at them).
COLUMNS = ("name", "personal_number", "status", "deadline", "case_number", "applied_for", "updated", "sync")
# Deadline colours chosen for contrast with black text (WCAG AA on white rows).
URGENCY_COLOURS = {3: QColor("#f6c6c6"), 2: QColor("#fbe3b0"), 1: QColor("#dcebf7")}
SummaryRole = Qt.ItemDataRole.UserRole + 1
_KINDS = {kind.value: kind for kind in ReminderKind}  # a stored kind from an older program is shown without a name


class CaseTableModel(QAbstractTableModel):
    """Rows of case summaries. Personnummer are masked: the screen may face the person or a relative."""

    def __init__(self, ref: ReferenceData, parent: Any = None) -> None:
        super().__init__(parent)
        self._ref = ref
        self._rows: list[CaseSummary] = []
        self._applied: dict[str, str] = {}
        self.ever_synced = False  # "Synkat" only once this profile has been in contact with the server
        self.withdrawn: frozenset[str] = frozenset()  # reassigned away, still here until their changes are synced
        self._search: list[str] = []
        self._sort_column = COLUMNS.index("deadline")
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._headers = (
            self.tr("Name"),
            self.tr("Personal identity number"),
            self.tr("Status"),
            self.tr("Next deadline"),
            self.tr("Case number"),
            self.tr("Applied for"),
            self.tr("Last change"),
            self.tr("Sync state"),
        )

    def set_rows(self, rows: list[CaseSummary]) -> None:
        self.beginResetModel()
        # Labels once per listing: the applied-for cell is shown, searched and sorted by the same text.
        self._applied = {r.case_id: applied_for_text(r.applied_for, self._ref) for r in rows}
        self._rows = sorted(
            rows,
            key=lambda r: self._sort_key(r, COLUMNS[self._sort_column]),
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )
        self._search = [
            f"{r.person_name} {r.personal_number} {r.case_number} {self._applied[r.case_id]}".casefold()
            for r in self._rows
        ]
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort once in Python with a key function: far cheaper than Qt comparing cells through data()."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self.set_rows(self._rows)
        self.layoutChanged.emit()

    def search_text(self, row: int) -> str:
        """Name, personnummer digits and case number of ``row``, lower-cased, for the search filter."""
        return self._search[row]

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's name)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == "deadline" and row.urgency in URGENCY_COLOURS:
            return QBrush(URGENCY_COLOURS[row.urgency])
        if role == Qt.ItemDataRole.ToolTipRole and column == "deadline":
            return shown(loads(row.next_deadline_text)) or None
        if role == SummaryRole:
            return row
        return None

    def _display(self, row: CaseSummary, column: str) -> str:
        if column == "name":
            return row.person_name + (self.tr(" (fictitious)") if row.fictitious else "")
        if column == "personal_number":
            return PersonalNumber(row.personal_number).masked()
        if column == "status":
            return self._ref.label("case_status", row.status.value, language())
        if column == "deadline":
            return self._deadline_text(row)
        if column == "case_number":
            return row.case_number
        if column == "applied_for":
            return self._applied.get(row.case_id, "")
        if column == "updated":
            return row.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return self._sync_text(row)

    def _deadline_text(self, row: CaseSummary) -> str:
        if row.next_deadline is None:
            return ""
        prefix = {3: self.tr("Overdue"), 2: self.tr("Soon"), 1: self.tr("Upcoming")}.get(row.urgency, "")
        kind = deadline_kind_text(_KINDS[row.next_deadline_kind]) if row.next_deadline_kind in _KINDS else ""
        what = f"{kind} {row.next_deadline.isoformat()}".strip()
        return f"{prefix}: {what}" if prefix else what

    def _sync_text(self, row: CaseSummary) -> str:
        if row.case_id in self.withdrawn:
            return self.tr("Moved away, waiting to sync")
        if row.has_conflict:
            return self.tr("Conflict")
        if row.pending_changes:
            return self.tr("Waiting")
        return self.tr("Synced") if self.ever_synced else self.tr("Not synced yet")

    def _sort_key(self, row: CaseSummary, column: str) -> Any:
        keys: dict[str, Any] = {
            "case_number": row.case_number,
            "applied_for": self._applied.get(row.case_id, "").casefold(),
            "name": row.person_name.casefold(),
            "personal_number": row.personal_number,
            "status": row.status.value,
            "deadline": row.next_deadline or date.max,
            "updated": row.updated_at.timestamp(),
            "sync": (row.has_conflict, row.pending_changes),
        }
        return keys[column]


class CaseFilterProxy(QSortFilterProxyModel):
    """Matches every word typed against name, personnummer digits and case number; sorting is the source's."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, CaseTableModel):
            source.sort(column, order)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()  # Qt 6.10+: replaces invalidateRowsFilter(), which is deprecated
        self._words = [w.replace("-", "").replace("+", "") or w for w in text.casefold().split()]
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        assert isinstance(model, CaseTableModel)
        haystack = model.search_text(source_row)
        return all(word in haystack for word in self._words)
