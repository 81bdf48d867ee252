"""What the case list's table shows (``ShownCases``): the cases matching every typed word, in the chosen order, as
row indices into ``CaseTableModel``'s rows; search narrows the previous result while the query grows, and a few
candidates are tested one by one, many through the model's word masks.

Kept apart from ``ui.cases.table_model`` (session 21: it was over 900 lines).
"""

from __future__ import annotations

from itertools import compress
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush

from ui.cases.list_rows import _DEADLINE, COLUMNS, searched
from ui.cases.table_model import _ACCESSIBLE, _BACKGROUND, _DISPLAY, _ROLES, CaseTableModel, Index

_TYPED_ROWS = 400_000  # row indices remembered for the queries typed (3 MiB at most, while typing)
_FEW_ROWS = 8  # a query's candidates under an eighth of the rows are tested one by one (else: the word masks)


def query_words(text: str) -> list[str]:
    """The words typed (each once), as the rows' texts are searched (``list_rows.searched``)."""
    return list(dict.fromkeys(w for w in (searched(word) for word in text.split()) if w))  # each word once


def _ones(mask: bytes | bytearray) -> list[int]:
    """Where ``mask`` holds a 1 (a few places: one ``find`` in C each)."""
    found: list[int] = []
    at = mask.find(1)
    while at >= 0:
        found.append(at)
        at = mask.find(1, at + 1)
    return found


def _narrows(old: list[str], new: list[str]) -> bool:
    """Whatever matches ``new`` also matches ``old``: each old word is inside some new word (typing on). A word
    kept as it was is looked up, not compared with every new word: with a pasted paragraph's thousands of words,
    each key compared them all with each other (seconds a key)."""
    kept = set(new)
    return all(any(o in n for n in new) for o in old if o not in kept)


