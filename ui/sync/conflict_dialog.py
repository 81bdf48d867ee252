"""The conflict dialog: per case and field, base / mine / theirs side by side, differences highlighted.

After a restore from a backup the other side may be this laptop's own text, synced before the restore
(``Conflict.own_earlier``): it is then "Min tidigare", not "Deras" (docs/glossary.md), in its title, its button,
its accessible name, a note under the texts and the list's tooltip.

Free text whose two edits do not overlap may be merged three-way, shown as such; nothing is decided without the
user. The choice goes to ``resolve(conflict_id, value)`` (the window passes ``profile.sync.resolve_conflict``),
which journals it as a new change to be pushed. A case's own status kept against a colleague's closing is a
reopening (``ibic.status_conflict``): refused by its rule, the store keeps theirs and says why, shown here.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ibic.messages import Message
from ibic.personal_number import PersonalNumber
from ibic.status_conflict import ClosingNotHere, reopens
from ui.common.screen_fit import fit_to_screen
from ui.common.widgets import enter_kept_from_default, named, push_button, wrapped_label
from ui.messages import shown as shown_message
from ui.sync.merge import diff_html, merge3

CONFLICT_ROLE = Qt.ItemDataRole.UserRole + 1
PERSON_CLASH = "person_clash"  # storage.person_clash.CLASH_RECORD_TYPE: the two records are shown whole
_NOT_SHOWN = frozenset({"id", "document_version", "sex"})  # sex follows from the personnummer
_FIRST = ("given_name", "family_name", "personal_number", "address", "phone")
_ADDRESS = ("care_of", "street", "postal_code", "city")


class ConflictLike(Protocol):
    """The fields of ``storage.sync_state.Conflict`` the dialog reads (read-only)."""

    @property
    def conflict_id(self) -> str: ...
    @property
    def record_type(self) -> str: ...
    @property
    def record_id(self) -> str: ...
    @property
    def case_id(self) -> str | None: ...
    @property
    def path(self) -> str: ...
    @property
    def base_value(self) -> Any: ...
    @property
    def local_value(self) -> Any: ...
    @property
    def server_value(self) -> Any: ...
    @property
    def own_earlier(self) -> bool: ...


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def merged_value(conflict: ConflictLike) -> str | None:
    """The three-way merge of a free-text conflict, or None when it is not text or the edits overlap."""
    mine, theirs, base = conflict.local_value, conflict.server_value, conflict.base_value
    if not (isinstance(mine, str) and isinstance(theirs, str) and isinstance(base, str | None)):
        return None
    return merge3(base or "", mine, theirs)


class ConflictDialog(QDialog):
    """Lists open conflicts; ``conflict_resolved(conflict_id)`` after each choice, closes when none are left."""

    conflict_resolved = Signal(str)

    def __init__(
        self,
        conflicts: Sequence[ConflictLike],
        resolve: Callable[[str, Any], Message | None],
        case_labels: dict[str, str] | None = None,
        parent: QWidget | None = None,
        field_label: Callable[[str], str] | None = None,
        value_label: Callable[[str, Any], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setAccessibleName(self.tr("Sync conflicts"))
        self.setWindowTitle(self.tr("Sync conflicts"))
        fit_to_screen(self, QSize(self.fontMetrics().averageCharWidth() * 120, self.fontMetrics().lineSpacing() * 32))
        self._resolve = resolve
        self._conflicts = {c.conflict_id: c for c in conflicts}
        self._rows: dict[str, QTreeWidgetItem] = {}  # each conflict's row, in the list's order
        self._labels = case_labels or {}
        self._field_label = field_label or (lambda path: path.replace("/", " › "))
        self._value_label = value_label or (lambda _path, _value: None)
        self._tree = named(QTreeWidget(self), "conflictList", self.tr("Conflicts per case and field"))
        self._tree.setHeaderLabels([self.tr("Case and field")])
        self._tree.currentItemChanged.connect(self._show_current)
        self._base = self._browser("conflictBase", self.tr("Before both edits"))
        self._mine = self._browser("conflictMine", self.tr("My version"))
        self._theirs = self._browser("conflictTheirs", self.tr("Their version"))
        self._merged = self._browser("conflictMerged", self.tr("Merged text"))
        self._merge_note = named(QLabel(self), "conflictMergeNote", self.tr("About the merged text"))
        self._side_note = named(wrapped_label("", self), "conflictSideNote", self.tr("About my earlier version"))
        self._error = named(wrapped_label("", self), "conflictError", self.tr("Error message"))
        # Each choice has its letter (Behåll min Alt+B, Ta deras Alt+T, Använd sammanslagning Alt+A, Stäng Alt+S;
        # s33-conflict: none had one, so each choice by keys was Tab after Tab from the list and back again). The
        # accessible names are the words alone.
        self._keep_mine = push_button(self.tr("&Keep mine"), "keepMineButton", self._choose_mine, self,
                                      self.tr("Keep mine"))
        self._take_theirs = push_button(self.tr("&Take theirs"), "takeTheirsButton", self._choose_theirs, self,
                                        self.tr("Take theirs"))
        self._use_merged = push_button(self.tr("Use &merged text"), "useMergedButton", self._choose_merged, self,
                                       self.tr("Use merged text"))
        # Esc alone closed it: opened from the Synk menu with nothing to resolve it was an empty window without a
        # word or a way out on screen.
        self._close = push_button(self.tr("&Close"), "conflictCloseButton", self.reject, self,
                                  self.tr("Close"))
        self._layout()
        self._fill_tree()

    def _browser(self, name: str, accessible: str) -> QTextBrowser:
        return named(QTextBrowser(self), name, accessible)

    def _title(self, text: str, buddy: QWidget, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setObjectName(f"{buddy.objectName()}Title")
        label.setAccessibleName(text)
        label.setBuddy(buddy)
        return label

    def _layout(self) -> None:
        sides = self._sides = QWidget(self)
        grid = QGridLayout(sides)
        titles = []
        for column, (title, browser) in enumerate(
            ((self.tr("Before"), self._base), (self.tr("Mine"), self._mine), (self.tr("Theirs"), self._theirs))
        ):
            titles.append(self._title(title, browser, sides))
            grid.addWidget(titles[-1], 0, column)
            grid.addWidget(browser, 1, column)
        self._theirs_title = titles[-1]
        grid.addWidget(self._side_note, 2, 0, 1, 3)
        self._side_note.hide()
        merged_title = self._title(self.tr("Merged"), self._merged, sides)
        grid.addWidget(merged_title, 3, 0)
        grid.addWidget(self._merge_note, 3, 1, 1, 2)
        grid.addWidget(self._merged, 4, 0, 1, 3)
        splitter = QSplitter(self)
        splitter.addWidget(self._tree)
        splitter.addWidget(sides)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([320, 680])  # room for "Personlig vård › Egen beskrivning"
        buttons = QHBoxLayout()
        buttons.addWidget(self._error, 1)
        for button in (self._keep_mine, self._take_theirs, self._use_merged):
            buttons.addWidget(button)
        buttons.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        buttons.addWidget(self._close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _fill_tree(self, after: str | None = None) -> None:
        """The conflicts by case; ``after``: the conflict just resolved, whose place the next one takes."""
        shown_before = list(self._rows)
        self._tree.clear()
        by_case: dict[str, QTreeWidgetItem] = {}
        grouped: dict[str, list[tuple[str, QTreeWidgetItem]]] = {}
        for conflict in self._conflicts.values():
            key = conflict.case_id or f"{conflict.record_type}:{conflict.record_id}"
            parent = by_case.get(key)
            if parent is None:
                label = self._labels.get(key) or (
                    self.tr("Case %1").replace("%1", key[:8]) if conflict.case_id
                    else self.tr("One personnummer, two person records") if conflict.record_type == PERSON_CLASH
                    else self.tr("Person record")
                )
                parent = QTreeWidgetItem(self._tree, [label])
                by_case[key] = parent
            label = self._field_label(conflict.path)
            item = QTreeWidgetItem(parent, [label])
            item.setToolTip(0, self.tr("%1 (against my earlier version, synced from this computer before the "
                                       "restore)").replace("%1", label) if conflict.own_earlier else label)
            item.setData(0, CONFLICT_ROLE, conflict.conflict_id)
            grouped.setdefault(key, []).append((conflict.conflict_id, item))
        self._rows = {conflict_id: item for rows in grouped.values() for conflict_id, item in rows}  # list order
        self._tree.expandAll()
        child = self._row_after(shown_before, after) or next(iter(self._rows.values()), None)
        if child is not None:
            self._tree.setCurrentItem(child)
            self._tree.scrollToItem(child)
        else:
            if not self._conflicts:
                self._say_none_left()
            self._show_current(None, None)

    def _row_after(self, shown_before: list[str], resolved: str | None) -> QTreeWidgetItem | None:
        """The row of the conflict that followed ``resolved`` in the list as it was (else the one before it): after a
        choice the selection moves on to the next conflict, not back to the first (s33-conflict: with 50 conflicts
        the list jumped to its top after each choice, and the next one was 30 presses of Down away again)."""
        if resolved not in shown_before:
            return None
        at = shown_before.index(resolved)
        for conflict_id in [*shown_before[at + 1:], *reversed(shown_before[:at])]:
            if conflict_id in self._rows:
                return self._rows[conflict_id]
        return None

    def _say_none_left(self) -> None:
        """A row that says so, which cannot be chosen, and no choice buttons: there is nothing to resolve.

        Session 27's row was selectable like a conflict, with Keep mine and Take theirs beside it (greyed, but
        offered): it read as a conflict to resolve."""
        note = QTreeWidgetItem(self._tree, [self.tr("No conflicts to resolve.")])
        note.setFlags(Qt.ItemFlag.ItemIsEnabled)  # readable, never selected as a choice
        self._tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the focus on Stäng, not a frame round the note
        for button in (self._keep_mine, self._take_theirs, self._use_merged):
            button.hide()
        self._sides.hide()  # Före, Min, Deras and Sammanslagen would be four empty boxes
        metrics = self.fontMetrics()
        fit_to_screen(self, QSize(metrics.averageCharWidth() * 60, metrics.lineSpacing() * 12))  # a note, a button
        self._close.setDefault(True)  # Enter closes, as Esc does (keyPressEvent lets it through)
        self._close.setFocus()

    def current_conflict(self) -> ConflictLike | None:
        """The conflict selected in the list."""
        item = self._tree.currentItem()
        conflict_id = item.data(0, CONFLICT_ROLE) if item is not None else None
        return self._conflicts.get(conflict_id) if conflict_id else None

    def _show_current(self, _current: object, _previous: object) -> None:
        conflict = self.current_conflict()
        enabled = conflict is not None
        for button in (self._keep_mine, self._take_theirs):
            button.setEnabled(enabled)
        self._name_other_side(conflict is not None and conflict.own_earlier)
        if conflict is None:
            for browser in (self._base, self._mine, self._theirs, self._merged):
                browser.clear()
            self._use_merged.setEnabled(False)
            self._merge_note.clear()
            return
        if conflict.record_type == PERSON_CLASH:
            self._show_clash(conflict)
            return
        if self._show_words(conflict):
            return
        base = _as_text(conflict.base_value)
        self._base.setHtml(f'<p style="white-space:pre-wrap;">{html.escape(base)}</p>')
        self._mine.setHtml(diff_html(base, _as_text(conflict.local_value)))
        self._theirs.setHtml(diff_html(base, _as_text(conflict.server_value)))
        merged = merged_value(conflict)
        self._use_merged.setEnabled(merged is not None)
        if merged is None:
            self._merged.clear()
            self._merge_note.setText(self.tr("The edits overlap: choose one version."))
        else:
            self._merged.setHtml(diff_html(base, merged))
            self._merge_note.setText(self.tr("Both edits merged: they do not overlap."))

    def _show_words(self, conflict: ConflictLike) -> bool:
        """A value of a vocabulary (a status, a place) as its words, whole, and no merge: False where it is none."""
        words = [self._value_label(conflict.path, value)
                 for value in (conflict.base_value, conflict.local_value, conflict.server_value)]
        if not any(words):
            return False
        for browser, shown, value in zip((self._base, self._mine, self._theirs), words,
                                         (conflict.base_value, conflict.local_value, conflict.server_value),
                                         strict=True):
            browser.setPlainText(shown or _as_text(value))
        self._merged.clear()
        self._use_merged.setEnabled(False)
        self._merge_note.setText(self.tr("The edits overlap: choose one version."))
        if reopens(conflict.record_type, conflict.path, conflict.local_value, conflict.server_value):
            # Said before the choice (s34-rrace: only a refusal told it, after it): Behåll min is a reopening.
            self._side_note.setText(self.tr("Keep mine opens the closed case again (after the closing, which stays "
                                            "in its history)."))
            self._side_note.setAccessibleName(self.tr("About keeping mine"))
            self._side_note.show()
        return True

    def _name_other_side(self, own_earlier: bool) -> None:
        """The other side as what it is: a colleague's or the central system's ("Deras"), or, after a restore, this
        laptop's own text synced before it ("Min tidigare": s28 called it "Deras", as if someone else wrote it)."""
        if own_earlier:
            title, take, name = (self.tr("My earlier"), self.tr("&Take my earlier"),
                                 self.tr("My earlier version, synced from this computer before the restore"))
            self._side_note.setText(self.tr("My earlier: the text this computer synced before the restore from a "
                                            "backup."))
            self._side_note.setAccessibleName(self.tr("About my earlier version"))
        else:
            title, take, name = self.tr("Theirs"), self.tr("&Take theirs"), self.tr("Their version")
        self._side_note.setVisible(own_earlier)
        self._theirs_title.setText(title)
        self._theirs_title.setAccessibleName(title)
        self._take_theirs.setText(take)
        self._take_theirs.setAccessibleName(take.replace("&", ""))
        self._theirs.setAccessibleName(name)

    def _show_clash(self, conflict: ConflictLike) -> None:
        """The laptop's person and the central system's record on one number, side by side, fields named."""
        self._base.setPlainText(self.tr(
            "The central system has its own person record on a personnummer that a person on this computer already "
            "has. Compare the two and choose whose details are right. Either way the cases stay under one person."
        ))
        self._mine.setPlainText(self._person_text(conflict.local_value))
        self._theirs.setPlainText(self._person_text(conflict.server_value))
        self._merged.clear()
        self._use_merged.setEnabled(False)
        self._merge_note.setText(self.tr(
            "Keep mine: this computer's details, the central system's where this computer has none. "
            "Take theirs: the central system's."
        ))

    def _person_text(self, document: Any) -> str:
        if not isinstance(document, dict):
            return ""
        keys = [k for k in _FIRST if k in document] + sorted(k for k in document if k not in _FIRST)
        lines = [f"{self._field_label(key)}: {self._value_text(key, document[key])}"
                 for key in keys if key not in _NOT_SHOWN]
        return "\n".join(line for line in lines if not line.endswith(": "))

    def _value_text(self, key: str, value: Any) -> str:
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if key == "personal_number" and isinstance(value, str) and len(value) == 12 and value.isdigit():
            return PersonalNumber(value).formatted()
        if isinstance(value, dict):  # an address: its parts on one line, in the order they are written
            parts = [value.get(k) for k in _ADDRESS] + [v for k, v in value.items() if k not in _ADDRESS]
            return ", ".join(str(part) for part in parts if part not in (None, ""))
        return _as_text(value) if value != [] else ""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter on a conflict in the list (to look at it, as in any list) reached the default button, Keep mine,
        # and overwrote the other laptop's edit: a version is chosen only by its button.
        if not (self._conflicts and enter_kept_from_default(self, event)):  # none left: Enter closes (Stäng)
            super().keyPressEvent(event)

    def _choose_mine(self) -> None:
        conflict = self.current_conflict()
        if conflict is not None:
            self._apply(conflict, conflict.local_value)

    def _choose_theirs(self) -> None:
        conflict = self.current_conflict()
        if conflict is not None:
            self._apply(conflict, conflict.server_value)

    def _choose_merged(self) -> None:
        conflict = self.current_conflict()
        merged = merged_value(conflict) if conflict is not None and self._use_merged.isEnabled() else None
        if conflict is not None and merged is not None:
            self._apply(conflict, merged)

    def _apply(self, conflict: ConflictLike, value: Any) -> None:
        try:
            refused = self._resolve(conflict.conflict_id, value)
        except ClosingNotHere as error:  # the conflict stays: the choice can be checked once the closing is here
            self._error.setText(shown_message(error.reason))
            return
        except Exception:  # the store refused (locked, disk full): keep the conflict, say so, decide nothing
            self._error.setText(self.tr("The choice could not be saved. Try again."))
            return
        if refused is None:
            self._error.clear()
        else:  # one's own status against a closing the rule does not let this user take back: the server's is kept
            self._error.setText(self.tr("Keep mine was not possible: %1 The case keeps their status.").replace(
                "%1", shown_message(refused)))
        del self._conflicts[conflict.conflict_id]
        self.conflict_resolved.emit(conflict.conflict_id)
        if not self._conflicts and refused is None:
            self.accept()
            return
        self._fill_tree(after=conflict.conflict_id)  # none left after a refusal: its message stays, beside Stäng
