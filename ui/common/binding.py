"""Two-way binding between form widgets and attributes of domain objects.

A page declares which widget edits which attribute of which object; the binder fills the widgets when a case is
loaded and writes each edit straight into the object (pydantic validates on assignment). A refused value shows
its message next to the field and the widget keeps the text, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from ibic.limits import DATE_RANGE_MESSAGE
from ui.common.fields import DateField, ErrorLabel, clean_text, error_label_beside, uncut
from ui.common.text_area import TextArea
from ui.i18n import tr, whole_number

Target = Callable[[], Any]

# The objects whose accepted edits are being announced right now, each with the one field the edit changed (None
# when more of the object may have changed); a stack: an announcement may cause another.
_announcing: list[tuple[Any, str | None]] = []


def announced_change() -> Any | None:
    """The model object a Binder just changed, while its ``edited`` signal is being emitted; None at any other time.

    A slot reached through ``edited`` (directly or relayed by a page) learns exactly which object changed, so the
    autosave diffs only that object (``ui.workspace.autosave``). Slots of ``edited`` only show things: one that
    changed the model further would have to emit its own edit outside this announcement.
    """
    return _announcing[-1][0] if _announcing else None


def announced_field() -> str | None:
    """The field of ``announced_change()`` the edit set, when it changed nothing else of the object (no validator
    replaced another field's value): the autosave then dumps and diffs that field alone. None otherwise."""
    return _announcing[-1][1] if _announcing else None


def _only_field_changed(target: Any, before: dict[str, Any] | None, attribute: str) -> bool:
    after = getattr(target, "__dict__", None)
    return (before is not None and after is not None and after.keys() == before.keys()
            and all(value is before[name] for name, value in after.items() if name != attribute))


@dataclass
class _Binding:
    widget: QWidget
    target: Target
    attribute: str
    error: ErrorLabel | None
    read: Callable[[], Any]
    write: Callable[[Any], None]
    refuse: Callable[[Any], str] | None = None  # a value's refusal beyond the model's ("" when none)


class Binder(QObject):
    """Keeps a group of widgets and their model attributes in step; emits ``edited`` after each accepted edit."""

    edited = Signal(str)  # the attribute name that changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bindings: list[_Binding] = []
        self._loading = False

    def text(
        self, widget: QLineEdit | TextArea, target: Target, attribute: str, error: ErrorLabel | None = None,
        refuse: Callable[[str], str] | None = None,
    ) -> None:
        """Bind a line or text area to a string attribute. Without ``error``, a refused text (longer than the store
        holds, or one ``refuse`` answers with a message) gets a message label of its own under the field when it is
        first refused; the model keeps its value and the field what was typed."""
        if isinstance(widget, QLineEdit):
            uncut(widget)
            binding = _Binding(
                widget,
                target,
                attribute,
                error,
                lambda: clean_text(widget.text()),
                lambda v: widget.setText("" if v is None else str(v)),
                refuse,
            )
            widget.textEdited.connect(lambda _t: self._commit(binding))
        else:
            binding = _Binding(
                widget, target, attribute, error, widget.text, lambda v: widget.set_text("" if v is None else str(v))
            )
            widget.textChanged.connect(lambda: self._commit(binding))
        self._bindings.append(binding)

    def choice(self, widget: QComboBox, target: Target, attribute: str) -> None:
        """Bind a combo box whose items carry the attribute's values as item data."""

        def write(value: Any) -> None:
            index = widget.findData(value)
            widget.setCurrentIndex(max(index, 0))

        binding = _Binding(widget, target, attribute, None, widget.currentData, write)
        widget.currentIndexChanged.connect(lambda _i: self._commit(binding))
        self._bindings.append(binding)

    def flag(self, widget: QCheckBox, target: Target, attribute: str) -> None:
        binding = _Binding(widget, target, attribute, None, widget.isChecked, lambda v: widget.setChecked(bool(v)))
        widget.toggled.connect(lambda _c: self._commit(binding))
        self._bindings.append(binding)

    def date(self, widget: DateField, target: Target, attribute: str,
             refuse: Callable[[date | None], str] | None = None) -> None:
        """``refuse``: a day's refusal beyond the model's, said beside the field ("" when none)."""
        binding = _Binding(widget, target, attribute, widget.error, widget.value, widget.set_date, refuse)
        widget.date_edited.connect(lambda _d: self._commit(binding))
        self._bindings.append(binding)

    def refused(self) -> list[tuple[int, str]]:
        """The fields showing a value the model refused (too long, an impossible date, ...): each binding's index
        with the text as typed, so a lock can keep it and ``put_back`` can show it again after the unlock."""
        return [(index, typed_text(binding.widget)) for index, binding in self._refused_bindings()]

    def refused_fields(self) -> list[QWidget]:
        """The widgets of ``refused()``: the question before leaving names them and focuses the first."""
        return [binding.widget for _index, binding in self._refused_bindings()]

    def _refused_bindings(self) -> list[tuple[int, _Binding]]:
        return [(index, binding) for index, binding in enumerate(self._bindings)
                if binding.error is not None and binding.error.text()]

    def put_back(self, refused: list[tuple[int, str]]) -> None:
        """Type each kept text back into its field, as ``refused`` named them: refused again with its message."""
        for index, text in refused:
            if not 0 <= index < len(self._bindings):
                continue
            binding = self._bindings[index]
            widget = binding.widget
            if isinstance(widget, DateField):
                widget.put_back(text)  # its own message for an impossible date, else the model's refusal
            elif isinstance(widget, QLineEdit):
                widget.setText(text)  # textEdited is not emitted for a text set here
                self._commit(binding)
            elif isinstance(widget, TextArea):
                widget.set_text(text)  # textChanged commits it

    def load(self) -> None:
        """Fill every widget from its object (no edits are emitted while loading)."""
        self._loading = True
        try:
            for binding in self._bindings:
                target = binding.target()
                binding.widget.setEnabled(target is not None)
                if target is not None:
                    binding.write(getattr(target, binding.attribute))
                if binding.error is not None:
                    binding.error.show_message("")
        finally:
            self._loading = False

    def _commit(self, binding: _Binding) -> None:
        if self._loading:
            return
        target = binding.target()
        if target is None:
            return
        value = binding.read()
        previous = getattr(target, binding.attribute)
        if previous == value:
            if binding.error is not None:  # back to the stored value: nothing refused any more
                binding.error.show_message("")
            return
        refusal = binding.refuse(value) if binding.refuse is not None else ""
        if refusal:
            _show_refusal(binding, refusal)
            return
        before = dict(target.__dict__) if hasattr(target, "__dict__") else None
        try:
            setattr(target, binding.attribute, value)
        except ValidationError as error:
            _show_refusal(binding, validation_message(error))
            return
        if binding.error is not None:
            binding.error.show_message("")
        alone = _only_field_changed(target, before, binding.attribute)
        _announcing.append((target, binding.attribute if alone else None))
        try:
            self.edited.emit(binding.attribute)
        finally:
            _announcing.pop()


def _show_refusal(binding: _Binding, message: str) -> None:
    # The model keeps its previous value (ibic.base.DomainModel); the widget still shows the typed text, and the
    # message under it says why it is not stored (never silently: the text would be gone at the lock).
    if binding.error is None and isinstance(binding.widget, QLineEdit | TextArea):
        binding.error = error_label_beside(binding.widget)
    if binding.error is not None:
        binding.error.show_message(message)


def typed_text(widget: QWidget) -> str:
    """What a date, line or text field holds as typed (any other widget: nothing)."""
    if isinstance(widget, DateField):
        return widget.edit.text()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, TextArea):
        return widget.toPlainText()
    return ""


def too_long_message(limit: int) -> str:
    """How long a text may be, so the person knows how much to shorten it (200\u00a0000 written the Swedish way)."""
    return tr("The text is too long: at most %1 characters.").replace("%1", whole_number(limit))


def validation_message(error: ValidationError) -> str:
    """A Swedish sentence for the first problem pydantic found (its English text never reaches the user)."""
    text = str(error.errors()[0].get("msg", ""))
    if "end date is before start date" in text:
        return tr("The end date is before the start date.")
    if "withdrawal date is before the consent date" in text:
        return tr("The withdrawal date is before the consent date.")
    if "reply date is before the communication date" in text:
        return tr("The reply date is before the date of kommunicering.")
    if DATE_RANGE_MESSAGE in text:
        return tr("The date must lie between 1900-01-01 and 2099-12-31.")
    if error.errors()[0].get("type") == "string_too_long":
        limit = error.errors()[0].get("ctx", {}).get("max_length")
        return too_long_message(limit) if isinstance(limit, int) else tr("The text is too long.")
    if "greater than or equal" in text or "less than or equal" in text:
        return tr("The value is outside the allowed range.")
    return tr("The value cannot be used here. Check what you wrote.")
