"""Ändra till: Avslutad asks first, and asks why (s30-probe: one press closed the case; s32: the case did not say why).

The question names the case, says what follows and lists the reasons (avslutsorsak). Nothing is chosen at first:
Enter then closes nothing and says why, as it does for "Annat" without a text; Esc keeps the case open with what was
typed on the page. A reason chosen by keys (arrows, a reason's letters) and Enter close the case, and the reason
shows on the step and in the line above every step."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListWidget, QPushButton
from uihelpers import PASSPHRASE, type_text, unlock, when_shown

from storage.profile import unlock_profile


def _open(qtbot, window, number: str):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    type_text(window.case_list.search, number)
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.opened is not None)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = window.workspace.case_page
    qtbot.waitUntil(lambda: any(b.isVisible() for b in page.findChildren(QPushButton, "status_closed")))
    return window.workspace, page


def _press_close(qtbot, page, answer) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Space on "Ändra till: Avslutad"; ``answer(box, seen)`` answers the question by keys; what the box said."""
    seen: dict[str, object] = {}

    def read(box) -> None:  # type: ignore[no-untyped-def]
        seen.update(title=box.windowTitle(), text=box.findChild(QLabel, "closeCaseText").text(),
                    detail=box.findChild(QLabel, "closeCaseDetail").text(), focus=box.focusWidget().objectName())
        answer(box, seen)

    button = next(b for b in page.findChildren(QPushButton, "status_closed") if b.isVisible())
    button.setFocus()
    when_shown("closeCaseQuestion", read)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    return seen


def _said(box) -> str:  # type: ignore[no-untyped-def]
    error = box.findChild(QLabel, "closingReasonError")
    return str(error.text()) if error.isVisible() else ""


def _stored(directory, case_id: str):  # type: ignore[no-untyped-def]
    profile = unlock_profile(directory, PASSPHRASE)
    try:
        return profile.cases.load(case_id)
    finally:
        profile.lock()


def test_enter_without_a_reason_or_a_text_closes_nothing_and_esc_keeps_it_open(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
) -> None:
    workspace, page = _open(qtbot, demo_window, "DEMO-2025-0117")
    type_text(page.origin_note, "Dottern ringde")

    def answer(box, seen) -> None:  # type: ignore[no-untyped-def]
        reasons = box.findChild(QListWidget, "closingReason")
        QTest.keyClick(reasons, Qt.Key.Key_Return)  # nothing chosen yet
        seen.update(no_reason=_said(box), open_after_enter=box.isVisible())
        QTest.keyClicks(reasons, "ann")  # Annat, by its letters
        QTest.keyClick(reasons, Qt.Key.Key_Return)
        seen.update(no_text=_said(box), focus_then=box.focusWidget().objectName())
        note = box.findChild(QLineEdit, "closingReasonNote")
        type_text(note, "   ")
        QTest.keyClick(note, Qt.Key.Key_Return)
        seen.update(blank_text=_said(box), open_after_blank=box.isVisible(), typed=note.text())
        QTest.keyClick(note, Qt.Key.Key_Escape)
        seen.update(open_after_esc=box.isVisible())

    seen = _press_close(qtbot, page, answer)
    assert seen["title"] == "Avsluta ärendet?"
    assert seen["text"] == "Vill du avsluta ärende DEMO-2025-0117?"
    detail = str(seen["detail"])
    assert "Att göra" in detail and "Beslut som gäller upphör inte här" in detail
    assert "Ärendets handläggare, eller den som avslutar det, kan öppna det igen inom 30 dagar" in detail
    assert seen["focus"] == "closingReason", "the reasons take the keys first"
    assert seen["no_reason"] == ("Välj varför ärendet avslutas: en piltangent eller orsakens första bokstav, "
                                 "sedan Enter.")
    assert seen["no_text"] == seen["blank_text"] == "Skriv kort varför ärendet avslutas (Annat), sedan Enter."
    assert seen["focus_then"] == "closingReasonNote"
    assert seen["open_after_enter"] and seen["open_after_blank"] and seen["typed"] == "   "
    assert not seen["open_after_esc"]
    assert page.status_label.text() == "Verkställighet/uppföljning"
    assert page.origin_note.text() == "Dottern ringde", "nothing typed is lost"
    case_id = workspace.opened.case.id
    assert workspace.save_now()
    demo_window.lock()
    stored = _stored(demo_profile_dir, case_id)
    assert stored.status.value == "implementation" and stored.origin_note == "Dottern ringde"


