"""The uppdrag to the utförare holds the person's name, personnummer, address, needs and goals: seed 001 lets it go
to the utförare the person chose only once the person signed the application or consented orally, and the
person's latest word (a consent to the utförare withdrawn) wins over the signature (domain notes). The request for
underlag already followed that rule; the uppdrag did not: on main, after the person withdrew the consent to the
utförare, the documents box still offered the uppdrag for preview and printing without a word. The test fails
there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock

from ibic.vocabulary import ConsentForm, ConsentRecipient


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _open_followed_case(qtbot, window):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    type_text(window.case_list.search, "DEMO-2025-0117")  # signed by the person, Hemtjänst Demo AB chosen
    _press(qtbot, Qt.Key.Key_Return)
    return window.workspace


def add_provider_consent(qtbot, workspace, form: ConsentForm | None = None) -> None:  # type: ignore[no-untyped-def]
    """On the Case step, by keys: a consent to Hemtjänst Demo AB (written unless ``form`` says otherwise)."""
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = workspace.case_page.consents
    section.recipient.setFocus()
    for _ in range(section.recipient.count()):
        if section.recipient.currentData() == ConsentRecipient.PROVIDER:
            break
        _press(qtbot, Qt.Key.Key_Down)
    assert section.recipient.currentData() == ConsentRecipient.PROVIDER
    _press(qtbot, Qt.Key.Key_Tab)
    type_text(QApplication.focusWidget(), "Hemtjänst Demo AB")
    if form is not None:
        section.form_combo.setFocus()
        for _ in range(section.form_combo.count()):
            if section.form_combo.currentData() == form:
                break
            _press(qtbot, Qt.Key.Key_Down)
        assert section.form_combo.currentData() == form
    section.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)


def _withdraw_last_consent(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    section = workspace.case_page.consents
    section.listing.setFocus()
    _press(qtbot, Qt.Key.Key_End)  # the consent just added, chosen in the list
    section.withdraw_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)


def test_the_uppdrag_is_not_offered_once_the_person_withdrew_the_consent_to_the_utforare(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open_followed_case(qtbot, demo_window)
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    box = workspace.follow_up_page.documents
    assert box.order_button.isEnabled(), "covered by the signed application"

    add_provider_consent(qtbot, workspace)
    _withdraw_last_consent(qtbot, workspace)
    withdrawn = [c for c in workspace.opened.case.consents if c.recipient == ConsentRecipient.PROVIDER]
    assert len(withdrawn) == 1 and withdrawn[0].withdrawn_on is not None

    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert not box.order_button.isEnabled(), "the uppdrag cannot be previewed nor printed for the utförare"
    assert "återkallade" in box.order_permission.text()
    assert "Uppdraget får inte lämnas till utföraren" in box.order_permission.text()
    assert box.notice_button.isEnabled(), "the beslutsmeddelande goes to the person: no consent needed"


def test_an_oral_consent_given_again_lets_the_uppdrag_go(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """The person's latest word again: an oral consent given after the withdrawal covers the utförare."""
    workspace = _open_followed_case(qtbot, demo_window)
    add_provider_consent(qtbot, workspace)
    _withdraw_last_consent(qtbot, workspace)
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    box = workspace.follow_up_page.documents
    assert not box.order_button.isEnabled()

    add_provider_consent(qtbot, workspace, ConsentForm.ORAL)
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert box.order_button.isEnabled()
    assert box.order_permission.styleSheet() == "", "no longer shown as a refusal"
    assert "muntligt samtycke" in box.order_permission.text()
