"""A text longer than the store holds (ibic.limits), pasted as a person does: the refusal is said beside the field in
Swedish, the widget keeps the text, and shortening it stores it and takes the message away. Before, every text
binding had no message label: the model silently kept its old value, the page showed "saved", and the pasted text
was gone at the next lock."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from uihelpers import unlock

from ibic.limits import LONG_TEXT_MAX, NAME_MAX
from ui.common.fields import ErrorLabel


def _paste(qtbot: Any, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()


def _shown_errors(page: QWidget) -> list[str]:
    return [label.text() for label in page.findChildren(ErrorLabel) if label.isVisible() and label.text()]


def _open_first_case(qtbot: Any, window: Any) -> Any:
    unlock(qtbot, window)
    window.open_case(window.case_list.model.summary(0).case_id)
    return window.workspace


def test_a_pasted_text_over_the_limit_is_refused_beside_the_field_and_kept_in_it(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_first_case(qtbot, demo_window)
    workspace.go_to("areas", "d5")
    form = workspace.area_form
    stored = workspace.opened.case.investigation.assessment_for("d5")
    before = stored.own_description if stored is not None else ""
    too_long = "Lång text. " * (LONG_TEXT_MAX // 11 + 1)
    _paste(qtbot, form.own, too_long)
    assert _shown_errors(form) == ["Texten är för lång."]
    assert form.own.toPlainText() == too_long  # nothing typed is thrown away
    assert workspace.save_now()
    reloaded = workspace.session.profile.cases.load(workspace.opened.case.id).investigation.assessment_for("d5")
    assert (reloaded.own_description if reloaded is not None else "") == before

    _paste(qtbot, form.own, too_long[:LONG_TEXT_MAX])
    assert _shown_errors(form) == []
    assert workspace.save_now()
    reloaded = workspace.session.profile.cases.load(workspace.opened.case.id).investigation.assessment_for("d5")
    assert reloaded is not None and reloaded.own_description == too_long[:LONG_TEXT_MAX]


def test_a_name_over_the_limit_says_so_and_typing_back_the_stored_name_clears_the_message(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_first_case(qtbot, demo_window)
    workspace.go_to("case")
    page = workspace.case_page
    field = page.findChild(QWidget, "personFamilyName")
    stored = workspace.opened.person.family_name
    _paste(qtbot, field, "Å" * (NAME_MAX + 1))
    assert _shown_errors(page) == ["Texten är för lång."]
    _paste(qtbot, field, stored)  # back to what is stored: nothing left to refuse
    assert _shown_errors(page) == []
    assert field.text() == stored