def test_annat_with_its_text_typed_closes_the_case_and_says_why(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir
) -> None:
    workspace, page = _open(qtbot, demo_window, "DEMO-2025-0117")
    type_text(page.origin_note, "Flyttat till sonen")

    def answer(box, _seen) -> None:  # type: ignore[no-untyped-def]
        reasons = box.findChild(QListWidget, "closingReason")
        QTest.keyClick(reasons, Qt.Key.Key_Down)  # the first reason, then by letters to Annat
        QTest.keyClicks(reasons, "ann")
        QTest.keyClick(reasons, Qt.Key.Key_Tab)
        type_text(box.focusWidget(), "Bor hos sonen i Norge")
        QTest.keyClick(box.focusWidget(), Qt.Key.Key_Return)

    _press_close(qtbot, page, answer)
    today = date.today().isoformat()
    assert page.status_label.text() == "Avslutad"
    assert page.status_note.text() == f"Avslutades {today} av Handläggare Test. Orsak: Annat: Bor hos sonen i Norge"
    case_id = workspace.opened.case.id
    assert workspace.save_now()
    qtbot.waitUntil(lambda: "Avslutad (Annat: Bor hos sonen i Norge) · " in workspace.header.text())
    demo_window.lock()
    stored = _stored(demo_profile_dir, case_id)
    closing = stored.status_history[-1]
    assert (stored.status.value, closing.reason.value, closing.reason_note) == (
        "closed", "other", "Bor hos sonen i Norge")
    assert closing.closed_from.value == "implementation" and closing.by == "Handläggare Test"
    assert stored.origin_note == "Flyttat till sonen"


def test_a_lock_over_the_question_closes_nothing(qtbot, demo_window, demo_profile_dir) -> None:  # type: ignore[no-untyped-def]
    """The idle lock rejects every dialog over the case (``MainWindow._clear_screen``): the closing asked is not
    made, with a reason chosen and its text typed."""
    workspace, page = _open(qtbot, demo_window, "DEMO-2025-0117")
    case_id = workspace.opened.case.id

    def answer(box, _seen) -> None:  # type: ignore[no-untyped-def]
        QTest.keyClicks(box.findChild(QListWidget, "closingReason"), "ann")
        type_text(box.findChild(QLineEdit, "closingReasonNote"), "Bor hos sonen")
        demo_window.lock()

    _press_close(qtbot, page, answer)
    assert demo_window.session is None
    assert _stored(demo_profile_dir, case_id).status.value == "implementation"


def test_a_reason_pasted_longer_than_a_line_is_kept_whole_and_refused_with_why(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    """The text of "Annat" was cut at 500 characters without a word (maxLength): a paste is kept whole, Enter says
    it is too long and closes nothing; shortened, it closes."""
    _workspace, page = _open(qtbot, demo_window, "DEMO-2025-0117")
    pasted = "Flyttar till ett boende i en annan kommun " * 15  # 630 characters

    def answer(box, seen) -> None:  # type: ignore[no-untyped-def]
        reasons = box.findChild(QListWidget, "closingReason")
        QTest.keyClick(reasons, Qt.Key.Key_Down)
        QTest.keyClicks(reasons, "ann")
        QTest.keyClick(reasons, Qt.Key.Key_Tab)
        note = box.focusWidget()
        QApplication.clipboard().setText(pasted)
        QTest.keyClick(note, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        seen["kept"] = note.text() == pasted.strip() or note.text() == pasted
        QTest.keyClick(note, Qt.Key.Key_Return)
        seen["said"] = _said(box)
        seen["still_open"] = box.isVisible()
        note.selectAll()
        QTest.keyClick(note, Qt.Key.Key_Delete)
        type_text(note, "Flyttar till ett boende i en annan kommun")
        QTest.keyClick(note, Qt.Key.Key_Return)

    seen = _press_close(qtbot, page, answer)
    assert seen["kept"] and seen["still_open"]
    assert seen["said"] == "Texten är för lång: högst 500 tecken."
    assert page.status_note.text().endswith("Orsak: Annat: Flyttar till ett boende i en annan kommun")
