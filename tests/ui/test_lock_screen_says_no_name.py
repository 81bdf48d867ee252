"""The lock screen shows nothing personal: a status-bar message naming a case and its person (a refused save over
the list: "Gäller ärende … (…)", shown for 15 s) went on being shown over the unlock page when Ctrl+L locked within
that time; the lock cleared the workspace, the list, the search and the title, but not the status bar. Fails on
main."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_save_onto_hidden_case import _keys, _quits_at_the_end, _typed_into_a_case_withdrawn_and_pulled_back
from uihelpers import type_text, walk_texts


@_quits_at_the_end
def test_ctrl_l_takes_a_message_naming_the_person_off_the_status_bar(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace, _central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    person = workspace.opened.person
    type_text(workspace.area_form.own, " igen")  # refused again as Ctrl+E leaves: said over the list, named
    _keys(qtbot, demo_window, Qt.Key.Key_E)
    assert person.full_name in demo_window.statusBar().currentMessage()
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        _keys(qtbot, demo_window, Qt.Key.Key_L)
    assert demo_window.stack.currentWidget() is demo_window.unlock_panel
    shown = [demo_window.statusBar().currentMessage(), *walk_texts(demo_window)]
    assert [text for text in shown if person.given_name in text or person.family_name in text] == []
