"""The "Att göra" list above the case list: what is due across all cases, most urgent first, Enter opens the case.

The rules are ``ibic.work_list``; storage keeps each case's rows in its summary (refreshed daily), so this module
only orders and shows them.
"""

from __future__ import annotations

import bisect
import sys
from array import array
from collections.abc import Iterable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple, overload

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ibic.held_elsewhere import held_elsewhere_reminder
from ibic.messages import from_json
from ibic.reminders import ReminderKind, Urgency, order_key
from storage.repositories.cases import WORK_KINDS, CaseSummary, held_of, stored_work, summed_hours_reminder
from ui.cases.cell_delegate import CellDelegate
from ui.cases.column_fit import WORK_LIST_HIDE_ORDER, WORK_LIST_WEIGHTS, ColumnFit
from ui.cases.column_menu import ColumnMenu
from ui.cases.deadline_text import deadline_kind_text
from ui.cases.packed import CaseColumns
from ui.cases.table_model import URGENCY_COLOURS
from ui.common.screen_fit import least_width_on_screen
from ui.common.widgets import focus_by_keys
from ui.messages import shown


class WorkRow(NamedTuple):
    """One row as the list shows it: a plain tuple (about a third of a WorkItem with its Reminder).

    What is due is one tuple shared by every row due alike (77,905 rows of 50,000 bulk cases hold 621 distinct):
    a 4-tuple a row instead of an 8-tuple, 32 bytes less a row."""

    what: tuple[int, date, bool, ReminderKind, str]  # urgency, due, large, kind, reason (see the properties)
    case_number: str
    case_id: str
    name: str  # the person's: the row keeps nothing else of the case

    @property
    def urgency(self) -> int:
        return self.what[0]

    @property
    def due(self) -> date:
        return self.what[1]

    @property
    def large(self) -> bool:
        """A follow-up of a decision of about 100 hours a month or more."""
        return self.what[2]

    @property
    def kind(self) -> ReminderKind:
        return self.what[3]

    @property
    def reason(self) -> str:
        """The reminder's sentence in the interface's language."""
        return self.what[4]


Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                                    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
                                    Qt.ItemDataRole.ForegroundRole))
_BRUSHES = {urgency: QBrush(colour) for urgency, colour in URGENCY_COLOURS.items()}
_ON_COLOUR = QColor(Qt.GlobalColor.black)  # the colours are chosen for black text
_VISIBLE_ROWS = 6  # the case list below keeps most of the page; the work list scrolls beyond this


def _urgency_key(row: WorkRow) -> tuple[Any, ...]:
    """The domain's order of the work list (``ibic.work_list.order_key``) for a row."""
    what = row[0]
    return order_key(what[0], what[1], what[2], row[1])


_new_row = tuple.__new__  # a WorkRow from its values in C: its class's __new__ is a Python call a row
_URGENCY_INTS = {int(urgency): int(urgency) for urgency in Urgency}  # a stored urgency as the int a row keeps


