"""Typing into a case that a sync withdrew, assigned back and has pulled only half of (stored hidden): the autosave
is refused with a Swedish sentence (once, not at every retry), the text stays in the field, nothing is queued to push
and the case stays hidden; opening the case again from the list asks first (Avbryt goes back to the text) and then
shows the record as it arrived, and the stale copy is never stored. A lock and an unlock bring the text back; a case
hidden in place saves what was typed once it has arrived, across a lock too, merged onto what arrived."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from uihelpers import answer_question, type_text, unlock

from ibic.document_paths import diff
from storage.sync_state import RemoteChange


def _keys(qtbot, window, key) -> None:  # type: ignore[no-untyped-def]
    """Ctrl + ``key`` on the window, as a person presses it (a shortcut needs the window active)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def _quit_letting_go(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+Q, answering Stäng to the question about the text not saved."""
    asked: list[str] = []
    answer_question(QMessageBox.StandardButton.Close, asked)
    _keys(qtbot, window, Qt.Key.Key_Q)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    assert len(asked) == 1


def _quits_at_the_end(test: Callable[..., None]) -> Callable[..., None]:
    """The test, then Ctrl+Q letting go of a text still refused, also when it fails: the window closed by pytest-qt
    afterwards would wait in the quit's question for ever."""

    @functools.wraps(test)
    def run(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
        try:
            test(qtbot, demo_window)
        finally:
            workspace = demo_window.workspace
            if demo_window.isVisible() and workspace is not None and workspace.has_unsaved_changes:
                _quit_letting_go(qtbot, demo_window)

    return run


def _open_from_list(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.case_list.search.clear()
    type_text(window.case_list.search, "greta")
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)


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


@_quits_at_the_end
def test_typing_into_a_case_withdrawn_and_half_pulled_is_refused_and_the_text_stays(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace, central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    profile = demo_window.session.profile
    with qtbot.waitSignal(workspace.save_failed, timeout=5_000):  # the retry: the copy is still from before
        type_text(workspace.area_form.own, " igen")
    assert profile.journal.pending_count() == 0
    demo_window.show_case_list()  # back to the list, and the case opened again, as the message says
    asked: list[str] = []
    answer_question(QMessageBox.StandardButton.Cancel, asked)  # not yet: back to the text
    _open_from_list(qtbot, demo_window)
    assert len(asked) == 1 and "hämtas på nytt från servern" in asked[0]
    assert demo_window.workspace is workspace and demo_window.stack.currentWidget() is workspace
    assert "skrivet efter flytten igen" in workspace.area_form.own.toPlainText()
    demo_window.show_case_list()
    answer_question(QMessageBox.StandardButton.Discard, asked)  # copied: the case as it arrived
    _open_from_list(qtbot, demo_window)
    assert len(asked) == 2
    assert demo_window.workspace is not None and demo_window.workspace is not workspace
    assert demo_window.workspace.opened.case.model_dump(mode="json") == central
    assert profile.journal.pending_count() == 0


@_quits_at_the_end
def test_a_lock_keeps_the_text_of_a_copy_refused_as_older_than_a_withdrawal_and_never_stores_the_copy(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    workspace, central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    case_id = workspace.opened.case.id
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        _keys(qtbot, demo_window, Qt.Key.Key_L)
    unlock(qtbot, demo_window)  # the stale copy is not stored after the unlock, over the central record
    profile = demo_window.session.profile
    assert profile.journal.pending_count() == 0
    assert profile.cases.load(case_id).model_dump(mode="json") == central
    workspace = demo_window.workspace
    assert workspace is not None  # back where the person was, the text typed still there to copy
    assert "skrivet efter flytten" in workspace.area_form.own.toPlainText()
    with qtbot.waitSignal(workspace.save_failed, timeout=5_000):  # still refused: the copy predates the withdrawal
        type_text(workspace.area_form.own, " igen")
    assert profile.journal.pending_count() == 0
    assert profile.cases.load(case_id).model_dump(mode="json") == central


@_quits_at_the_end
def test_the_refusal_is_said_once_while_the_autosave_retries(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace, _central = _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    demo_window.statusBar().clearMessage()  # said (above); gone, as after its 15 seconds
    for _retry in range(3):  # the debounce's retries, and a keystroke's
        with qtbot.waitSignal(workspace.save_failed, timeout=5_000):
            pass
        assert demo_window.statusBar().currentMessage() == ""
    with qtbot.waitSignal(workspace.save_failed, timeout=5_000):
        type_text(workspace.area_form.own, " mer")
    assert demo_window.statusBar().currentMessage() == ""
    assert demo_window.save_indicator.text() == "Inte sparat"


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


def _hidden_in_place(qtbot, window):  # type: ignore[no-untyped-def]
    """An open area; a required field of its case removed by a pull (stored hidden); text typed, refused."""
    workspace = _open_area(qtbot, window)
    profile = window.session.profile
    case = workspace.opened.case
    gone = RemoteChange("case", case.id, "case_number", "remove", None, 2, 1, uuid.uuid4().hex)
    profile.sync.apply_remote([gone], new_cursor=1)
    with qtbot.waitSignal(workspace.save_failed, timeout=5_000):
        type_text(workspace.area_form.own, "skrivet medan det var gömt")
    return case.id, case.case_number


@_quits_at_the_end
def test_a_text_refused_while_its_case_arrives_is_kept_by_a_lock_and_saved_onto_what_arrived(qtbot, demo_window):  # type: ignore[no-untyped-def]
    case_id, number = _hidden_in_place(qtbot, demo_window)
    with qtbot.waitSignal(demo_window.locked, timeout=5_000):
        _keys(qtbot, demo_window, Qt.Key.Key_L)
    unlock(qtbot, demo_window)
    workspace, profile = demo_window.workspace, demo_window.session.profile
    assert "skrivet medan det var gömt" in workspace.area_form.own.toPlainText()  # still arriving: kept
    assert profile.journal.pending_count() == 0
    arrived = [RemoteChange("case", case_id, "case_number", "set", number, 3, 2, uuid.uuid4().hex),
               RemoteChange("case", case_id, "origin_note", "set", "Från servern", 3, 3, uuid.uuid4().hex)]
    profile.sync.apply_remote(arrived, new_cursor=3)  # complete again, with a field the server changed
    with qtbot.waitSignal(workspace.saved, timeout=5_000):  # the autosave's retry, onto what arrived
        pass
    assert [change.path for change in profile.journal.pending()] == ["investigation/assessments/d5"]
    stored = profile.cases.load(case_id)
    assert stored.origin_note == "Från servern"  # not reverted to the copy's old note
    assert "skrivet medan det var gömt" in stored.investigation.assessment_for("d5").own_description


@_quits_at_the_end
def test_quitting_with_a_text_refused_while_its_case_arrives_asks_first(qtbot, demo_window):  # type: ignore[no-untyped-def]
    _hidden_in_place(qtbot, demo_window)
    asked: list[str] = []
    answer_question(QMessageBox.StandardButton.Cancel, asked)
    _keys(qtbot, demo_window, Qt.Key.Key_Q)
    qtbot.waitUntil(lambda: bool(asked), timeout=5_000)
    assert demo_window.isVisible() and demo_window.workspace is not None
    assert "skrivet medan det var gömt" in demo_window.workspace.area_form.own.toPlainText()


@_quits_at_the_end
def test_a_lock_while_opening_a_case_asks_about_a_refused_text_keeps_the_text(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """The idle lock comes while the question is open: the question goes with the screen, the text is kept."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    _typed_into_a_case_withdrawn_and_pulled_back(qtbot, demo_window)
    demo_window.show_case_list()
    asked: list[str] = []

    def lock_when_asked() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, lock_when_asked)
            return
        asked.append(box.text())
        demo_window.lock()  # what the idle timer does

    QTimer.singleShot(0, lock_when_asked)
    with qtbot.waitSignal(demo_window.locked, timeout=10_000):
        _open_from_list(qtbot, demo_window)
    assert len(asked) == 1 and demo_window.workspace is None
    unlock(qtbot, demo_window)
    assert "skrivet efter flytten" in demo_window.workspace.area_form.own.toPlainText()
