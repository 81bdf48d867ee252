"""A consent the person limits ("endast genomförandeplanen, inte journalen") covers that much: consent is recorded
per contact with what it covers (seed 001, domain notes), and seed 002 lets a private utförare's material be noted
only on the person's consent. On main the follow-up step's choice of consent and its rule said "Utförare – Hemtjänst
Demo AB (…)" and "Privat utförare: samtycke …" and nothing of the limit typed on the case step, so the handläggare
noting the utförare's material could not see what the person had let them read. The test fails there."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock

from ibic.vocabulary import ConsentRecipient

LIMIT = "endast genomförandeplanen, inte journalen"


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _choose(qtbot, combo, wanted) -> None:  # type: ignore[no-untyped-def]
    """Arrow down the combo until ``wanted(data)``, as a person does with the keyboard."""
    combo.setFocus()
    for _ in range(combo.count()):
        if wanted(combo.currentData()):
            return
        _press(qtbot, Qt.Key.Key_Down)
    assert wanted(combo.currentData())


def _on_the_case_step(qtbot, window):  # type: ignore[no-untyped-def]
    """DEMO-2025-0117 (Hemtjänst Demo AB: a private utförare) opened from the search, Ctrl+1."""
    unlock(qtbot, window)
    type_text(window.case_list.search, "DEMO-2025-0117")
    _press(qtbot, Qt.Key.Key_Return)
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    return window.workspace


def _limited_consent_added(qtbot, workspace):  # type: ignore[no-untyped-def]
    """By keys on the Case step: a consent to Hemtjänst Demo AB covering ``LIMIT``; the consent."""
    section = workspace.case_page.consents
    _choose(qtbot, section.recipient, lambda data: data == ConsentRecipient.PROVIDER)
    _press(qtbot, Qt.Key.Key_Tab)
    type_text(QApplication.focusWidget(), "Hemtjänst Demo AB")
    section.scope.setFocus()
    type_text(section.scope, LIMIT)
    section.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    consent = workspace.opened.case.consents[-1]
    assert consent.scope == LIMIT
    return consent


def test_a_limited_consent_to_the_utforare_says_what_it_covers_where_the_material_is_noted(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    workspace = _on_the_case_step(qtbot, demo_window)
    consent = _limited_consent_added(qtbot, workspace)

    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    box = workspace.follow_up_page.provider
    _choose(qtbot, box.consent, lambda data: data == consent.id)
    given = date.today().isoformat()
    assert box.consent.currentText() == f"Utförare – Hemtjänst Demo AB ({given}): {LIMIT}"
    assert box.permission.text() == f"Privat utförare: samtycke {given}, som omfattar: {LIMIT}."
    # The limit is read whole in the tooltip; the box keeps a short item's width (a long limit made the follow-up
    # step scroll sideways at 20 pt: tests/ui/test_step_pages_no_sideways_scroll.py).
    assert box.consent.toolTip() == box.consent.currentText()
    whole = box.consent.fontMetrics().horizontalAdvance(box.consent.currentText())
    assert box.consent.minimumSizeHint().width() < whole


def test_the_uppdrag_box_says_what_a_limited_consent_covers(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """s35-probedocs: the application not signed, the uppdrag rests on the consent alone; its box said "Den enskilde
    har gett skriftligt samtycke …" and nothing of the limit, so the handläggare sending the uppdrag (the person's
    needs and goals) could not see that the person had let the utförare have the genomförandeplan only."""
    workspace = _on_the_case_step(qtbot, demo_window)
    workspace.case_page.signed.setFocus()
    _press(qtbot, Qt.Key.Key_Space)  # not signed by the person after all
    assert not workspace.opened.case.application.signed_by_person
    _limited_consent_added(qtbot, workspace)

    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    box = workspace.follow_up_page.documents
    given = date.today().isoformat()
    assert box.order_permission.text() == f"Den enskilde har gett skriftligt samtycke {given}, som omfattar: {LIMIT}."
