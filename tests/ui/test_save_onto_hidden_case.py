"""Typing into a case that a sync withdrew, assigned back and has pulled only half of (stored hidden): the autosave
is refused with a Swedish sentence, the text stays in the field, nothing is queued to push and the case stays hidden;
opening the case again from the list shows the record as it arrived, and the stale copy is never stored."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from uihelpers import type_text, unlock

from ibic.document_paths import diff
from storage.sync_state import RemoteChange


def _open_area(qtbot, window):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    type_text(window.case_list.search, "greta")
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    window.workspace.go_to("areas", "d5")
    window.workspace.area_form.own.setFocus()
    return window.workspace


def _pull(profile, record_type: str, record_id: str, edits, start: int) -> None:  # type: ignore[no-untyped-def]
    """What a pull does with a group of pages: lift a withdrawal of what arrives, then apply."""
    changes = [RemoteChange(record_type, record_id, e.path, "set", e.value, 2, start + i, uuid.uuid4().hex)
               for i, e in enumerate(edits)]
    profile.withdrawals.reinstate({(record_type, record_id)})
    profile.sync.apply_remote(changes, new_cursor=changes[-1].seq)


def _valid(profile, case_id: str) -> int:  # type: ignore[no-untyped-def]
    with profile._db.reading() as connection:
        return int(connection.execute("SELECT valid FROM cases WHERE id = ?", (case_id,)).fetchone()[0])


def _typed_into_a_case_withdrawn_and_pulled_back(qtbot, window):  # type: ignore[no-untyped-def]
    """Open an area, the case withdrawn and assigned back, half pulled; type (refused); then the rest arrives."""
    workspace = _open_area(qtbot, window)
    profile = window.session.profile
    case_id = workspace.opened.case.id
    central = profile.cases.load(case_id).model_dump(mode="json")  # what the server holds
    person = profile.people.load(workspace.opened.person.id).model_dump(mode="json")
    edits = diff({}, central)
    half = len(edits) // 2
    assert profile.withdrawals.withdraw([case_id]).removed == (case_id,)  # a pull's withdrawal
    _pull(profile, "person", person["id"], diff({}, person), 1)  # assigned back: the person arrives again,
    _pull(profile, "case", case_id, edits[:half], 500)  # and the first pages of the case
    window._after_sync()  # the sync's end: the form stays (its case is here again), nothing typed yet
    assert window.workspace is workspace
    with qtbot.waitSignal(workspace.save_failed, timeout=5_000):  # the debounce's save
        type_text(workspace.area_form.own, "skrivet efter flytten")
    assert "hämtas på nytt från servern" in window.statusBar().currentMessage()
    assert "skrivet efter flytten" in workspace.area_form.own.toPlainText()
    assert _valid(profile, case_id) == 0 and profile.journal.pending_count() == 0
    _pull(profile, "case", case_id, edits[half:], 500 + half)  # the rest arrives
    window._after_sync()  # the sync's end: what is typed is never replaced
    assert "skrivet efter flytten" in workspace.area_form.own.toPlainText()
    return workspace, central


def test_typing_into_a_case_withdrawn_and_half_pulled_is_refused_and_the_text_stays(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace, central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    profile = demo_window.session.profile
    with qtbot.waitSignal(workspace.save_failed, timeout=5_000):  # the retry: the copy is still from before
        type_text(workspace.area_form.own, " igen")
    assert profile.journal.pending_count() == 0
    demo_window.show_case_list()  # back to the list, and the case opened again, as the message says
    demo_window.case_list.search.clear()
    type_text(demo_window.case_list.search, "greta")
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_Return)
    assert demo_window.workspace is not None and demo_window.workspace is not workspace
    assert demo_window.workspace.opened.case.model_dump(mode="json") == central
    assert profile.journal.pending_count() == 0


def test_a_lock_does_not_keep_a_copy_refused_as_older_than_a_withdrawal(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace, central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    case_id = workspace.opened.case.id
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        demo_window.lock()
    unlock(qtbot, demo_window)  # the stale copy is not stored after the unlock, over the central record
    profile = demo_window.session.profile
    assert profile.journal.pending_count() == 0
    assert profile.cases.load(case_id).model_dump(mode="json") == central
    assert demo_window.workspace is not None  # back where the person was, on the case as it arrived
    assert "skrivet efter flytten" not in demo_window.workspace.area_form.own.toPlainText()


def test_typing_into_a_case_turned_hidden_in_place_is_refused_then_saved_as_the_one_field_typed(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    workspace = _open_area(qtbot, demo_window)
    profile = demo_window.session.profile
    case = workspace.opened.case
    number = case.case_number
    gone = RemoteChange("case", case.id, "case_number", "remove", None, 2, 1, uuid.uuid4().hex)
    profile.sync.apply_remote([gone], new_cursor=1)  # a required field removed: incomplete, stored hidden
    assert _valid(profile, case.id) == 0
    with qtbot.waitSignal(workspace.save_failed, timeout=5_000):
        type_text(workspace.area_form.own, "skrivet medan det var gömt")
    assert "hämtas på nytt från servern" in demo_window.statusBar().currentMessage()
    assert profile.journal.pending_count() == 0
    back = RemoteChange("case", case.id, "case_number", "set", number, 3, 2, uuid.uuid4().hex)
    profile.sync.apply_remote([back], new_cursor=2)  # complete again
    with qtbot.waitSignal(workspace.saved, timeout=5_000):  # the autosave's retry: this form kept its base
        pass
    # One edit, of the life area typed into (a new area's first text is the area's entry): nothing else queued.
    assert [change.path for change in profile.journal.pending()] == ["investigation/assessments/d5"]
    assert _valid(profile, case.id) == 1
