"""A follow-up counts as made once it was held and recorded something: an answer to seed 002's four questions or
granted against performed time (``follow_up_rules.is_done``), as Kontroll says of one that holds neither ("räknas
inte som gjord") and Rapporter → Internkontroll counts it (seed 004: a decision of 100 hours a month or more is
followed up). On main the work list counted a done date alone as a follow-up held: a follow-up added and dated,
nothing else recorded, took the 104-hour decision's "uppföljning av stort beslut" off Att göra while Kontroll said
it did not count. The test fails there. Everything by keys: Ctrl+6, the list's Lägg till, the done date, Ctrl+T."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_work_list_on_screen import _rows
from uihelpers import kontroll_findings, type_text, unlock

CASE = "DEMO-2025-0117"  # Tolvan: a 104-hour decision, a follow-up planned next week


def _press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _large_follow_up_rows(qtbot, window) -> list[list[str]]:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    return [row[:2] for row in _rows(window.case_list.work)
            if CASE in row and row[1].startswith("uppföljning av stort beslut")]


def test_a_follow_up_dated_with_nothing_recorded_keeps_the_large_decision_due(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    assert _large_follow_up_rows(qtbot, demo_window), "the 104-hour decision is due before anything is typed"
    type_text(demo_window.case_list.search, CASE)
    _press(qtbot, Qt.Key.Key_Return)
    workspace = demo_window.workspace
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = workspace.follow_up_page
    page.follow_ups.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)  # a new follow-up of the decision in force, planned today
    assert len(workspace.opened.case.follow_ups) == 2
    today = date.today().isoformat()
    page.done_on.setFocus()
    type_text(page.done_on.edit, today)
    _press(qtbot, Qt.Key.Key_Tab)
    assert workspace.opened.case.follow_ups[-1].done_on == date.today()

    _press(qtbot, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    said = (f"Uppföljningen {today} har inget uppmätt registrerat (de fyra frågorna, beviljad och utförd tid,"
            " kontinuitet, måluppfyllelse): den räknas inte som gjord.")
    qtbot.waitUntil(lambda: said in kontroll_findings(workspace))
    assert _large_follow_up_rows(qtbot, demo_window), "Att göra agrees with Kontroll: the follow-up is not made"
