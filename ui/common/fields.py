"""Form fields with an inline Swedish error message that never discards what the user typed."""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from PySide6.QtWidgets import QLayout

# Compiled on first use (re keeps it), not at import: the unlock page uses this module and no pattern.
_CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def clean_text(text: str) -> str:
    """Drop control characters (pasted from other programs) but keep line breaks and tabs."""
    return re.sub(_CONTROL_CHARACTERS, "", text)


class DateOutsideRange(ValueError):
    """A real calendar date outside the product's range (ibic.limits): its own message beside the field."""


def parse_date(text: str) -> date | None:
    """ÅÅÅÅ-MM-DD or ÅÅÅÅMMDD; empty text is no date. Raises ValueError for anything else (DateOutsideRange for a
    date the domain does not accept, such as 9999-12-31)."""
    cleaned = text.strip()
    if not cleaned:
        return None
    match = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", cleaned, re.ASCII)
    if match is None:
        raise ValueError("format")
    from datetime import date  # here: the unlock page, which uses this module's fields, needs no dates

    day = date(int(match[1]), int(match[2]), int(match[3]))
    from ibic.limits import in_event_range  # here, not at the top: ibic.limits imports pydantic, and the unlock
    # page (which uses this module's fields) must not wait for pydantic at start-up

    if not in_event_range(day):
        raise DateOutsideRange("range")
    return day


class ErrorLabel(QLabel):
    """The red sentence under a field; hidden while there is nothing to say."""

    # The labels saying something now (their Python wrappers, held weakly): while none does, a page switch knows at
    # once that no field holds a refused text, without walking the page's ~1,500 objects for its binders (~1 ms).
    _saying: ClassVar[weakref.WeakSet[ErrorLabel]] = weakref.WeakSet()
    # Told each time a label says or clears a message: a refused text is typed without any edit reaching the case,
    # so the workspace's drafts (ui.workspace.drafts) learn of it here. Held weakly, and let go once their Qt object
    # is deleted: a workspace a test deletes without ``detach`` must not break the next label's message.
    _listeners: ClassVar[list[weakref.WeakMethod[Callable[[], object]]]] = []

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setStyleSheet("color: #a4000f;")
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))
        if message:
            ErrorLabel._saying.add(self)
        else:
            ErrorLabel._saying.discard(self)
        for held in list(ErrorLabel._listeners):
            listener = held()
            try:
                if listener is not None:
                    listener()
                    continue
            except RuntimeError:  # "Internal C++ object already deleted"
                pass
            ErrorLabel._listeners.remove(held)

    @staticmethod
    def listen(method: Callable[[], object]) -> None:
        """Call ``method`` (a bound method) each time any label says or clears a message."""
        ErrorLabel._listeners.append(weakref.WeakMethod(method))

    @staticmethod
    def stop_listening(method: Callable[[], object]) -> None:
        ErrorLabel._listeners[:] = [held for held in ErrorLabel._listeners if held() not in (None, method)]

    @staticmethod
    def any_saying() -> bool:
        """False when no label has a message (True may also mean one on another page or dialog)."""
        return bool(ErrorLabel._saying)


def error_label_beside(widget: QWidget) -> ErrorLabel | None:
    """A hidden ErrorLabel placed right below ``widget`` in the box or form layout that holds it (on a form: a row of
    its own under the field); None when no such layout holds it."""
    from PySide6.QtWidgets import QBoxLayout, QFormLayout  # here: the unlock page, which uses this module, needs
    # neither (the binding builds a class and its enums when its name is first used)

    parent = widget.parentWidget()
    layout = _layout_holding(parent.layout(), widget) if parent is not None else None
    if parent is None or layout is None:
        return None
    label = ErrorLabel(parent)
    if isinstance(layout, QFormLayout):
        row, role = cast("tuple[int, QFormLayout.ItemRole]", layout.getWidgetPosition(widget))
        if role == QFormLayout.ItemRole.SpanningRole:
            layout.insertRow(row + 1, label)
        else:
            layout.insertRow(row + 1, "", label)
    elif isinstance(layout, QBoxLayout):
        layout.insertWidget(layout.indexOf(widget) + 1, label)
    return label


def _layout_holding(layout: QLayout | None, widget: QWidget) -> QLayout | None:
    from PySide6.QtWidgets import QBoxLayout, QFormLayout

    if layout is None:
        return None
    if layout.indexOf(widget) >= 0:
        return layout if isinstance(layout, QFormLayout | QBoxLayout) else None
    for index in range(layout.count()):
        item = layout.itemAt(index)
        inner = _layout_holding(item.layout(), widget) if item is not None else None
        if inner is not None:
            return inner
    return None


