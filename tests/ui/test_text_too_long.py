"""A text longer than the store holds (ibic.limits), pasted as a person does: the refusal is said beside the field in
Swedish, the widget keeps the text, and shortening it stores it and takes the message away. Before, every text
binding had no message label: the model silently kept its old value, the page showed "saved", and the pasted text
was gone at the next lock."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from test_leave_with_refused_text import _answer
from uihelpers import paste, unlock

from ibic.limits import LONG_TEXT_MAX, NAME_MAX
from ui.common.fields import ErrorLabel


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
    paste(qtbot, form.own, too_long)
    assert _shown_errors(form) == ["Texten är för lång: högst 200\u00a0000 tecken."]
    assert form.own.toPlainText() == too_long  # nothing typed is thrown away
    assert workspace.save_now()
    reloaded = workspace.session.profile.cases.load(workspace.opened.case.id).investigation.assessment_for("d5")
    assert (reloaded.own_description if reloaded is not None else "") == before

    paste(qtbot, form.own, too_long[:LONG_TEXT_MAX])
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
    paste(qtbot, field, "Å" * (NAME_MAX + 1))
    assert _shown_errors(page) == ["Texten är för lång: högst 200 tecken."]
    paste(qtbot, field, stored)  # back to what is stored: nothing left to refuse
    assert _shown_errors(page) == []
    assert field.text() == stored


def _press_ctrl_e(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)


def test_an_add_form_refuses_a_name_over_the_limit_with_a_message_and_keeps_it(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_first_case(qtbot, demo_window)
    workspace.go_to("case")
    page = workspace.case_page
    editor = page.findChild(QWidget, "representatives")
    count = len(workspace.opened.person.representatives)
    name = "Å" * (NAME_MAX + 1)
    paste(qtbot, page.findChild(QWidget, "representativeName"), name)
    qtbot.mouseClick(page.findChild(QWidget, "representativesAdd"), Qt.MouseButton.LeftButton)
    assert editor.error.isVisible() and editor.error.text() == "Texten är för lång: högst 200 tecken."
    assert page.findChild(QWidget, "representativeName").text() == name
    assert len(workspace.opened.person.representatives) == count
    _press_ctrl_e(qtbot, demo_window)  # leaving adds what the form holds: refused the same way, never an exception
    assert "kunde inte läggas till" in _answer(qtbot, demo_window, "Lämna")  # and asked about, as a refused text
    assert demo_window.stack.currentWidget() is demo_window.case_list


def test_another_persons_view_with_a_source_name_over_the_limit_is_refused_with_a_message(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_first_case(qtbot, demo_window)
    workspace.go_to("areas", "d5")
    others = workspace.area_form.others
    paste(qtbot, others.source_name, "Å" * (NAME_MAX + 1))
    paste(qtbot, others.text, "Hon klarar inte trappan.")
    qtbot.mouseClick(others.add_button, Qt.MouseButton.LeftButton)
    assert others.warning.isVisible() and others.warning.text() == "Texten är för lång: högst 200 tecken."
    assert others.text.text() == "Hon klarar inte trappan."
    _press_ctrl_e(qtbot, demo_window)
    assert "kunde inte läggas till" in _answer(qtbot, demo_window, "Lämna")
    assert demo_window.stack.currentWidget() is demo_window.case_list


def test_a_new_case_with_a_name_over_the_limit_stays_open_with_a_message_and_the_text(qtbot, new_case_dialog) -> None:  # type: ignore[no-untyped-def]
    dialog = new_case_dialog
    name = "Å" * (NAME_MAX + 1)
    paste(qtbot, dialog.given_name, name)
    paste(qtbot, dialog.family_name, "Tolvansson")
    paste(qtbot, dialog.personal_number, "191212121212")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result_case is None
    assert dialog.name_error.isVisible() and dialog.name_error.text() == "Texten är för lång: högst 200 tecken."
    assert dialog.given_name.text() == name and dialog.personal_number.text() == "191212121212"


def test_a_care_contact_over_the_limit_says_so_until_the_field_is_back_to_what_is_stored(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_first_case(qtbot, demo_window)
    workspace.go_to("follow_up")
    continuity = workspace.follow_up_page.continuity
    assert continuity.isVisible()
    stored = continuity.care_contact.text()
    paste(qtbot, continuity.care_contact, "Å" * (NAME_MAX + 1))
    assert continuity.contact_error.isVisible()
    paste(qtbot, continuity.care_contact, stored or " ")  # back to what is stored: nothing refused is shown
    assert not continuity.contact_error.isVisible()


def test_an_ej_aktuellt_note_over_the_limit_is_refused_with_a_message_and_kept(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_first_case(qtbot, demo_window)
    workspace.go_to("areas", "d2")
    form = workspace.area_form
    form.own.setFocus()
    qtbot.keyClick(form.own, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # mark the area ej aktuellt
    assert form.not_relevant.isChecked()
    paste(qtbot, form.reason_note, "Vill vänta. " * (LONG_TEXT_MAX // 12 + 1))
    assert _shown_errors(form) == ["Texten är för lång: högst 200\u00a0000 tecken."]
    assert len(form.reason_note.toPlainText()) > LONG_TEXT_MAX
    stored = workspace.opened.case.investigation.assessment_for("d2")
    assert stored is not None and stored.not_relevant is not None and stored.not_relevant.note == ""
    paste(qtbot, form.reason_note, "Vill vänta.")
    assert _shown_errors(form) == []
    assert workspace.opened.case.investigation.assessment_for("d2").not_relevant.note == "Vill vänta."


def test_a_new_case_with_an_invisible_or_control_character_name_stays_open_with_a_message_and_the_text(  # type: ignore[no-untyped-def]
    qtbot, new_case_dialog
) -> None:
    """The server refuses a person so named (``ibic.name_rules.name_problem``) and with it every entry of their first
    save, which then never syncs: on s19-pushcheck's 7654a04 the dialog took a name pasted as zero-width spaces only,
    or holding a control character."""
    dialog = new_case_dialog
    paste(qtbot, dialog.personal_number, "191212121212")
    for given, message in (("\u200b\u200b", "Ange både förnamn och efternamn."),
                           ("Tol\x01van", "Ett namn kan inte innehålla tabbar, radbrytningar eller andra styrtecken.")):
        paste(qtbot, dialog.given_name, given)
        paste(qtbot, dialog.family_name, "Tolvansson")
        qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)
        assert dialog.isVisible() and dialog.result_case is None
        assert dialog.name_error.isVisible() and dialog.name_error.text() == message
        assert dialog.given_name.text() == given and dialog.personal_number.text() == "191212121212"
    paste(qtbot, dialog.given_name, "Tolvan")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)
    assert dialog.result_case is not None and dialog.result_person.given_name == "Tolvan"
