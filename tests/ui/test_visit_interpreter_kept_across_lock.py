"""A visit whose add was refused keeps its "Tolk närvarande" tick across a lock, with its day, place and text
(s35-probelock).

A lock adds what the add forms hold; an add refused keeps what its form holds and types it back after the unlock,
where the add is tried again (tests/ui/test_refused_consent_kept_across_lock.py for its lists and days). A box
ticked was not kept: after the unlock the visit's text and day were back, "Tolk närvarande" unticked, and the visit
added once the day was corrected was recorded as one without an interpreter. Reached as a person does: the Besök step
(Ctrl+2), a day mistyped, the box ticked with Space, the language and who took part typed, Ctrl+L, the unlock, the
day corrected, Lägg till. Fails without the fix: the box came back unticked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from test_refused_consent_kept_across_lock import _press
from uihelpers import open_case_by_keys, type_text, unlock

MISTYPED = "2026-02-30"  # no such day: the add is refused and kept


def on_step(qtbot: Any, window: Any, case_number: str, step: Qt.Key) -> None:
    """Unlocked, the case opened from the list by keys, and its step shown by Ctrl+<step>."""
    unlock(qtbot, window)
    open_case_by_keys(qtbot, window, case_number)
    _press(qtbot, step, Qt.KeyboardModifier.ControlModifier)


def _retype_day(qtbot, page, text: str) -> None:  # type: ignore[no-untyped-def]
    page.visit_date.edit.setFocus()
    _press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(page.visit_date.edit, text)


def test_a_refused_visit_keeps_its_interpreter_ticked_across_the_lock(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    on_step(qtbot, window, "DEMO-2026-0001", Qt.Key.Key_2)
    page = window.workspace.visit_page
    qtbot.waitUntil(page.visits.isVisible)
    visits = len(window.workspace.opened.case.investigation.visits)
    _retype_day(qtbot, page, MISTYPED)
    page.interpreter.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert page.interpreter.isChecked()
    page.interpreter_language.setFocus()
    type_text(page.interpreter_language, "arabiska")
    page.participants.setFocus()
    type_text(page.participants, "Eva Testsson – dotter")

    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # the add refused: no such day
    unlock(qtbot, window)
    page = window.workspace.visit_page
    qtbot.waitUntil(page.visits.isVisible)
    assert (page.visit_date.edit.text(), page.participants.text(), page.interpreter_language.text()) == (
        MISTYPED, "Eva Testsson – dotter", "arabiska"), "the form's texts are typed back"
    assert page.interpreter.isChecked(), "and the box as ticked"  # unticked before the fix

    _retype_day(qtbot, page, "2026-11-30")
    page.visits.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    held = window.workspace.opened.case.investigation.visits
    assert len(held) == visits + 1, page.visits.error.text()
    assert (held[-1].visited_on.isoformat(), held[-1].interpreter_used, held[-1].interpreter_language) == (
        "2026-11-30", True, "arabiska")
