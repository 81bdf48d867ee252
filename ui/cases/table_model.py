"""The case list's model: every listed case (``CaseTableModel``), its column orders and the search's word masks.

Built for 50,000 cases with every step within a frame on the UI thread: a row keeps only what the list shows, sorts
and searches (no ``CaseSummary``); search filters a list of indices with plain ``in`` tests in one comprehension
(narrowing the previous result while the query grows) instead of a proxy calling Python once per row; each
column's ascending order is computed once (in idle turns after a listing) and kept up to date when one case
changes, so a header click is a lookup, a reversal or one pass over the order. The rows are built in
``ui.cases.list_rows``; what the table shows (the search's result, in the chosen order) is
``ui.cases.shown_cases.ShownCases``.
"""

from __future__ import annotations

import bisect
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from itertools import compress, repeat
from operator import contains, itemgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from ibic.messages import loads
from ibic.personal_number import PersonalNumber
from ibic.reminders import ReminderKind
from ibic.vocabulary import CaseStatus
from storage.repositories.cases import CaseSummary
from ui.cases.deadline_text import deadline_kind_text
from ui.cases.list_rows import (
    _DEADLINE,
    _NO_DEADLINE,
    COLUMNS,
    BuiltRows,
    ListRow,
    RowBuilder,
    State,
    _ascending,
    _token,
    searched,
    sort_key,
)
from ui.cases.packed import CaseColumns, Packed
from ui.i18n import language
from ui.messages import shown

if TYPE_CHECKING:
    from ibic.reference_files import ListedReference  # only named: the list is handed the loaded labels

Index = QModelIndex | QPersistentModelIndex
# Deadline colours chosen for contrast with black text (WCAG AA on white rows).
URGENCY_COLOURS = {3: QColor("#f6c6c6"), 2: QColor("#fbe3b0"), 1: QColor("#dcebf7")}
SummaryRole = Qt.ItemDataRole.UserRole + 1
_DISPLAY, _ACCESSIBLE = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.AccessibleTextRole)
_BACKGROUND, _TOOLTIP = int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ToolTipRole)
_URGENCY_BRUSHES = {urgency: QBrush(colour) for urgency, colour in URGENCY_COLOURS.items()}
_WORD_MASKS = 32  # the words typed lately, each one byte a row (1.6 MiB at most at 50,000 rows)
_RENDERED_ROWS = 2048  # rendered rows kept: a few screens' worth, so scrolling back and repaints cost nothing
# The other columns' orders are computed in idle turns starting this long after a new listing: its first paint and
# the first search typed or pasted at it go first (the name order alone is ~5 ms at 10,000 rows). A header clicked
# sooner computes its order then.
_WARM_AFTER_MS = 200
_KINDS = {kind.value: kind for kind in ReminderKind}  # a stored kind from an older program is shown without a name
_UPDATED, _PERSONAL = COLUMNS.index("updated"), COLUMNS.index("personal_number")
# The roles a cell answers. A repaint asks each visible cell for about eight roles; the others return at once
# (a Python call per cell and role is most of a keystroke's cost at any number of cases).
_ROLES = frozenset(int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                                    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, SummaryRole))


# Each column's sort key: which of the row's columns it is made from (``ListRow``'s field) and how. The
# personnummer's and the last change's are kept beside the rows (``CaseTableModel.order_key``).
_SORT_KEYS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "name": ("name", sort_key),
    # The status, then why a closed case was closed ("Avslutad – Annat: …" beside "Avslutad – Avlidit").
    "status": ("state", lambda state: (state[0].value, _label_key(state[5]))),
    "deadline": ("due", lambda due: _NO_DEADLINE if due[0] is None else due[0].toordinal()),
    "case_number": ("case_number", str),
    "applied_for": ("state", lambda state: _label_key(state[4])),
    "sync": ("state", lambda state: (state[2], state[1])),
}
_LABEL_KEYS: dict[str, str] = {}  # what was applied for -> its sort key: a few hundred texts at most, in 50,000 rows
_LABEL_KEYS_KEPT = 4096


def _label_key(label: str) -> str:
    """``sort_key`` of what a row applied for, made once a text: the catalogue's labels hold an en dash ("Hemtjänst
    – serviceinsatser"), which takes ``sort_key``'s slow path (~2 µs); made for every row, the column's order cost
    an idle turn of ~120 ms at 50,000 cases, a key typed just after the unlock waiting for it (s23-rprobe)."""
    key = _LABEL_KEYS.get(label)
    if key is None:
        if len(_LABEL_KEYS) >= _LABEL_KEYS_KEPT:  # free texts typed in thousands of cases: never grows without end
            _LABEL_KEYS.clear()
        key = _LABEL_KEYS[label] = sort_key(label)
    return key


