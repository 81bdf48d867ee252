"""Öppna ärendet igen: a case closed by mistake is opened again from the Ärendet step, by keys, after a question.

On main, Avslutad led nowhere: the question said "Ett avslutat ärende kan inte öppnas igen" and only the central
system could undo it. The case returns to the status it was closed from, the reopening is recorded after the
closing (both kept), and Att göra lists the case again. Refused with why for a case another handläggare closed, or
one closed longer ago than the rules allow; a case closed before the reason was asked shows "inte angiven"."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from test_close_case_asks import _open, _stored
from uihelpers import PASSPHRASE, close_chosen, type_text, unlock, when_shown

from ibic.cases import StatusChange
from ibic.vocabulary import CaseStatus
from storage.profile import unlock_profile

TODAY = date.today()


def _work_rows(window) -> list[str]:  # type: ignore[no-untyped-def]
    """Att göra's case numbers."""
    panel = window.case_list.work
    return [panel.cell_text(row, 2) for row in range(panel.model.rowCount())]


def _reopen_button(qtbot, page) -> QPushButton:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: any(b.isVisible() for b in page.findChildren(QPushButton, "reopenCase")))
    return next(b for b in page.findChildren(QPushButton, "reopenCase") if b.isVisible())


def _answer(name: str):  # type: ignore[no-untyped-def]
    """The reopening question answered by keys with the button ``name`` focused and Space."""
    def press(box) -> None:  # type: ignore[no-untyped-def]
        chosen = box.findChild(QPushButton, name)
        chosen.setFocus()
        QTest.keyClick(chosen, Qt.Key.Key_Space)
    return press


def test_a_closed_case_is_opened_again_by_keys_and_comes_back_to_att_gora(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
) -> None:
    workspace, page = _open(qtbot, demo_window, "DEMO-2025-0117")
    case_id = workspace.opened.case.id
    number = "DEMO-2025-0117"
    button = next(b for b in page.findChildren(QPushButton, "status_closed") if b.isVisible())
    button.setFocus()
    when_shown("closeCaseQuestion", close_chosen)  # Den enskilde har avlidit
    QTest.keyClick(button, Qt.Key.Key_Space)
    assert page.status_label.text() == "Avslutad"
    reopen = _reopen_button(qtbot, page)
    demo_window.activateWindow()  # as the window manager does once the question is gone (offscreen does not)
    qtbot.waitUntil(demo_window.isActiveWindow)
    assert QApplication.focusWidget() is reopen, "the status row's new button has the keys"
    assert reopen.text() == "Öppna ärendet igen"

    seen: dict[str, str] = {}

    def keep(box) -> None:  # type: ignore[no-untyped-def]
        seen.update(title=box.windowTitle(), text=box.text(), detail=box.informativeText(),
                    default=box.defaultButton().text())
        QTest.keyClick(box, Qt.Key.Key_Escape)

    when_shown("reopenCaseQuestion", keep)
    QTest.keyClick(reopen, Qt.Key.Key_Space)
    assert seen["title"] == "Öppna ärendet igen?" and seen["text"] == f"Vill du öppna ärende {number} igen?"
    assert "Det får den status det avslutades från: Verkställighet/uppföljning." in seen["detail"]
    assert seen["default"] == "Låt ärendet vara avslutat"
    assert page.status_label.text() == "Avslutad", "Esc keeps it closed"

    reopen = _reopen_button(qtbot, page)
    reopen.setFocus()
    when_shown("reopenCaseQuestion", _answer("reopenCaseYes"))
    QTest.keyClick(reopen, Qt.Key.Key_Space)
    assert page.status_label.text() == "Verkställighet/uppföljning"
    assert page.status_note.text() == (f"Öppnades igen {TODAY} av Handläggare Test; ärendet hade avslutats {TODAY} "
                                       "(Den enskilde har avlidit).")
    assert any(b.isVisible() for b in page.findChildren(QPushButton, "status_closed")), "it can be closed again"
    assert workspace.save_now()
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow)
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Arkiv › Att göra
    qtbot.waitUntil(lambda: demo_window.stack.currentWidget() is demo_window.case_list)
    qtbot.waitUntil(lambda: number in _work_rows(demo_window))  # Att göra lists it again, as any open case
    demo_window.lock()
    history = _stored(demo_profile_dir, case_id).status_history
    assert [(c.status.value, c.by, c.reason and c.reason.value) for c in history] == [
        ("closed", "Handläggare Test", "died"), ("implementation", "Handläggare Test", None)]


def _closed_in_profile(directory, number: str, by: str, days_ago: int) -> None:  # type: ignore[no-untyped-def]
    """``number`` closed ``days_ago`` days ago by ``by``, before the closing asked why (no reason recorded)."""
    profile = unlock_profile(directory, PASSPHRASE)
    try:
        summary = next(s for s in profile.cases.list_summaries() if s.case_number == number)
        case = profile.cases.load(summary.case_id)
        case.status = CaseStatus.CLOSED
        case.status_history.append(StatusChange(status=CaseStatus.CLOSED, on=TODAY - timedelta(days=days_ago), by=by))
        profile.cases.save(case)
    finally:
        profile.lock()


def _refusal(qtbot, window, number: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Öppna ärendet igen pressed by keys on ``number``: the step's note and what it said; no question opens."""
    type_text(window.case_list.search, number)
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.opened is not None
                    and window.workspace.opened.case.case_number == number)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = window.workspace.case_page
    reopen = _reopen_button(qtbot, page)
    reopen.setFocus()
    asked: list[str] = []
    when_shown("reopenCaseQuestion", lambda box: asked.append(box.text()), tries=5)
    QTest.keyClick(reopen, Qt.Key.Key_Space)
    assert asked == [] and page.status_label.text() == "Avslutad"
    return page.status_note.text(), page.status_error.text()


def test_another_handlaggares_closing_and_one_too_old_are_not_reopened_and_say_why(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
) -> None:
    _closed_in_profile(demo_profile_dir, "DEMO-2026-0001", "Handläggare Kollega", 2)
    _closed_in_profile(demo_profile_dir, "DEMO-2026-0002", "Handläggare Test", 31)
    unlock(qtbot, demo_window)
    note, said = _refusal(qtbot, demo_window, "DEMO-2026-0001")
    assert note == f"Avslutades {TODAY - timedelta(days=2)} av Handläggare Kollega. Orsak: inte angiven"
    assert said == "Bara ärendets egen handläggare, eller den som avslutade det, kan öppna det igen."
    demo_window.case_list.search.clear()
    qtbot.keyClick(demo_window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    note, said = _refusal(qtbot, demo_window, "DEMO-2026-0002")
    assert note == f"Avslutades {TODAY - timedelta(days=31)} av Handläggare Test. Orsak: inte angiven"
    assert said == (f"Ärendet avslutades {TODAY - timedelta(days=31)}, för mer än 30 dagar sedan, och kan inte "
                    "längre öppnas igen. Behöver den enskilde hjälp igen, öppna ett nytt ärende.")
    # The refusal belongs to that case: the next case opened (the step pages are reused) does not show it.
    demo_window.case_list.search.clear()
    qtbot.keyClick(demo_window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    type_text(demo_window.case_list.search, "DEMO-2025-0117")
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: demo_window.workspace.opened.case.case_number == "DEMO-2025-0117")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = demo_window.workspace.case_page
    qtbot.waitUntil(lambda: page.status_label.text() == "Verkställighet/uppföljning")
    assert page.status_error.text() == ""
