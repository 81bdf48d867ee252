"""Ändra till: Avslutad asks first (s30-probe: one press closed the case, and Avslutad allows no way back).

The question names the case, says what follows (Att göra, the utförare, the decisions in force) and has "Låt
ärendet vara öppet" as its default and its Esc: Esc and Enter leave the case as it was, with what was typed on the
page kept; "Avsluta ärendet" chosen by keys closes it. On s30-probe the first Space closed the case at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from uihelpers import PASSPHRASE, close_chosen, type_text, unlock, when_shown

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
    """Space on "Ändra till: Avslutad"; ``answer(box)`` answers the question by keys; what the box said."""
    seen: dict[str, object] = {}

    def read(box) -> None:  # type: ignore[no-untyped-def]
        seen.update(title=box.windowTitle(), text=box.text(), detail=box.informativeText(),
                    default=box.defaultButton().text(), focus=box.focusWidget().text())
        answer(box)

    button = next(b for b in page.findChildren(QPushButton, "status_closed") if b.isVisible())
    button.setFocus()
    when_shown("closeCaseQuestion", read)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    return seen


def _stored_status(directory, case_id: str) -> str:  # type: ignore[no-untyped-def]
    profile = unlock_profile(directory, PASSPHRASE)
    try:
        return profile.cases.load(case_id).status.value
    finally:
        profile.lock()


def test_esc_and_enter_keep_the_case_open_and_what_was_typed(qtbot, demo_window, demo_profile_dir) -> None:  # type: ignore[no-untyped-def]
    workspace, page = _open(qtbot, demo_window, "DEMO-2025-0117")
    type_text(page.origin_note, "Dottern ringde")
    seen = _press_close(qtbot, page, lambda box: QTest.keyClick(box, Qt.Key.Key_Escape))
    assert seen["title"] == "Avsluta ärendet?"
    assert seen["text"] == "Vill du avsluta ärende DEMO-2025-0117?"
    detail = str(seen["detail"])
    assert "kan inte öppnas igen" in detail and "Att göra" in detail and "Beslut som gäller upphör inte här" in detail
    assert seen["default"] == seen["focus"] == "Låt ärendet vara öppet"
    assert page.status_label.text() == "Verkställighet/uppföljning"
    assert page.origin_note.text() == "Dottern ringde", "nothing typed is lost"
    _press_close(qtbot, page, lambda box: QTest.keyClick(box, Qt.Key.Key_Return))
    assert page.status_label.text() == "Verkställighet/uppföljning", "Enter takes the default: the case stays open"
    case_id = workspace.opened.case.id
    assert workspace.save_now()
    demo_window.lock()
    assert _stored_status(demo_profile_dir, case_id) == "implementation"


def test_closing_chosen_by_keys_closes_the_case(qtbot, demo_window, demo_profile_dir) -> None:  # type: ignore[no-untyped-def]
    workspace, page = _open(qtbot, demo_window, "DEMO-2025-0117")
    type_text(page.origin_note, "Flyttat till annan kommun")
    _press_close(qtbot, page, close_chosen)
    assert page.status_label.text() == "Avslutad"
    assert page.findChildren(QPushButton, "status_closed") == [] or not any(
        b.isVisible() for b in page.findChildren(QPushButton, "status_closed"))
    case_id = workspace.opened.case.id
    assert workspace.save_now()
    demo_window.lock()
    assert _stored_status(demo_profile_dir, case_id) == "closed"
    profile = unlock_profile(demo_profile_dir, PASSPHRASE)
    try:
        assert profile.cases.load(case_id).origin_note == "Flyttat till annan kommun"
    finally:
        profile.lock()