class WorkColumns(Sequence[WorkRow]):
    """The work list's rows kept column by column, a ``WorkRow`` made when one is asked for (the few painted).

    Each row is its what-is-due (one tuple shared by the rows due alike) and its case's row index in the case list
    (``ui.cases.packed.CaseColumns``, the case list's own columns, which it changes in place when a case is saved
    or added): no string a row, 12 bytes a row (at 10,000 bulk cases 15,517 rows; they held three references to
    the case list's strings each, which therefore had to be made)."""

    __slots__ = ("cases", "columns", "whats")

    def __init__(self, rows: Iterable[WorkRow] = (), *, columns: CaseColumns | None = None,
                 whats: list[tuple[int, date, bool, ReminderKind, str]] | None = None,
                 cases: array[int] | None = None) -> None:
        """From the case list's ``columns`` with each row's ``whats`` and ``cases`` (its case's row index there);
        or from ``rows`` (columns of their own)."""
        self.columns = CaseColumns() if columns is None else columns
        self.whats: list[tuple[int, date, bool, ReminderKind, str]] = [] if whats is None else whats
        self.cases = array("I") if cases is None else cases
        for row in rows:
            self.whats.append(row.what)
            self.cases.append(len(self.columns))
            self.columns.append(row.case_id, row.case_number, row.name)

    def __len__(self) -> int:
        return len(self.cases)

    @overload
    def __getitem__(self, at: int) -> WorkRow: ...

    @overload
    def __getitem__(self, at: slice) -> list[WorkRow]: ...

    def __getitem__(self, at: int | slice) -> WorkRow | list[WorkRow]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        case, columns = self.cases[at], self.columns
        return _new_row(WorkRow, (self.whats[at], columns.case_numbers[case], columns.case_ids[case],
                                  columns.names[case]))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable, as a list

    def positions(self, case: int) -> list[int]:
        """The rows of the case at row ``case`` of the case list, in order: a byte search in C over the indices'
        bytes (``array.index`` makes an int object a row it passes: ~2 ms over 78,000 rows)."""
        raw, token, found = self.cases.tobytes(), case.to_bytes(self.cases.itemsize, sys.byteorder), []
        at = raw.find(token)
        while at >= 0:
            if at % len(token) == 0:  # aligned: an index, not bytes of two neighbours
                found.append(at // len(token))
            at = raw.find(token, at + 1)
        return found

    def insert(self, at: int, what: tuple[int, date, bool, ReminderKind, str], case: int) -> None:
        self.whats.insert(at, what)
        self.cases.insert(at, case)

    def delete(self, at: int) -> None:
        del self.whats[at]
        del self.cases[at]


class WorkRows:
    """The work list's rows gathered summary by summary, so they are built in the same pass over a listing as the
    case list's rows (``ui.cases.case_list.prepared_listing``); only cases with work are parsed (the stored rows are
    a short JSON text a case, empty for most). Each row is made straight from the stored values (no ``WorkItem``
    and ``Reminder`` on the way) and each distinct reason is rendered once: 10,000 bulk cases hold 15,517 rows
    with two sentences, and rendering every row's took most of an unlock's listing.

    A row is gathered as its what-is-due and its case's row index in the case list: the summaries come in the
    case list's order, so the n-th summary added is that list's row n (``add_at`` for a few cases saved later)."""

    def __init__(self, today: date) -> None:
        # The session's day (``ui.session.calendar_day``): a new case's row of decisions held elsewhere is due on it,
        # and summed hours are counted on it. It was the computer's date, which a test's clock did not reach.
        self._today = today
        self._rows: list[tuple[tuple[Any, ...], int]] = []
        self._added = 0  # the next summary's row index in the case list
        self._texts: dict[Any, str] = {}  # the reason as stored -> its sentence
        self._made: dict[str, str] = {}  # each sentence once
        self._days: dict[str, date] = {}  # each due date once (77,905 rows of 50,000 bulk cases: 400 days)
        self._whats: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # each row's what-is-due once (WorkRow.what)

    def add(self, summary: CaseSummary) -> CaseSummary:
        """Take this case's rows (returns the summary, for a ``map`` in the pass that builds the case rows)."""
        self._added += 1
        if summary.work or summary.others_in_force or summary.person_hours:
            self.add_at(summary, self._added - 1)
        return summary

    def add_at(self, summary: CaseSummary, case: int) -> None:
        """Take this case's rows, its row index in the case list being ``case``.

        The stored values are read as ``storage.repositories.cases.work_entries_of`` reads them, but each row is
        made at once, with no ``WorkEntry`` between: that tuple and its call were a fifth of an unlock's listing.
        A reason without arguments (most of them) is looked up by its key here, without a call of ``_sentence``."""
        if summary.others_in_force:
            self._add_held_elsewhere(summary, case)
        if summary.person_hours:
            self._add_summed_hours(summary, case)
        if not summary.work:
            return
        texts, kinds, urgencies, days, whats = self._texts, WORK_KINDS, _URGENCY_INTS, self._days, self._whats
        rows = self._rows
        before = len(rows)
        try:
            for kind, due, urgency, reason, _decision, large in stored_work(summary.work):
                if kind in kinds:
                    day = days.get(due) or days.setdefault(due, date.fromisoformat(due))
                    if type(reason) is dict and not reason.get("args") and type(reason.get("key")) is str:
                        text = texts.get(reason["key"]) or self._sentence(reason)
                    else:
                        text = self._sentence(reason)
                    what = (urgencies.get(urgency) or int(Urgency(urgency)), day, bool(large), kinds[kind], text)
                    rows.append((whats.setdefault(what, what), case))
        except (ValueError, TypeError):  # a row that does not unpack or convert: none of this case's rows
            del rows[before:]

    def _add_held_elsewhere(self, summary: CaseSummary, case: int) -> None:
        """A new case's row naming the person's decisions in force in other cases (``ibic.held_elsewhere``)."""
        reminder = held_elsewhere_reminder(summary.status, self._today, held_of(summary))
        if reminder is not None:
            what = (int(reminder.urgency), reminder.due, False, reminder.kind, shown(reminder.reason))
            self._rows.append((self._whats.setdefault(what, what), case))

    def _add_summed_hours(self, summary: CaseSummary, case: int) -> None:
        """A case's row when its decisions count in the person's hours at or over the internal control's threshold
        while none reaches it alone (``ibic.granted_hours``, the rule Rapporter → Internkontroll sums by)."""
        reminder = summed_hours_reminder(summary, self._today)
        if reminder is not None:
            what = (int(reminder.urgency), reminder.due, True, reminder.kind, shown(reminder.reason))
            self._rows.append((self._whats.setdefault(what, what), case))

    def rows(self, columns: CaseColumns) -> WorkColumns:
        """The rows gathered, most urgent first (the domain's order, stable as ``ibic.work_list.ordered``), over
        the case list's ``columns``.

        Sorted with no Python call a row: the few distinct what-is-due tuples are ranked by the domain's order
        (``order_key`` without the case number; equal keys one rank), then the rows by case number and, stably, by
        their what's rank, each key picked out in C."""
        rows = self._rows
        if not rows:
            return WorkColumns(columns=columns)
        triples = {what: order_key(what[0], what[1], what[2], "")[:3] for what in self._whats}
        ranks = {triple: n for n, triple in enumerate(sorted(set(triples.values())))}
        rank_of = {what: ranks[triple] for what, triple in triples.items()}
        numbers = list(map(columns.case_numbers.__getitem__, map(itemgetter(1), rows)))  # made for the sort only
        rows = list(map(rows.__getitem__, sorted(range(len(rows)), key=numbers.__getitem__)))  # by case number
        del numbers
        keys = list(map(rank_of.__getitem__, map(itemgetter(0), rows)))
        ordered = list(map(rows.__getitem__, sorted(range(len(rows)), key=keys.__getitem__)))
        return WorkColumns(columns=columns, whats=list(map(itemgetter(0), ordered)),
                           cases=array("I", map(itemgetter(1), ordered)))

    def _sentence(self, reason: Any) -> str:
        if type(reason) is dict and not reason.get("args") and type(reason.get("key")) is str:
            key: Any = reason["key"]  # without arguments the sentence is its key's alone, as a plain-text reason's
        elif type(reason) is str:
            key = reason
        else:  # in a tuple, never equal to a text; repr tells JSON values apart as equality does (1 and "1")
            key = (repr(reason),)
        text = self._texts.get(key)
        if text is None:
            made = shown(from_json(reason))
            text = self._texts[key] = self._made.setdefault(made, made)  # equal sentences one object, too
        return text


def work_rows(rows: Iterable[CaseSummary], today: date) -> WorkColumns:
    """The work list's rows for the listed cases on ``today`` (over columns of their own)."""
    gathered, columns = WorkRows(today), CaseColumns()
    for summary in rows:
        gathered.add(summary)
        columns.append(summary.case_id, summary.case_number, summary.person_name)
    return gathered.rows(columns)


class WorkTableModel(QAbstractTableModel):
    """The rows as a lazy model: a bulk profile can have thousands, and Qt asks only for the cells it shows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = WorkColumns()
        self._headers = (self.tr("Due"), self.tr("What"), self.tr("Case number"), self.tr("Name"), self.tr("Reason"))
        self._prefixes = {3: self.tr("Overdue"), 2: self.tr("Soon"), 1: self.tr("Upcoming")}

    def set_rows(self, rows: Iterable[WorkRow]) -> None:
        self.beginResetModel()
        self.rows = rows if isinstance(rows, WorkColumns) else WorkColumns(rows)
        self.endResetModel()

    def update_cases(self, summaries: list[CaseSummary], cases: list[int], columns: CaseColumns,
                     today: date) -> None:
        """Replace the rows of these cases only (saved since the listing, judged on ``today``), keeping the order.
        ``cases``: each one's row index in the case list's ``columns``, which hold them already and which the rows
        must point into (refused otherwise: the indices would name other cases)."""
        rows = self.rows
        if rows.columns is not columns:
            raise ValueError("the work rows do not point into the case list's columns")
        self.beginResetModel()
        for case in cases:
            for at in reversed(rows.positions(case)):
                rows.delete(at)
        gathered = WorkRows(today)
        for summary, case in zip(summaries, cases, strict=True):
            gathered.add_at(summary, case)
        changed = gathered.rows(rows.columns)
        for what, case, row in zip(changed.whats, changed.cases, changed, strict=True):
            at = bisect.bisect_right(rows, _urgency_key(row), key=_urgency_key)
            rows.insert(at, what, case)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's name)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():  # a repaint asks for about eight roles a cell
            return None
        row = self.rows[index.row()]
        urgency = row.urgency
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._cell(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.reason
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 0 and urgency in URGENCY_COLOURS:
            return QBrush(URGENCY_COLOURS[urgency])
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0 and urgency in URGENCY_COLOURS:
            return QBrush(Qt.GlobalColor.black)  # the colours are chosen for black text
        return None

    def painted(self, row: int, column: int) -> tuple[str, QBrush | None, QColor | None]:
        """What ``ui.cases.cell_delegate`` paints: the text, and the due date's colour with black text on it."""
        if not 0 <= row < len(self.rows):
            return "", None, None
        work = self.rows[row]
        if column == 0 and work.urgency in URGENCY_COLOURS:
            return self._cell(work, column), _BRUSHES[work.urgency], _ON_COLOUR
        return self._cell(work, column), None, None

    def _cell(self, row: WorkRow, column: int) -> str:
        if column == 0:
            prefix = self._prefixes.get(row.urgency, "")
            return f"{prefix}: {row.due.isoformat()}" if prefix else row.due.isoformat()
        if column == 1:
            what = deadline_kind_text(row.kind)
            return self.tr("%1 (about 100 hours a month or more)").replace("%1", what) if row.large else what
        return (row.case_number, row.name, row.reason)[column - 2]


# The step (``ibic.workflow.Step``'s value) an Att göra row opens its case on: where that work is done. Each row had
# opened the case on 1. Ärendet whatever it said, so a planned follow-up or a SIP call was a second search away.
WORK_STEPS: dict[ReminderKind, str] = {
    # Seed 002: a decision running out, the yearly nyprövning and a large decision's follow-up are follow-ups; the
    # documents of a new decision are on that step too.
    ReminderKind.DECISION_EXPIRING: "follow_up",
    ReminderKind.REASSESSMENT_DUE: "follow_up",
    ReminderKind.LARGE_DECISION_FOLLOW_UP: "follow_up",
    ReminderKind.FOLLOW_UP_PLANNED: "follow_up",
    # An investigation to bring to a decision: Kontroll says what is still missing, each finding a link to its field.
    ReminderKind.UNDECIDED_APPLICATION: "check",
    ReminderKind.INVESTIGATION_SLOW: "check",
    # The discharge planning's dates (utskrivningsklar, SIP) are typed on the visit step.
    ReminderKind.DISCHARGE_SIP: "visit",
    ReminderKind.DISCHARGE_PAYMENT: "visit",
    # The kommunicering and the person's reply are recorded under the proposal.
    ReminderKind.COMMUNICATION_REPLY: "proposal",
    # A new case of a person with decisions in force elsewhere: the case itself, whose aktualisering it is.
    ReminderKind.DECISIONS_HELD: "case",
}

# Where typing starts on that step when it is not the step's first field (``WORK_STEPS``): the object name of the
# field the row's work is typed in. The visit step opened with the cursor on its list of visits, the SIP day a dozen
# Tabs below (a new visit's form, six text boxes), and on the proposal step the person's reply stood below every
# proposal's fields (s35-rui).
WORK_FIELDS: dict[ReminderKind, str] = {
    ReminderKind.DISCHARGE_SIP: "sipMeetingOn",
    # The municipality pays until the person leaves hospital: the day of discharge ends it.
    ReminderKind.DISCHARGE_PAYMENT: "dischargedOn",
    ReminderKind.COMMUNICATION_REPLY: "communicationResponse",
}


class WorkListPanel(QWidget):
    """A heading and a read-only table; ``case_activated(case id, step, field)`` on Enter or a double click, the step
    where the row's work is done (``WORK_STEPS``) and the field where its typing starts ("": the step's first,
    ``WORK_FIELDS``)."""

    case_activated = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workListPanel")
        self.heading = QLabel(self)
        self.heading.setObjectName("workListHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.model = WorkTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("workList")
        self.table.setAccessibleName(self.tr("To do"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the case list; arrows move between rows
        self.table.verticalHeader().hide()
        self.table.setItemDelegate(CellDelegate(self.model.painted, self.table))
        # Widths not measured from the rows: there may be 50,000.
        self.column_fit = ColumnFit(self.table, WORK_LIST_WEIGHTS, WORK_LIST_HIDE_ORDER, whole=True)
        self.column_menu = ColumnMenu(self.table, self.column_fit)
        self._line = self.fontMetrics().lineSpacing() + 10
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self._line)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        self.table.activated.connect(self._open)
        self.set_rows([])

    def minimumSizeHint(self) -> QSize:
        """Wide enough for the due date, the case number and the name whole (the window's least width follows):
        at the narrowest window at 20 pt the name was elided to "Tol…" beside the others (s29-look). Never wider
        than the screen (``least_width_on_screen``)."""
        hint = super().minimumSizeHint()
        table = self.table
        least = self.column_fit.least_width() + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), least_width_on_screen(self, least)), hint.height())

    @property
    def rows(self) -> WorkColumns:
        return self.model.rows

    def set_rows(self, rows: Iterable[WorkRow]) -> None:
        self.model.set_rows(rows)
        self._rows_changed()

    def update_cases(self, summaries: list[CaseSummary], cases: list[int], columns: CaseColumns,
                     today: date) -> None:
        self.model.update_cases(summaries, cases, columns, today)
        self._rows_changed()

    def _rows_changed(self) -> None:
        rows = self.rows
        # As high as its rows, up to a few: the case list below keeps most of the page.
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(self._line * (min(len(rows), _VISIBLE_ROWS) + 1) + frame)
        self.table.setVisible(bool(rows))
        self.heading.setText(self.tr("To do: %n item(s)", "", len(rows)) if rows else self.tr("To do: nothing due"))

    def cell_text(self, row: int, column: int) -> str:
        return str(self.model.data(self.model.index(row, column)))

    def focus_first(self) -> None:
        """Focus the list with its first row current, so Enter opens the most urgent case."""
        if self.rows:
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.selectRow(0)
            focus_by_keys(self.table)  # Ctrl+T: its current row drawn focused

    def _open(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.rows):
            row = self.rows[index.row()]
            self.case_activated.emit(row.case_id, WORK_STEPS.get(row.kind, "case"), WORK_FIELDS.get(row.kind, ""))
