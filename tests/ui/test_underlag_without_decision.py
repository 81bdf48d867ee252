"""The request for underlag asks the utförare about a decision: seed 002's model message is "Jag ska … följa upp
pågående beslut om [hemtjänst/ledsagning/etc]". A follow-up added to a case still under utredning, with no decision
in force nor run out, follows none; on main its request opened ready to copy, asking the utförare for underlag on
"pågående beslut om hemtjänst", a decision that did not exist, once the utförare was covered (here an oral consent
to it). The test fails there. By keys: the consent on Ctrl+1, then Ctrl+6, Lägg till, the request's button."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_closed_case_provider import request_rule
from test_uppdrag_consent import add_provider_consent
from uihelpers import type_text, unlock

from ibic.vocabulary import ConsentForm


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_a_follow_up_of_no_decision_asks_the_utforare_for_nothing(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    type_text(demo_window.case_list.search, "DEMO-2026-0001")  # under utredning: nothing decided yet
    _press(qtbot, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    assert workspace.opened.case.decisions == []
    add_provider_consent(qtbot, workspace, ConsentForm.ORAL)  # the chosen Hemtjänst Demo AB covered
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = workspace.follow_up_page
    page.follow_ups.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert workspace.opened.case.follow_ups[-1].decision_ids == []
    assert request_rule(qtbot, page) == {
        "permission": "Uppföljningen följer inget beslut: det finns inget pågående beslut att be utföraren om underlag"
                      " för.",
        "editable": False,
    }
