"""Every text field the workspace binds says a refused text right under itself: the binder makes the message label
on demand (``ui.common.fields.error_label_beside``), and a field in a layout it does not find would refuse silently
again (the text gone at the next lock with nothing said). Typing on past the limit keeps the one message (no second
label, nothing jumps), and the stored text typed back takes it away."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from test_text_too_long import _open_first_case
from uihelpers import paste, type_text

from ibic.limits import LONG_TEXT_MAX
from ui.common.binding import Binder
from ui.common.fields import ErrorLabel
from ui.common.text_area import TextArea

TOO_LONG = "Hon går i trappan.\n" * (LONG_TEXT_MAX // 19 + 1)  # over every text limit, cut to one over each


def _text_of(widget: QLineEdit | TextArea) -> str:
    return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()


def _shown_below(widget: Any) -> list[ErrorLabel]:
    """The visible messages in the field's own widget, placed under it."""
    parent = widget.parentWidget()
    return [label for label in parent.findChildren(ErrorLabel)
            if label.isVisible() and label.text() and label.parentWidget() is parent
            and label.geometry().top() >= widget.geometry().bottom()]


def _limit(target: Any, attribute: str) -> int:
    """The most characters the model takes in ``attribute`` (ibic.limits)."""
    return min(int(rule.max_length) for rule in type(target).model_fields[attribute].metadata
               if getattr(rule, "max_length", None) is not None)


def _bound_fields_shown(window: Any) -> list[tuple[QLineEdit | TextArea, int]]:
    """The text fields a binder edits, on the page now shown, each with its limit (the binder's list: a person reaches
    them by Tab; which of them a page binds is the page's business). Not a line whose own length limit is below the
    model's: a paste cannot pass the model's there."""
    fields = []
    for binder in window.workspace.findChildren(Binder):
        for binding in binder._bindings:
            widget, target = binding.widget, binding.target()
            if not (isinstance(widget, QLineEdit | TextArea) and widget.isVisible() and widget.isEnabled()):
                continue
            limit = _limit(target, binding.attribute)
            if not isinstance(widget, QLineEdit) or widget.maxLength() > limit:
                fields.append((widget, limit))
    return fields


def test_every_bound_text_field_says_a_refused_text_under_itself(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_first_case(qtbot, demo_window)
    checked = 0
    for step, area in (("case", ""), ("visit", ""), ("areas", "d5"), ("proposal", ""), ("follow_up", "")):
        workspace.go_to(step, area)
        QApplication.processEvents()
        for field, limit in _bound_fields_shown(demo_window):
            stored = _text_of(field)
            paste(qtbot, field, TOO_LONG[: limit + 1])
            labels = _shown_below(field)
            assert labels, field.objectName()
            assert labels[0].text() == f"Texten är för lång: högst {limit:,} tecken.".replace(",", "\u00a0")
            made = len(field.parentWidget().findChildren(ErrorLabel))
            qtbot.keyClick(field, Qt.Key.Key_End)
            type_text(field, "ö")  # typing on past the limit: the one message stays
            assert [label.text() for label in _shown_below(field)] == [labels[0].text()], field.objectName()
            assert len(field.parentWidget().findChildren(ErrorLabel)) == made, field.objectName()
            qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClick(field, Qt.Key.Key_Delete)
            if stored:
                paste(qtbot, field, stored)  # the stored text back: nothing refused is left to say
            assert _shown_below(field) == [] and labels[0].isHidden(), field.objectName()
            checked += 1
    assert checked >= 30  # the case, visit, life area, proposal and follow-up pages' texts