class ShownCases(QAbstractTableModel):
    """What the table shows: the cases matching every typed word, in the chosen order, as indices into
    ``CaseTableModel``'s rows. Sorting through the header reaches ``sort`` here."""

    def __init__(self, cases: CaseTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.cases = cases
        self._words: list[str] = []
        self._shown: list[int] = []
        self._count = 0  # the rows the view was last told of (the shown list may be an order changed in place)
        # The rows of the queries typed since the rows or the order last changed: Backspace goes back to one.
        self._typed: dict[tuple[str, ...], list[int]] = {}
        self._typed_size = 0

    def set_query(self, text: str) -> None:
        words = query_words(text)
        if words == self._words:
            return
        before = self._words
        narrowing = bool(before) and _narrows(before, words)
        self._words = words
        if not words:
            self.cases.forget_words()  # word masks live while one query is typed, edited and typed again
        shown = self._typed.get(tuple(words))
        if shown is None:
            if narrowing:  # the rows shown match every old word: only the words they do not imply are tested
                kept = set(before)
                shown = self._matching(self._shown, [w for w in words
                                                     if w not in kept and not any(w in o for o in before)])
            else:
                shown = self._matching(self.cases.current_order())
            if words:  # no words: the order itself, nothing to remember
                self._remember(words, shown)
        if shown == self._shown:  # every shown case still matches (typing on in a word all hold): nothing to redo
            self._shown = shown  # equal, but not the order that a saved case changes in place
            return
        self.beginResetModel()  # other rows found: a reset (a layout change is for rows that only move)
        self._shown, self._count = shown, len(shown)
        self.endResetModel()

    def _remember(self, words: list[str], shown: list[int]) -> None:
        if self._typed_size + len(shown) > _TYPED_ROWS:
            self._forget()
        self._typed[tuple(words)] = shown
        self._typed_size += len(shown)

    def _forget(self) -> None:
        self._typed.clear()
        self._typed_size = 0

    def refresh(self) -> None:
        """A whole new listing (the row indices mean other cases now): show it again for the same query."""
        self._forget()
        self.beginResetModel()
        self._shown = self._matching(self.cases.current_order())
        self._count = len(self._shown)
        self.endResetModel()

    def update(self, changed: list[int]) -> None:
        """These rows changed (and moved in the order): check them alone against the query, not every case."""
        self._forget()
        if not self._words:
            # The shown rows are the order itself, already changed in place: where the selected row was is gone.
            self._show(self.cases.current_order(), None)
            return
        shown = list(self._shown)  # a copy: the rows before are what the selection points at
        for index in changed:  # already moved in the order: found by a scan (a few rows changed, a scan in C)
            if index in shown:
                shown.remove(index)
        for index in self._matching(changed):
            shown.insert(self.cases.placed(shown, index), index)  # shown is in the current order
        self._show(shown, self._shown)

    def _show(self, shown: list[int], before: list[int] | None) -> None:
        """Show ``shown`` (row indices in the current order) instead of ``before``, the list shown until now.

        When the same rows only move (a header click, a saved case placed again), a layout change: the view's
        persistent indexes (the selection, the current row: a few) move with their case, or become invalid when
        ``before`` is not known. Otherwise (other rows found, a case added) a reset, as Qt wants when rows come
        and go."""
        if len(shown) != self._count:
            self.beginResetModel()
            self._shown, self._count = shown, len(shown)
            self.endResetModel()
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        if kept:
            self.changePersistentIndexList(kept, [self._moved(p, shown, before) for p in kept])
        self._shown = shown
        self.layoutChanged.emit()

    def _moved(self, index: QModelIndex, shown: list[int], before: list[int] | None) -> QModelIndex:
        """Where a persistent index of the rows ``before`` points in ``shown``: the same case and column."""
        if before is None or not 0 <= index.row() < len(before):
            return QModelIndex()
        case = before[index.row()]
        at = self.cases.placed(shown, case)
        return self.index(at, index.column()) if at < len(shown) and shown[at] == case else QModelIndex()

    def _matching(self, candidates: list[int], words: list[str] | None = None) -> list[int]:
        """The candidates whose text holds each of ``words`` (the query's by default), in their order."""
        words = self._words if words is None else words
        total = self.cases.rowCount()
        if not words or len(candidates) * _FEW_ROWS < total:
            return self._tested(candidates, words)
        # Many candidates: which rows hold the words, from the kept word masks (one pass in C a new word), then
        # the candidates picked by it in their order.
        mask = self.cases.holding(words)
        found = mask.count(1)
        if found == total:
            return list(candidates)  # typing on in a word every row holds (the common first letters)
        if len(candidates) < total:
            if words is not self._words and len(candidates) * 2 > total and self.cases.kept(self._words):
                # Typing on over most but not all rows ("ann" after "an", which most names hold): the whole
                # query's rows picked out of the current order (an and of the kept masks, then two passes in C)
                # cost about half a look-up per candidate at 50,000 rows. The same rows: the candidates are those
                # of the shorter query, which each word of this one narrows.
                return self.cases.picked(self.cases.holding(self._words))
            return list(compress(candidates, map(mask.__getitem__, candidates)))
        if found * _FEW_ROWS * 4 < total:  # a few of all rows: find them, sort them
            return self.cases.sorted_subset(_ones(mask))
        return self.cases.picked(mask)

    def _tested(self, candidates: list[int], words: list[str]) -> list[int]:
        """The candidates whose text holds each of ``words``, testing them one by one."""
        texts, label_of, labels = self.cases.search_parts()
        shown = candidates
        for word in sorted(words, key=len, reverse=True):  # the longest first: it usually finds the fewest rows
            if not shown:
                break
            hit = bytes(word in label for label in labels)
            if any(hit):
                shown = [i for i in shown if hit[label_of[i]] or word in texts[i]]
            else:  # in no label (names, numbers): the rows' own texts alone
                shown = [i for i in shown if word in texts[i]]
        return shown

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        reversal = column == self.cases.sort_column and order != self.cases.sort_order
        self.cases.set_sort(column, order)
        self._forget()
        before = self._shown
        if not self._words:
            shown = self.cases.current_order()
        elif reversal:
            # The same column the other way: the whole order reversed, ties included, so the rows reversed too.
            shown = before[::-1]
        elif len(before) * 8 < self.cases.rowCount():
            # A few found: sort them alone, ties by index as in the whole order.
            shown = self.cases.sorted_subset(before)
        elif self.cases.kept(self._words):  # the query's word masks (kept while it was typed): picked in C
            shown = self.cases.picked(self.cases.holding(self._words))
        else:
            found = set(before)
            whole = self.cases.current_order()
            shown = list(compress(whole, map(found.__contains__, whole)))
        self._show(shown, before)

    def case_id(self, row: int) -> str:
        return self.cases.case_id(self._shown[row])

    def row_of(self, case_id: str) -> int:
        """The shown row of a case, -1 when it is filtered out."""
        index = self.cases.position(case_id)
        if index is None:
            return -1
        shown = self._shown
        at = self.cases.placed(shown, index)  # shown is in the current order: a binary search
        return at if at < len(shown) and shown[at] == index else -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's name)
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self.cases.headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role at each repaint: the common case in as few steps as possible.
        if role not in _ROLES:
            return None
        row, shown = index.row(), self._shown
        if not 0 <= row < len(shown):  # an invalid index has row -1
            return None
        if role in (_DISPLAY, _ACCESSIBLE):
            return self.cases.texts(shown[row])[index.column()]
        return self.cases.cell(shown[row], index.column(), role)

    def painted(self, row: int, column: int) -> tuple[str, QBrush | None, None]:
        """What ``ui.cases.cell_delegate`` paints: the shown text and the deadline's colour (one call a cell)."""
        shown = self._shown
        if not 0 <= row < len(shown):
            return "", None, None
        index = shown[row]
        brush = self.cases.cell(index, column, _BACKGROUND) if column == _DEADLINE else None  # the others have none
        return self.cases.texts(index)[column], brush, None