class DateField(QWidget):
    """A date typed as text (fast on a keyboard); an impossible date shows a message and keeps the text."""

    date_edited = Signal(object)  # emitted with the valid date (or None for empty) after each valid edit

    def __init__(self, object_name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(object_name)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.edit.setMaxLength(10)
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self._on_edited)
        self.edit.editingFinished.connect(self._on_finished)

    def set_date(self, value: date | None) -> None:
        self.edit.setText(value.isoformat() if value else "")
        self.error.show_message("")

    def value(self) -> date | None:
        """The date, or None when empty or invalid (the message tells the user which)."""
        try:
            return parse_date(self.edit.text())
        except ValueError:
            return None

    def is_valid(self) -> bool:
        try:
            parse_date(self.edit.text())
        except ValueError:
            return False
        return True

    def show_error(self, message: str) -> None:
        self.error.show_message(message)

    def typed(self) -> bool:
        """Whether the person typed here since the date was last set (``set_date``: a default such as today)."""
        return self.edit.isModified()

    def put_back(self, text: str) -> None:
        """Show ``text`` again as if typed (a refused date kept across a lock): its message, or ``date_edited``."""
        self.edit.setText(text)
        self.edit.setModified(True)
        self._on_edited(text)
        if not self.error.text():
            self._on_finished()

    def _on_edited(self, text: str) -> None:
        try:
            value = parse_date(text)
        except DateOutsideRange:
            self.error.show_message(self._range_message())
            return
        except ValueError:
            if len(text.strip()) >= 8:
                self.error.show_message(self.tr("The date does not exist. Write it as YYYY-MM-DD."))
            return
        self.error.show_message("")
        self.date_edited.emit(value)

    def _on_finished(self) -> None:
        """Leaving a half-typed date: say so, rather than let the old date stand silently."""
        try:
            parse_date(self.edit.text())
        except DateOutsideRange:
            self.error.show_message(self._range_message())
        except ValueError:
            self.error.show_message(self.tr("The date is not complete or does not exist. Write it as YYYY-MM-DD."))

    def _range_message(self) -> str:
        return self.tr("The date must lie between 1900-01-01 and 2099-12-31.")


# A QLineEdit cuts a paste at its maxLength, 32,767 characters unless set, without a word: a longer paste into a
# one-line field the model allows 200,000 in (a note) was stored cut. Past this the model's own limit refuses it
# with its message and the field keeps the whole text.
UNCUT_MAX_LENGTH = 2**31 - 1
_QT_DEFAULT_MAX_LENGTH = 32_767


def uncut(edit: QLineEdit) -> None:
    """Let ``edit`` take any paste whole (a field given a shorter maxLength on purpose keeps it)."""
    if edit.maxLength() == _QT_DEFAULT_MAX_LENGTH:
        edit.setMaxLength(UNCUT_MAX_LENGTH)


_Edit = TypeVar("_Edit", bound=QLineEdit)


class TextLine(QLineEdit):
    """A line of text an add form reads straight into a record (no binder between): its ``text()`` without control
    characters, as a binder's and a ``TextArea``'s. A NUL pasted into a consent's name was stored, and the server,
    which cannot hold U+0000, refused the record's change at every sync."""

    def text(self) -> str:
        return clean_text(super().text())


def text_line(object_name: str, accessible_name: str, parent: QWidget | None = None) -> TextLine:
    """``line_edit``'s field as a ``TextLine``."""
    return _named(TextLine(parent), object_name, accessible_name)


def line_edit(object_name: str, accessible_name: str, parent: QWidget | None = None) -> QLineEdit:
    """A QLineEdit with the names tests and screen readers use, that cuts no paste (``uncut``)."""
    return _named(QLineEdit(parent), object_name, accessible_name)


def _named(edit: _Edit, object_name: str, accessible_name: str) -> _Edit:
    edit.setObjectName(object_name)
    edit.setAccessibleName(accessible_name)
    uncut(edit)
    return edit


class Heading(QLabel):
    """A bold label ``scale`` times the base text size; ``rescale`` follows a new base size (text size setting)."""

    def __init__(self, scale: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale = scale
        self.rescale()

    def rescale(self) -> None:
        # Computed from the application's font, not from its own, so a second rescale does not multiply the scale
        # again; the parents' fonts follow the application's only on a later turn of the event loop.
        base = QFont(QApplication.font(self))
        base.setPointSizeF(base.pointSizeF() * self._scale)
        base.setBold(True)
        self.setFont(base)


def heading(object_name: str, scale: float, parent: QWidget | None = None) -> Heading:
    """A bold heading ``scale`` times the base text size, so it grows with the text size setting."""
    label = Heading(scale, parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)  # a long life-area name wraps instead of widening the page past the screen
    return label