class CaseTableModel(QAbstractTableModel):
    """Every listed case, in the current sort order. Personnummer are masked: the screen may face the person or a
    relative. Not filtered: ``ShownCases`` is what the table shows."""

    def __init__(self, ref: ListedReference, parent: Any = None) -> None:
        super().__init__(parent)
        self.ref = ref
        # The rows column by column (``ListRow``'s fields): the strings packed, one shared tuple a row in the lists.
        self._columns = CaseColumns()
        self._dues: list[tuple[date | None, str, str, int]] = []
        self._states: list[State] = []
        # Each case id's token (32 bits of its hash) above its row index, sorted: a case's row is found by a binary
        # search (a dict of 50,000 ids held 70 bytes a row). Beside the rows, index for index: what search looks in.
        self._ids = array("Q")
        self._search: list[str] = []
        # The applied-for labels as search looks in them, by number, and each row's label number.
        self._label_numbers: dict[str, int] = {}
        self._label_texts: list[str] = []
        self._label_of = array("I")
        self._updated = array("d")  # each row's last change, a timestamp
        self._numbers = array("q")  # each row's personnummer (RowBuilder.number; the odd ones in the builder's list)
        self._keys = _SORT_KEYS
        self._orders: dict[int, list[int]] = {}  # column -> row indices in ascending order, computed on demand
        self._masks: dict[str, bytearray] = {}  # word -> one byte a row, 1 where its search text holds the word
        # The current order and what picks its rows' bytes out of a mask in that order (built at the first search
        # in an order; an order changed in place drops it).
        self._picker: tuple[tuple[int, Qt.SortOrder], list[int], Callable[[bytes | bytearray], Any]] | None = None
        self._builder = RowBuilder(ref)
        self.ever_synced = False  # "Synkat" only once this profile has been in contact with the server
        self.withdrawn: frozenset[str] = frozenset()  # reassigned away, still here until their changes are synced
        self.sort_column = COLUMNS.index("deadline")
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._warm = QTimer(self)
        self._warm.setSingleShot(True)
        self._warm.setInterval(0)
        self._warm.timeout.connect(self._warm_one)
        # Translated once: a repaint renders every visible row.
        self._labels = {"fictitious": self.tr(" (fictitious)"), "withdrawn": self.tr("Moved away, waiting to sync"),
                       "conflict": self.tr("Conflict"), "waiting": self.tr("Waiting"), "synced": self.tr("Synced"),
                       "never": self.tr("Not synced yet")}
        self._prefixes = {3: self.tr("Overdue"), 2: self.tr("Soon"), 1: self.tr("Upcoming")}
        self._kind_texts = {value: deadline_kind_text(kind) for value, kind in _KINDS.items()}
        self._status_labels = {s: ref.label("case_status", s.value, language()) for s in CaseStatus}
        self._rendered: dict[int, tuple[str, ...]] = {}
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

    # --- filling ------------------------------------------------------------------------------------------------
    def set_built(self, built: BuiltRows) -> None:
        """Replace every row with a listing built beforehand (on a worker: ``built_rows``)."""
        self.beginResetModel()
        self._builder = built.builder
        self._columns, self._dues, self._states = built.columns, built.dues, built.states
        self._ids, self._search = built.ids, built.search
        self._label_numbers, self._label_of = dict(built.labels), built.label_of
        self._updated, self._numbers = built.updated, built.numbers
        self._label_texts = [searched(label) for label in self._label_numbers]
        self._rendered.clear()
        self._masks.clear()
        self._picker = None
        self._orders = dict(built.orders)
        self.endResetModel()
        self._warm.start(_WARM_AFTER_MS)  # then the other columns' orders in idle turns, one column a turn

    def update_rows(self, summaries: Iterable[CaseSummary]) -> list[int]:
        """Replace or add the rows of these cases (saved since the listing) without touching the others; returns
        their row indices."""
        changed = [self._builder(s) for s in summaries]
        indices: list[int] = []
        if not changed:
            return indices
        self.layoutAboutToBeChanged.emit()
        for case_id, case_number, name, due, state, search, updated, number in changed:
            row = ListRow(case_id, case_number, name, due, state)
            index = self.position(row.case_id)
            if index is None:
                index = len(self._dues)
                self._append(row, search, updated, number)
                moved = list(self._orders)
            else:
                # Only the orders whose value changed: a save mostly changes the last-change time and the sync
                # state, not the name or the deadline. Where the value is the same the row stays where it is
                # (ties go by index, and the index is kept). Out of those orders by the old value (a binary
                # search), then in again by the new one.
                old = (self.row(index), self._updated[index], self._numbers[index])
                moved = [column for column in self._orders
                         if self._value(column, *old) != self._value(column, row, updated, number)]
                for column in moved:
                    order = self._orders[column]
                    del order[self._place(order, index, column)]
                self._columns.set(index, row.case_number, row.name)
                self._dues[index], self._states[index], self._search[index] = row.due, row.state, search
                self._updated[index], self._numbers[index] = updated, number
                self._label_of[index] = self._label(row.applied)
            indices.append(index)
            self._rendered.pop(index, None)
            self._mark_words(index, search)
            for column in moved:
                order = self._orders[column]
                order.insert(self._place(order, index, column), index)
            if self._picker is not None and self._picker[0][0] in moved:
                self._picker = None  # its order changed in place
        self.layoutChanged.emit()
        return indices

    def position(self, case_id: str) -> int | None:
        """The row index of a case (what ``row`` takes), None when it is not listed."""
        token, ids, case_ids = _token(case_id), self._ids, self._columns.case_ids
        at = bisect.bisect_left(ids, token << 32)
        while at < len(ids) and ids[at] >> 32 == token:
            index = ids[at] & 0xFFFFFFFF
            if case_ids[index] == case_id:  # not another id with the same token
                return index
            at += 1
        return None

    def _append(self, row: ListRow, search: str, updated: float, number: int) -> None:
        bisect.insort(self._ids, _token(row.case_id) << 32 | len(self._dues))
        self._columns.append(row.case_id, row.case_number, row.name)
        self._dues.append(row.due)
        self._states.append(row.state)
        self._search.append(search)
        self._updated.append(updated)
        self._numbers.append(number)
        self._label_of.append(self._label(row.applied))

    def _label(self, applied: str) -> int:
        number = self._label_numbers.get(applied)
        if number is None:
            number = self._label_numbers[applied] = len(self._label_texts)
            self._label_texts.append(searched(applied))
        return number

    # --- order --------------------------------------------------------------------------------------------------
    def ascending(self, column: int) -> list[int]:
        """Row indices in ascending order of ``column``, ties by index (kept; computed the first time, normally in
        idle turns). Every order keeps ties by index, so a row is found and placed in one by a binary search."""
        order = self._orders.get(column)
        if order is None:
            # The same int objects in every order (ints above 256 are 28-byte objects): the first order's, by index.
            first = next(iter(self._orders.values()), None)
            indices = sorted(first) if first else range(len(self._dues))
            order = self._orders[column] = _ascending(self._column_keys(column), indices)  # ties stay by index
        return order

    def _column_keys(self, column: int) -> Sequence[Any]:
        """Every row's sort key in ``column``, index for index."""
        if column == _UPDATED:
            return self._updated
        if column == _PERSONAL:
            if not self._builder.odd:  # 12 digits each: the ints are in the order of their texts
                return self._numbers
            return list(map(self.personal_number, range(len(self._dues))))
        field, key = self._keys[COLUMNS[column]]
        return list(map(key, self._column(field)))

    def _column(self, field: str) -> Packed | list[Any]:
        """One of ``ListRow``'s fields for every row, index for index (the model's own column: do not change it)."""
        if field == "due":
            return self._dues
        if field == "state":
            return self._states
        columns = self._columns
        return columns.names if field == "name" else columns.case_numbers if field == "case_number" else (
            columns.case_ids)

    def _value(self, column: int, row: ListRow, updated: float, number: int) -> Any:
        """A row's sort key in ``column`` from its parts (``update_rows``: before and after a save)."""
        if column == _UPDATED:
            return updated
        if column == _PERSONAL:
            return self._number_text(number)
        field, key = self._keys[COLUMNS[column]]
        return key(getattr(row, field))

    def personal_number(self, index: int) -> str:
        """Row ``index``'s personnummer as stored (kept as a number: ``RowBuilder.number``)."""
        return self._number_text(self._numbers[index])

    def _number_text(self, number: int) -> str:
        return f"{number:012d}" if number >= 0 else self._builder.odd[-number - 1]

    def order_key(self, column: int | None = None) -> Callable[[int], tuple[Any, int]]:
        """What orders row indices in ``column`` (the sort column by default): its value, then the index."""
        column = self.sort_column if column is None else column
        if column == _UPDATED:
            updated = self._updated
            return lambda i: (updated[i], i)
        if column == _PERSONAL:
            number = self.personal_number
            return lambda i: (number(i), i)
        field, key = self._keys[COLUMNS[column]]
        values = self._column(field)
        return lambda i: (key(values[i]), i)

    def _place(self, order: list[int], index: int, column: int) -> int:
        """Where row ``index`` is, or goes, in ``column``'s ascending order (by the row's current values)."""
        key = self.order_key(column)
        return bisect.bisect_left(order, key(index), key=key)

    def current_order(self) -> list[int]:
        order = self.ascending(self.sort_column)
        return order[::-1] if self.sort_order == Qt.SortOrder.DescendingOrder else order

    def sorted_subset(self, indices: Iterable[int]) -> list[int]:
        """``indices`` in the current order, without the whole order (for a few rows found by a search)."""
        return sorted(indices, key=self.order_key(), reverse=self.descending())

    def descending(self) -> bool:
        return self.sort_order == Qt.SortOrder.DescendingOrder

    def placed(self, rows: Sequence[int], index: int) -> int:
        """Where row ``index`` is, or goes, in ``rows`` (row indices in the current order): a binary search."""
        key, descending = self.order_key(), self.descending()
        wanted = key(index)
        low, high = 0, len(rows)
        while low < high:
            middle = (low + high) // 2
            value = key(rows[middle])
            if (value > wanted) if descending else (value < wanted):
                low = middle + 1
            else:
                high = middle
        return low

    def set_sort(self, column: int, order: Qt.SortOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.sort_column, self.sort_order = column, order
        self.layoutChanged.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.set_sort(column, order)

    def orders_ready(self) -> bool:
        return len(self._orders) == len(COLUMNS)

    def _warm_one(self) -> None:
        missing = [c for c in range(len(COLUMNS)) if c not in self._orders]
        if missing:
            self.ascending(missing[0])
        if len(missing) > 1:
            self._warm.start(0)

    # --- reading ------------------------------------------------------------------------------------------------
    def row(self, index: int) -> ListRow:
        """The row at ``index`` in the storage order (what ``ascending`` and ``ShownCases`` point at), made from the
        columns (a new object each time: read it, do not keep it)."""
        columns = self._columns
        return ListRow(columns.case_ids[index], columns.case_numbers[index], columns.names[index], self._dues[index],
                       self._states[index])

    def case_id(self, index: int) -> str:
        """Row ``index``'s case id (without making its ``ListRow``)."""
        return self._columns.case_ids[index]

    def columns(self) -> CaseColumns:
        """The rows' ids, case numbers and names: the work list's rows point into them (the model's own)."""
        return self._columns

    def search_parts(self) -> tuple[list[str], array[int], list[str]]:
        """What search looks in: each row's own text and label number, and the labels' texts by number (the lists
        themselves: do not change them)."""
        return self._search, self._label_of, self._label_texts

    def holding(self, words: list[str]) -> bytes | bytearray:
        """One byte a row index, 1 where the row's search text holds every one of ``words`` (at least one).

        Each word's bytes come from one pass over the texts in their stored order, in C (``map``/``contains``):
        the texts lie in memory in that order, so the pass reads it straight through, where a pass in a sorted
        order jumps about and costs up to four times as much. A word's bytes are kept until the rows change, so
        the next key and Backspace test only the words not seen yet (until the search field is emptied)."""
        if len(words) == 1:
            return self._word_mask(words[0])
        # The longest first (it usually holds the fewest rows), and no word more once no row holds them all: a
        # pasted paragraph's thousands of words made a mask each, seconds of a frozen window at 10,000 cases.
        joined = -1
        for word in sorted(words, key=len, reverse=True):
            joined &= int.from_bytes(self._word_mask(word), "little")  # bytes of 0 and 1: the and is per row
            if not joined:
                break
        return joined.to_bytes(len(self._search), "little")

    def _word_mask(self, word: str) -> bytearray:
        mask = self._masks.get(word)
        if mask is None:
            # Typing on ("000" after "00"): only the rows holding a kept word inside this one can hold it. When
            # those are under half the rows, only their texts are tested (still in stored order, skipped in C).
            inside = max((w for w in self._masks if w in word), key=len, default=None)
            base = None if inside is None else self._masks[inside]
            if len(self._masks) >= _WORD_MASKS:
                self._masks.clear()
            hit = bytes(word in label for label in self._label_texts)
            if hit and all(hit):  # every label holds the word ("t", "tjänst" when all applied for hemtjänst)
                mask = self._masks[word] = bytearray(b"\x01") * len(self._search)
                return mask
            if base is not None and base.count(1) * 2 < len(base):
                mask = bytearray(len(base))
                rows = compress(range(len(base)), base)
                held = compress(rows, map(contains, compress(self._search, base), repeat(word)))
                deque(map(mask.__setitem__, held, repeat(1)), maxlen=0)
            else:
                mask = bytearray(map(contains, self._search, repeat(word)))
            if any(hit):  # some labels hold the word: their rows too
                labelled = bytes(map(hit.__getitem__, self._label_of))
                mask = bytearray((int.from_bytes(mask, "little") | int.from_bytes(labelled, "little"))
                                 .to_bytes(len(mask), "little"))
            self._masks[word] = mask
        return mask

    def kept(self, words: list[str]) -> bool:
        """Whether each of ``words`` has its mask kept (``holding`` would make none)."""
        return all(word in self._masks for word in words)

    def forget_words(self) -> None:
        """The search was emptied: the next query's words are other words (and the memory is given back)."""
        self._masks.clear()

    def _mark_words(self, index: int, search: str) -> None:
        """Row ``index`` (changed or added) in the kept word masks: the other rows' bytes stay right."""
        label = self._label_texts[self._label_of[index]]
        for word, mask in self._masks.items():
            holds = word in search or word in label
            if index < len(mask):
                mask[index] = holds
            else:
                mask.append(holds)

    def picked(self, mask: bytes | bytearray) -> list[int]:
        """The row indices of the current order whose byte in ``mask`` is 1, in that order: two passes in C."""
        key = (self.sort_column, self.sort_order)
        if self._picker is None or self._picker[0] != key:
            order = self.current_order()
            if len(order) < 2:  # itemgetter of one index gives the item, not a tuple
                return [i for i in order if mask[i]]
            self._picker = (key, order, itemgetter(*order))
        _, order, pick = self._picker
        return list(compress(order, pick(mask)))

    def summary(self, row: int) -> ListRow:
        """The ``row``-th case in the current sort order (``case_id``, ``case_number``, …)."""
        return self.row(self.current_order()[row])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's name)
        return 0 if parent.isValid() else len(self._dues)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None
        return self.cell(self.current_order()[index.row()], index.column(), role)

    def cell(self, index: int, column: int, role: int) -> Any:
        """What row ``index`` shows in ``column`` for ``role``."""
        if role in (_DISPLAY, _ACCESSIBLE):
            return self.texts(index)[column]
        if role == _BACKGROUND:
            return _URGENCY_BRUSHES.get(self._dues[index][3]) if column == _DEADLINE else None
        if role == _TOOLTIP:
            # The deadline's sentence; elsewhere the whole text, which a narrow column elides.
            if column == _DEADLINE:
                return shown(loads(self._dues[index][2])) or None
            return self.texts(index)[column] or None
        return self.row(index) if role == SummaryRole else None

    def texts(self, index: int) -> tuple[str, ...]:
        """The shown texts of row ``index``, kept for the rows shown lately (a repaint asks for each cell)."""
        texts = self._rendered.get(index)
        if texts is None:
            if len(self._rendered) >= _RENDERED_ROWS:
                self._rendered.clear()
            texts = self._rendered[index] = self._render(self.row(index), index)
        return texts

    def set_flags(self, *, ever_synced: bool | None = None, withdrawn: frozenset[str] | None = None) -> None:
        """Whether the profile ever synced and which cases were moved away: the sync column's text."""
        before = (self.ever_synced, self.withdrawn)
        if ever_synced is not None:
            self.ever_synced = ever_synced
        if withdrawn is not None:
            self.withdrawn = withdrawn
        if (self.ever_synced, self.withdrawn) != before:
            self._rendered.clear()

    def _render(self, row: ListRow, index: int) -> tuple[str, ...]:
        words = self._labels
        return (
            row.name + (words["fictitious"] if row.fictitious else ""),
            PersonalNumber(self.personal_number(index)).masked(),
            f"{self._status_labels[row.status]} – {row.closing}" if row.closing else self._status_labels[row.status],
            self._deadline_text(row),
            row.case_number,
            row.applied,
            datetime.fromtimestamp(self._updated[index]).strftime("%Y-%m-%d %H:%M"),
            self._sync_text(row),
        )

    def _deadline_text(self, row: ListRow) -> str:
        if row.deadline is None:
            return ""
        prefix = self._prefixes.get(row.urgency, "")
        what = f"{self._kind_texts.get(row.deadline_kind, '')} {row.deadline.isoformat()}".strip()
        return f"{prefix}: {what}" if prefix else what

    def _sync_text(self, row: ListRow) -> str:
        words = self._labels
        if row.case_id in self.withdrawn:
            return words["withdrawn"]
        if row.conflict:
            return words["conflict"]
        if row.pending:
            return words["waiting"]
        return words["synced"] if self.ever_synced else words["never"]
