"""A NUL (U+0000) pasted into an add form's line of text reached the record: a consent's name and scope, a
representative's name, another source's name were read with QLineEdit.text() as they were, stored, and pushed to a
server that cannot hold U+0000 (it refuses such a change at every sync). Bound fields and text areas already
dropped control characters. Now the add forms' lines do too (``fields.TextLine``). Fails on main."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import paste, type_text, unlock

from ibic.vocabulary import ConsentRecipient


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_a_nul_pasted_into_the_case_steps_add_forms_is_not_stored(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "greta")
    _press(qtbot, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    consents, person = workspace.case_page.consents, workspace.case_page.person
    paste(qtbot, consents.recipient_name, "Dottern\x00 Tova (fiktiv)")
    paste(qtbot, consents.scope, "Endast\x00 om boendet")
    consents.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    paste(qtbot, person.rep_name, "Gode\x00 Gunnar (fiktiv)")
    person.representatives.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    workspace.save_now()

    stored_case = demo_window.session.profile.cases.load(workspace.opened.case.id)
    stored_person = demo_window.session.profile.people.load(workspace.opened.person.id)
    added = [c for c in stored_case.consents if c.recipient == ConsentRecipient.RELATIVE and "Tova" in c.recipient_name]
    assert [(c.recipient_name, c.scope) for c in added] == [("Dottern Tova (fiktiv)", "Endast om boendet")]
    assert "Gode Gunnar (fiktiv)" in [r.name for r in stored_person.representatives]
    assert "\\u0000" not in stored_case.model_dump_json() + stored_person.model_dump_json()  # JSON's spelling
