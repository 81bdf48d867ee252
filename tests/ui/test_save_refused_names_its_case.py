"""A refused save says which case it was whenever that case is not the one on screen, whatever refused it (before,
only a change too large to send named it): said over the list after Ctrl+E, or at the unlock's save of what a lock
kept, "Gäller ärende … (…)" followed a sentence that could be about any case. On screen the case is in view and the
sentence stands alone. The log names the case by its id, never the person. Tests fail on main."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from test_save_onto_hidden_case import _keys, _quits_at_the_end, _typed_into_a_case_withdrawn_and_pulled_back
from uihelpers import type_text, unlock

ARRIVING = "hämtas på nytt från servern"


def _named(window: Any) -> str:
    opened = window.workspace.opened
    return f"Gäller ärende {opened.case.case_number} ({opened.person.full_name})."


@_quits_at_the_end
def test_a_save_refused_as_the_list_is_shown_names_its_case(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace, _central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    on_screen = demo_window.statusBar().currentMessage()
    assert ARRIVING in on_screen and "Gäller ärende" not in on_screen, "the case on screen is not named again"
    type_text(workspace.area_form.own, " igen")  # not saved yet as Ctrl+E leaves: refused again there
    _keys(qtbot, demo_window, Qt.Key.Key_E)
    assert demo_window.stack.currentWidget() is demo_window.case_list
    message = demo_window.statusBar().currentMessage()
    assert ARRIVING in message and message.endswith(_named(demo_window))


def test_the_unlocks_save_of_what_a_lock_kept_names_its_case_when_refused(qtbot, demo_window, caplog) -> None:  # type: ignore[no-untyped-def]
    _quits_at_the_end(lambda qtbot, window: _lock_and_unlock_refused(qtbot, window, caplog))(qtbot, demo_window)


def _lock_and_unlock_refused(qtbot: Any, demo_window: Any, caplog: Any) -> None:
    workspace, _central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    case_id = workspace.opened.case.id
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        _keys(qtbot, demo_window, Qt.Key.Key_L)
    said: list[str] = []
    demo_window.statusBar().messageChanged.connect(said.append)
    caplog.clear()
    unlock(qtbot, demo_window)  # the kept text's save, before the list and the case are shown: refused again
    refused = [text for text in said if ARRIVING in text]
    assert refused and refused[0].endswith(_named(demo_window))
    records = [record for record in caplog.records if record.getMessage() == "save refused"]
    assert [(getattr(r, "case_id", None), getattr(r, "error_type", None)) for r in records][:1] == [
        (case_id, "RecordArriving")]
    person = demo_window.workspace.opened.person
    assert not any(person.family_name in str(vars(record)) for record in caplog.records)
