"""Ctrl+L (Arkiv › Lås) locks with a dialog open over the window, as it does without one (s32-probe2).

A dialog opened with exec() is modal: the window's shortcuts do not reach past it, so Ctrl+L did nothing in
Inställningar, Byt lösenfras, Kortkommandon, the request for underlag or the closing question, and a handläggare
who pressed it before stepping away left the case on screen. The lock closes the dialog as the idle lock does, and
what the dialog held that the unlock gives back (the request for underlag, as typed) comes back."""

from __future__ import annotations

import uuid

from app_child import RUN_MAIN_THEN_DRIVE
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QListWidget, QPushButton
from test_close_case_asks import _open
from test_drafts_kept import _files_holding, _killed_child
from test_underlag_kept_at_lock import OPENED_CHILD_START, _when_open
from uihelpers import follow_up_step, type_text, unlock, walk_texts, when_shown

from ibic.vocabulary import CaseStatus
from ui.workspace.underlag_dialog import UnderlagDialog


def _in_dialog(act) -> None:  # type: ignore[no-untyped-def]
    """``act(dialog)`` once a dialog has the keys (exec() shows it on its next turn)."""

    def run(left: int = 500) -> None:
        focused = QApplication.focusWidget()
        dialog = focused.window() if focused is not None else None
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            if left:
                QTimer.singleShot(20, lambda: run(left - 1))
            return
        act(dialog)

    QTimer.singleShot(0, run)


def _press_lock(dialog) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+L where the keys are; a dialog it left open is closed after, so a failing test fails, not waits."""
    QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    if dialog.isVisible():
        dialog.reject()


def test_ctrl_l_in_the_settings_locks(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    _in_dialog(_press_lock)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)  # Arkiv › Inställningar…
    assert window.session is None
    assert not [d for d in window.findChildren(QDialog) if d.isVisible()]


def test_ctrl_l_in_the_keyboard_shortcuts_locks(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    _in_dialog(_press_lock)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.session is None


def _locked_in_the_closing_question(qtbot, window, note: str) -> str:  # type: ignore[no-untyped-def]
    """The case's closing question answered "Annat" (by its letters, Tab) with ``note`` typed, then Ctrl+L; the
    case's id."""
    workspace, page = _open(qtbot, window, "DEMO-2025-0117")
    case_id = str(workspace.opened.case.id)

    def half_answered(box) -> None:  # type: ignore[no-untyped-def]
        QTest.keyClicks(box.findChild(QListWidget, "closingReason"), "ann")
        QTest.keyClick(box.focusWidget(), Qt.Key.Key_Tab)
        type_text(box.focusWidget(), note)
        _press_lock(box)

    button = next(b for b in page.findChildren(QPushButton, "status_closed") if b.isVisible())
    button.setFocus()
    _in_dialog(half_answered)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        QTest.keyClick(button, Qt.Key.Key_Space)
    assert window.workspace is None
    return case_id


def test_ctrl_l_in_the_closing_question_locks_and_closes_nothing(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    case_id = _locked_in_the_closing_question(qtbot, window, "Flyttar")
    asked_again: list[str] = []

    def keep_open(box) -> None:  # type: ignore[no-untyped-def]
        asked_again.append(box.findChild(QLineEdit, "closingReasonNote").text())
        QTest.keyClick(box.focusWidget(), Qt.Key.Key_Escape)

    when_shown("closeCaseQuestion", keep_open)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: bool(asked_again), timeout=10_000)
    restored = window.workspace
    assert restored is not None and restored.opened.case.id == case_id
    assert asked_again == ["Flyttar"], "asked again as typed; Esc keeps the case open"
    assert restored.opened.case.status == CaseStatus.IMPLEMENTATION, "a question the lock closed closes nothing"


