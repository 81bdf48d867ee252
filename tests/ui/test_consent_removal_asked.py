"""Ta bort markerad on the consents (Ctrl+1) asks first, Behåll the default (s35-probedocs). On main one key beside
Återkalla markerat took the person's no to the chosen utförare out of the case without a word: the signature then
covered the utförare again and the uppdrag, with the person's needs, was offered for printing. A removal, once
asked, is written to the audit log as such (s35-rui: the log told of the no and nothing of its going)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton
from test_consent_audit_after_save import _consent_entries
from test_consent_refused import _back, _open, _press, _record_refusal, _rows
from uihelpers import when_shown

from ibic.vocabulary import ConsentRecipient


def _remove_last(qtbot, workspace, answer) -> list[str]:  # type: ignore[no-untyped-def]
    """The last consent chosen in the list, Space on Ta bort markerad, the question answered by ``answer``; what it
    asked."""
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = workspace.case_page.consents
    section.listing.setFocus()
    _press(qtbot, Qt.Key.Key_End)
    section.remove_button.setFocus()
    asked: list[str] = []

    def act(box) -> None:  # type: ignore[no-untyped-def]
        asked.extend((box.text(), box.defaultButton().text()))
        answer(box)

    when_shown("removeConsentQuestion", act)
    _press(qtbot, Qt.Key.Key_Space)
    _back(qtbot, workspace.window())
    return asked


def test_removing_the_persons_no_is_asked_first_and_esc_keeps_it(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2025-0117")  # signed, Hemtjänst Demo AB chosen
    profile, case_id = demo_window.session.profile, workspace.opened.case.id
    seq = profile.audit.entries()[-1].seq
    _record_refusal(qtbot, workspace, ConsentRecipient.PROVIDER, "Hemtjänst Demo AB")
    section, box = workspace.case_page.consents, workspace.follow_up_page.documents
    before = _rows(section)

    asked = _remove_last(qtbot, workspace, lambda question: QTest.keyClick(question, Qt.Key.Key_Escape))
    assert asked and asked[0].startswith("Ta bort Utförare – Hemtjänst Demo AB (skriftligt, samtycker inte ")
    assert asked[1] == "Behåll"
    assert _rows(section) == before, "Esc keeps the person's no"
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert not box.order_button.isEnabled(), "the no still keeps the uppdrag from the utförare"
    assert _consent_entries(profile, case_id, seq) == [("consent_refused", "recipient: provider")]

    _remove_last(qtbot, workspace, lambda question: question.findChild(QPushButton, "removeConsentYes").click())
    assert _rows(section) == before[:-1], "a no recorded by mistake is still removed, once asked"
    # The log had told of the no and nothing of its going (s35-rui): the recipient's kind, never a name.
    qtbot.waitUntil(lambda: len(_consent_entries(profile, case_id, seq)) == 2, timeout=3_000)
    assert _consent_entries(profile, case_id, seq) == [("consent_refused", "recipient: provider"),
                                                       ("consent_removed", "recipient: provider")]
