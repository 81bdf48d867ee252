"""A compact "list + add form + remove" editor used for representatives, consents, visits, applied items,
follow-ups and their goals.

What the add form holds is not in the case until it is added: Add, or the case left (a lock, a close, another case:
``CaseWorkspace.add_pending``). Moving to another step of the same case neither adds it nor loses it: the step's next
load binds the same list and keeps the form as typed (a goal half written is not recorded as met by the combo's first
choice, nor a visit cut off). An add refused (a text longer than the store holds, a part missing) keeps the form as
typed with the reason beside it, and counts as a refused text when the case is left: the question names it
(``refused_fields``, ``ui.workspace.leaving``), as for a bound field's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.binding import validation_message
from ui.common.fields import DateField, ErrorLabel
from ui.common.widgets import ignoring_checked

ItemIdRole = Qt.ItemDataRole.UserRole + 10


class ListEditor(QGroupBox):
    """Shows items as one line each; the page supplies how to describe, build and remove them."""

    edited = Signal()

    def __init__(
        self,
        title: str,
        name: str,
        form: QWidget,
        describe: Callable[[Any], str],
        build: Callable[[], Any | None],
        parent: QWidget | None = None,
        extra_buttons: list[QPushButton] | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self._describe, self._build = describe, build
        self._form = form
        self._items: Callable[[], list[Any]] = list
        self._refused = False  # the last add of what the form holds was refused
        self.listing = QListWidget(self)
        self.listing.setObjectName(f"{name}List")
        self.listing.setAccessibleName(title)
        self.listing.setWordWrap(True)
        self.listing.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        self.error = ErrorLabel(self)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName(f"{name}Add")
        self.add_button.setAccessibleName(self.tr("Add") + f" – {title}")
        self.remove_button = QPushButton(self.tr("Remove selected"), self)
        self.remove_button.setObjectName(f"{name}Remove")
        self.remove_button.setAccessibleName(self.tr("Remove selected") + f" – {title}")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        for button in extra_buttons or []:
            buttons.addWidget(button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.listing)
        layout.addWidget(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(ignoring_checked(self._add))
        self.remove_button.clicked.connect(ignoring_checked(self._remove))

    def bind(self, items: Callable[[], list[Any]]) -> bool:
        """Edit the list that ``items()`` returns (re-read on every refresh, so a new case just works). True when
        the add form was emptied (the page then sets its defaults, such as today's date).

        Another list (another case, another follow-up) empties the form: text typed for one case must never show
        up in the next one. The same list bound again (its step shown again) keeps what the form holds, not added,
        with its message.
        """
        another = items() is not self._items()
        self._items = items
        if another:
            for field in self._form_fields():
                field.clear()
            self._refused = False
            self.error.show_message("")
        self.refresh()
        return another

    def _form_fields(self) -> list[QLineEdit | QPlainTextEdit]:
        """The add form's free-text fields (dates keep their default and are not counted as typed text)."""
        lines = [
            e
            for e in self._form.findChildren(QLineEdit)
            if not isinstance(e.parent(), DateField) and not isinstance(e.parent(), QComboBox)
        ]
        return [*lines, *self._form.findChildren(QPlainTextEdit)]

    def draft_fields(self) -> list[QLineEdit | QPlainTextEdit]:
        """The fields whose text a draft keeps while not added (``ui.workspace.drafts``)."""
        return self._form_fields()

    def has_pending_text(self) -> bool:
        return any((f.text() if isinstance(f, QLineEdit) else f.toPlainText()).strip() for f in self._form_fields())

    def flush_pending(self) -> None:
        """Add what is typed in the add form but not yet added (before a lock, a close or a case switch)."""
        if self.has_pending_text():
            self._add()

    def refused_fields(self) -> list[QWidget]:
        """The add form's fields holding text whose add was refused (leaving the page would lose it)."""
        if not self._refused:
            return []
        return [f for f in self._form_fields() if (f.text() if isinstance(f, QLineEdit) else f.toPlainText()).strip()]

    def refused_choices(self) -> list[QWidget]:
        """Beside a refused add's text (``refused_fields``), what else its form holds as chosen: each list's choice,
        each box ticked or not and each day typed (not a default). A lock keeps them with the text
        (``CaseWorkspace.refused_texts``): typed back without them, the add after the unlock took the defaults, and a
        refusal to consent to a named person whose name was missing was recorded as a consent to an anhörig, dated
        that day (s34-readback); a visit's "Tolk närvarande" came back unticked, and the visit was added as one
        without an interpreter (s35-probelock)."""
        if not self.refused_fields():
            return []
        days = [field.edit for field in self._form.findChildren(DateField) if field.typed()]
        return [*self._form.findChildren(QComboBox), *self._form.findChildren(QCheckBox), *days]

    def kept_at_lock(self) -> list[QWidget]:
        """What a lock keeps of this form, typed back after the unlock: a refused add's choices and text
        (``refused_choices``, ``refused_fields``); else, when the form holds no text but a day typed (a follow-up's
        planned date, a visit's day), that day with the form's choices and boxes, as they were: no add is made of a
        day alone, and they came back as the defaults (s35-probelock: a follow-up planned for a day and started by
        an expiring decision came back as today's, started by the handläggare)."""
        refused = self.refused_fields()
        if refused:
            return [*self.refused_choices(), *refused]
        days = [field.edit for field in self._form.findChildren(DateField) if field.typed()]
        if not days or self.has_pending_text():
            return []
        return [*self._form.findChildren(QComboBox), *self._form.findChildren(QCheckBox), *days]

    def drop_refused(self) -> None:
        """The person chose to leave: the refused add's text goes, with its message."""
        if self._refused:
            for field in self._form_fields():
                field.clear()
        self._refused = False
        self.error.show_message("")

    def refresh(self) -> None:
        self.listing.clear()
        for item in self._items():
            row = QListWidgetItem(self._describe(item), self.listing)
            row.setData(ItemIdRole, item.id)

    def refresh_texts(self) -> None:
        """Update each row's text in place: the selection (and whatever form shows it) stays put."""
        for index, item in enumerate(self._items()):
            row = self.listing.item(index)
            if row is not None:
                row.setText(self._describe(item))

    def selected_id(self) -> str | None:
        row = self.listing.currentItem()
        return None if row is None else str(row.data(ItemIdRole))

    def _add(self) -> None:
        try:
            built = self._build()
        except ValidationError as error:  # a text longer than the store holds: said here, kept in the form
            self.error.show_message(validation_message(error))
            built = None
        if built is None:  # the builder said why beside the form
            self._refused = self.has_pending_text()
            return
        self._items().append(built)
        self._refused = False
        self.error.show_message("")
        self.refresh()
        self.edited.emit()

    def _remove(self) -> None:
        selected = self.selected_id()
        if selected is None:
            return
        items = self._items()
        items[:] = [i for i in items if i.id != selected]
        self.refresh()
        self.edited.emit()