def test_ctrl_l_in_the_closing_question_asks_it_again_after_the_unlock_as_typed(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """The reason chosen and the text of "Annat" were gone after a lock (s33): the unlock asks the question again
    with both, the cursor in the text; Enter there closes the case with them."""
    window = demo_window
    case_id = _locked_in_the_closing_question(qtbot, window, "Flyttar till dottern")
    seen: dict[str, str] = {}

    def read_then_enter(box) -> None:  # type: ignore[no-untyped-def]
        chosen = box.findChild(QListWidget, "closingReason").selectedItems()
        note = box.findChild(QLineEdit, "closingReasonNote")
        seen.update(reason=chosen[0].text() if chosen else "", note=note.text(), focus=box.focusWidget().objectName())
        QTest.keyClick(box.focusWidget(), Qt.Key.Key_Return)

    when_shown("closeCaseQuestion", read_then_enter)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == {"reason": "Annat", "note": "Flyttar till dottern", "focus": "closingReasonNote"}
    restored = window.workspace
    assert restored.opened.case.id == case_id
    qtbot.waitUntil(lambda: restored.opened.case.status == CaseStatus.CLOSED)
    last = restored.opened.case.status_history[-1]
    assert (last.reason.value, last.reason_note) == ("other", "Flyttar till dottern")


def test_ctrl_l_in_the_request_for_underlag_locks_and_the_text_comes_back(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    page = follow_up_step(qtbot, window, "DEMO-2025-0117")
    added = "Berätta också om helgerna."
    typed: list[str] = []

    def adapt_then_lock(dialog: UnderlagDialog) -> None:
        dialog.message.setFocus()
        qtbot.keyClick(dialog.message, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        type_text(dialog.message, "\n" + added)
        typed.append(dialog.message.toPlainText())
        _press_lock(dialog)

    _in_dialog(adapt_then_lock)
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space)
    assert added not in " ".join(walk_texts(window))

    reopened: list[str] = []

    def read_and_close(dialog: UnderlagDialog) -> None:
        reopened.append(dialog.message.toPlainText())
        dialog.reject()

    QTimer.singleShot(0, lambda: _when_open(read_and_close))
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: bool(reopened), timeout=10_000)
    assert reopened == typed


# The child opens Tolvan's case on the Ärendet step, asks to close it, chooses "Annat" and types the marker, then
# waits for the idle lock and SIGKILLs itself while locked.
CLOSING_CHILD = OPENED_CHILD_START + """
from PySide6.QtWidgets import QLineEdit, QListWidget, QPushButton

def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def case_step():
        window.workspace.go_to("case")
        page = window.workspace.case_page
        report = {"case_id": window.workspace.opened.case.id}
        window.locked.connect(lambda: finish(report))
        when(lambda: QApplication.activeModalWidget() is not None, answer)
        button = next(b for b in page.findChildren(QPushButton, "status_closed") if b.isVisible())
        QTest.keyClick(button, Qt.Key.Key_Space)  # its exec() returns when the lock closes it
    def answer():
        box = QApplication.activeModalWidget()
        QTest.keyClicks(box.findChild(QListWidget, "closingReason"), "ann")
        note = box.findChild(QLineEdit, "closingReasonNote")
        note.setFocus()
        QTest.keyClicks(note, marker)
        window.idle.set_interval_ms(0)
        window.idle.start()
    open_found(window, "DEMO-2025-0117", case_step)
""" + RUN_MAIN_THEN_DRIVE


def test_the_closing_question_comes_back_after_a_kill_while_locked(  # type: ignore[no-untyped-def]
    qtbot, request, demo_profile_dir, tmp_path
):
    """The lock keeps it as a draft too, as the request for underlag: killed while locked, the case opened again from
    the list asks the question again with "Annat" and its text; Esc leaves the case open and the draft gone."""
    marker = f"AVSLUT{uuid.uuid4().hex}"
    report = _killed_child(demo_profile_dir, tmp_path / "home", "closing", marker, CLOSING_CHILD)
    assert _files_holding(marker, demo_profile_dir, tmp_path / "home") == [], "only in the encrypted database"
    window = request.getfixturevalue("demo_window")
    unlock(qtbot, window)
    seen: list[tuple[str, str]] = []

    def read_then_esc(box) -> None:  # type: ignore[no-untyped-def]
        chosen = box.findChild(QListWidget, "closingReason").selectedItems()
        seen.append((chosen[0].text() if chosen else "", box.findChild(QLineEdit, "closingReasonNote").text()))
        QTest.keyClick(box.focusWidget(), Qt.Key.Key_Escape)

    when_shown("closeCaseQuestion", read_then_esc)
    type_text(window.case_list.search, "DEMO-2025-0117")
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == [("Annat", marker)]
    assert window.workspace.opened.case.status == CaseStatus.IMPLEMENTATION
    drafts = window.session.profile.drafts
    qtbot.waitUntil(lambda: marker not in drafts.read(report["case_id"]), timeout=10_000)
