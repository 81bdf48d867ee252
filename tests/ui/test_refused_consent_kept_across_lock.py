"""A consent whose add was refused keeps, across a lock, its choices and its typed day beside its text (s34-readback).

A lock adds what the add forms hold; an add refused keeps its text and types it back after the unlock, where the add
is tried again. Its lists' choices and its typed day were not kept: after the unlock the form held its defaults, and
a person's refusal to let the handläggare contact a named person (the name not yet typed) was recorded at once as a
consent given to an anhörig, dated the day of the unlock. Reached as a person does: the answer chosen and typed on
the Ärendet step (a named person, "Samtycker inte", what it covers, a day last week), Ctrl+L, the unlock, the name
typed, Lägg till. Fails on s34-merge: the form came back empty and the case held a consent to an anhörig."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_consent_refused import _choose
from uihelpers import open_case_by_keys, type_text, unlock

from ibic.vocabulary import ConsentRecipient

SIGNED = date.today() - timedelta(days=6)  # the day the person signed it, typed


def _press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_a_refused_answer_keeps_its_choices_and_day_across_the_lock(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    open_case_by_keys(qtbot, window, "DEMO-2026-0001")
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    section = window.workspace.case_page.consents
    qtbot.waitUntil(section.isVisible)
    _choose(qtbot, section.recipient, ConsentRecipient.NAMED_PERSON)
    _choose(qtbot, section.answer, False)  # the person does not consent
    section.scope.setFocus()
    type_text(section.scope, "kontakt om hjälp med inköp")
    section.given_on.edit.setFocus()
    _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(section.given_on.edit, SIGNED.isoformat())

    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # the add refused: no name
    unlock(qtbot, window)
    section = window.workspace.case_page.consents
    qtbot.waitUntil(section.isVisible)
    assert section.scope.text() == "kontakt om hjälp med inköp", "the add form's text is typed back"
    assert section.given_on.edit.text() == SIGNED.isoformat(), "and the day typed"  # on s34-merge: today
    assert (section.recipient.currentData(), section.answer.currentData()) == (ConsentRecipient.NAMED_PERSON, False)

    count = len(window.workspace.opened.case.consents)
    section.recipient_name.setFocus()
    type_text(section.recipient_name, "Grannen Gun (fiktiv)")
    section.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    consents = window.workspace.opened.case.consents
    assert len(consents) == count + 1, section.error.text()
    recorded = consents[-1]
    assert (recorded.recipient, recorded.recipient_name, recorded.given, recorded.given_on) == (
        ConsentRecipient.NAMED_PERSON, "Grannen Gun (fiktiv)", False, SIGNED)
