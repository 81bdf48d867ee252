"""A case closed (the person died, moved to another municipality, needs no more help) has no follow-up to prepare
and no uppdrag to give: seed 001 leaves outside secrecy the utförare "som den enskilde använder", and seed 002's
request for underlag is about "pågående beslut". On main, once "Ändra till: Avslutad" was pressed, the follow-up
step still offered the uppdrag (the person's name, personnummer, needs and goals) for preview and printing, and the
request for underlag opened ready to copy: "Jag ska … följa upp pågående beslut …". The test fails there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from uihelpers import close_chosen, type_text, unlock, when_shown

CLOSED = "Ärendet är avslutat: utföraren får inget uppdrag och ombeds inte om underlag om den enskilde."


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def request_rule(qtbot, page) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The request for underlag opened by Space on its button: the rule it shows, and whether its message may be
    edited and copied; the dialog closed again."""
    seen: dict[str, object] = {}

    def read(dialog) -> None:  # type: ignore[no-untyped-def]
        seen.update(permission=dialog.permission.text(), editable=dialog.message.isEnabled())

    page.underlag_button.setFocus()
    when_shown("underlagDialog", read)
    _press(qtbot, Qt.Key.Key_Space)
    return seen


def _close_the_case(qtbot, window):  # type: ignore[no-untyped-def]
    """DEMO-2025-0117 (a decision in force, the application signed) opened from the list and closed by keys."""
    unlock(qtbot, window)
    type_text(window.case_list.search, "DEMO-2025-0117")
    _press(qtbot, Qt.Key.Key_Return)
    workspace = window.workspace
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = workspace.case_page
    # "Ändra till: Avslutad": the row is made again at each load and shown on the event loop's next turn
    qtbot.waitUntil(lambda: any(b.isVisible() for b in page.findChildren(QPushButton, "status_closed")))
    button = next(b for b in page.findChildren(QPushButton, "status_closed") if b.isVisible())
    button.setFocus()
    when_shown("closeCaseQuestion", close_chosen)  # asked first since s30-followdoc
    _press(qtbot, Qt.Key.Key_Space)
    assert page.status_label.text() == "Avslutad"
    window.activateWindow()  # as the window manager does once the question is gone (offscreen does not)
    qtbot.waitUntil(window.isActiveWindow)
    return workspace


def test_a_closed_case_offers_no_uppdrag_to_the_utforare(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _close_the_case(qtbot, demo_window)
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    box = workspace.follow_up_page.documents
    assert not box.order_button.isEnabled(), "the uppdrag cannot be previewed nor printed for the utförare"
    assert box.order_permission.text() == f"Uppdraget får inte lämnas till utföraren: {CLOSED}"
    assert box.notice_button.isEnabled(), "the beslutsmeddelande goes to the person: still offered"


def test_a_closed_case_asks_the_utforare_for_no_underlag(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _close_the_case(qtbot, demo_window)
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert request_rule(qtbot, workspace.follow_up_page) == {"permission": CLOSED, "editable": False}
