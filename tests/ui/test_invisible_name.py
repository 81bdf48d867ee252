"""A name of only invisible characters (a zero-width space, a joiner, combining accents alone) is blank: the new-case
dialog refuses it as it refuses an empty name, and keeps what was typed. Before, it made a case for a person whose
name showed and printed as nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from uihelpers import type_text


@pytest.mark.parametrize("invisible", ["\u200b", "\u0301\u200d", " \u2060 "])
def test_an_invisible_given_name_is_refused(qtbot, new_case_dialog, invisible: str) -> None:  # type: ignore[no-untyped-def]
    dialog = new_case_dialog
    type_text(dialog.given_name, invisible)
    type_text(dialog.family_name, "Tolvansson")
    type_text(dialog.personal_number, "191212121212")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result_case is None
    assert "Ange både förnamn och efternamn" in dialog.name_error.text()
    assert dialog.family_name.text() == "Tolvansson" and dialog.personal_number.text() == "191212121212"


@pytest.mark.parametrize("blank", ["\u200b", "\u0301\u200d", " "])
def test_a_name_edited_to_blank_on_the_case_page_is_refused_beside_it_and_kept_typed(  # type: ignore[no-untyped-def]
    qtbot, demo_window, blank: str
) -> None:
    # Before, the case page stored it: the person showed and printed with no name (the dialog and the door refuse it).
    workspace, field = _case_page_name_field(qtbot, demo_window, "personGivenName")
    stored = workspace.opened.person.given_name
    field.selectAll()
    type_text(field, blank)
    assert field.text() == blank, "what was typed stays in the field"
    assert "Ange både förnamn och efternamn." in _shown_field_errors(workspace)
    assert workspace.save_now()
    assert workspace.session.profile.people.load(workspace.opened.person.id).given_name == stored
    field.selectAll()
    type_text(field, "Margit")
    assert workspace.save_now()
    assert workspace.session.profile.people.load(workspace.opened.person.id).given_name == "Margit"


@pytest.mark.parametrize("pasted", ["Tolvans\tson", "Tolvans\u2028son", "Tolvans\u2029son"])
def test_a_name_pasted_with_a_tab_on_the_case_page_is_refused_as_the_server_refuses_it(  # type: ignore[no-untyped-def]
    qtbot, demo_window, pasted: str
) -> None:
    # Before, the case page refused only blank names: a tab pasted into a name was stored, and the server refused the
    # change at every push (ibic.name_rules.name_problem), so the name never reached it. A line separator (U+2028,
    # U+2029 from a Word text) was taken by both and printed the name on two lines (s34-probe).
    from uihelpers import paste

    workspace, field = _case_page_name_field(qtbot, demo_window, "personFamilyName")
    stored = workspace.opened.person.family_name
    paste(qtbot, field, pasted)
    assert field.text() == pasted, "what was pasted stays in the field"
    assert "Ett namn kan inte innehålla tabbar, radbrytningar eller andra styrtecken." in _shown_field_errors(workspace)
    assert workspace.save_now()
    assert workspace.session.profile.people.load(workspace.opened.person.id).family_name == stored


def _case_page_name_field(qtbot, window, name: str):  # type: ignore[no-untyped-def]
    """The first listed case opened on its case page, unlocked as a person does, and its name field ``name``."""
    from PySide6.QtWidgets import QWidget
    from uihelpers import unlock

    unlock(qtbot, window)
    window.open_case(window.case_list.model.summary(0).case_id)
    workspace = window.workspace
    workspace.go_to("case")
    return workspace, workspace.case_page.findChild(QWidget, name)


def _shown_field_errors(workspace) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    return [label.text() for label in workspace.case_page.findChildren(QWidget, "fieldError") if label.isVisible()]
