"""The lists an unlock shows (the case list and Att göra), the lists a lock keeps for the next unlock and the lists
read again on the way back from a case are made for the session's day (s34-days).

Before, the unlock's worker, the kept listing and the work list's rows (``WorkRows``: a new case's row naming the
person's decisions held elsewhere, the summed hours) read the computer's date while everything else read the
session's: with the clock set (a test's; the app has one clock, ``ui.session.calendar_day``) the two disagreed, and a
listing kept at a lock the evening before was shown the next morning. DEMO-2025-0117's decisions end today
(tests/ui/test_held_elsewhere_past_midnight.py's profile): from tomorrow Tolvan's new case (DEMO-2026-0001) has no
Att göra row naming them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from test_held_elsewhere_past_midnight import TODAY
from test_held_elsewhere_past_midnight import demo_profile_dir as demo_profile_dir  # DEMO-2025-0117's end today
from test_new_day_while_unlocked import _held_rows, _sip_due
from test_recorded_on_the_day import Clock
from uihelpers import open_case_by_keys, type_text, unlock

from ui.cases.list_rows import COLUMNS

TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The session's clock, at today until moved; the window's minute look at the calendar never comes."""
    import ui.session
    import ui.window_unlock

    shown = Clock(TODAY)
    monkeypatch.setattr(ui.session, "calendar_day", shown)
    monkeypatch.setattr(ui.window_unlock, "DAY_CHECK_MS", 24 * 3600 * 1000)
    return shown


def _deadline_of(window: Any, number: str) -> str:
    model = window.case_list.model
    row = next(r for r in range(model.rowCount()) if model.index(r, COLUMNS.index("case_number")).data() == number)
    return str(model.index(row, COLUMNS.index("deadline")).data())


def _lock(qtbot: Any, window: Any) -> None:
    """Ctrl+L, then wait until the store is closed (the lists kept for the next unlock)."""
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.session is None
    qtbot.waitUntil(lambda: not window._closing, timeout=30_000)


def _held_due(window: Any) -> list[str]:
    """The Due cells of DEMO-2026-0001's row naming decisions held elsewhere (due the day it is listed for)."""
    return [row[0] for row in _held_rows(window)]


def test_an_unlock_with_the_clock_set_lists_att_gora_for_that_day(qtbot, demo_window, clock) -> None:  # type: ignore[no-untyped-def]
    """The unlock lists what is stored (the decisions in force as of the last save) for the clock's day, at once;
    the day's upkeep then stores that day's and the row naming the decisions ended yesterday goes."""
    clock.day = TOMORROW
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Att göra
    assert _held_due(demo_window) == [f"Kommande: {TOMORROW}"]  # on main: due the computer's day
    qtbot.waitUntil(lambda: _held_rows(demo_window) == [], timeout=30_000)  # on main: stays, judged on today
    assert demo_window.case_list.work.model.rowCount() > 0, "the rest of Att göra is shown"


def test_a_listing_kept_at_a_lock_is_not_shown_the_next_day(qtbot, demo_window, clock) -> None:  # type: ignore[no-untyped-def]
    """Locked in the evening, unlocked the morning after Greta's SIP was due: Att göra and the case list's deadlines
    are of the morning, at once and once the day's upkeep has stored its deadlines, and after her case is saved."""
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert _held_rows(demo_window)
    before = _deadline_of(demo_window, "DEMO-2026-0002")
    assert before.startswith("Snart: kallelse till SIP "), before
    qtbot.waitUntil(lambda: demo_window._upkeep_job is not None and not demo_window._upkeep_job.running,
                    timeout=30_000)
    _lock(qtbot, demo_window)
    morning: date = _sip_due(before) + timedelta(days=1)
    clock.day = morning
    unlock(qtbot, demo_window)
    assert _held_due(demo_window) == [f"Kommande: {morning}"]  # on main: the evening's kept rows, as they were
    qtbot.waitUntil(lambda: _deadline_of(demo_window, "DEMO-2026-0002").startswith("Försenad: "),
                    timeout=30_000)  # on main: "Snart", the upkeep judged on the computer's day
    assert _held_rows(demo_window) == []

    # Greta's case edited and saved that morning: back to the list (only the saved case read again), its deadline is
    # the one stored by the save, which is computed for the session's day (on main: the computer's, "Snart").
    open_case_by_keys(qtbot, demo_window, "DEMO-2026-0002")
    qtbot.keyClick(demo_window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = demo_window.workspace.case_page
    qtbot.waitUntil(page.origin_note.isVisible)
    type_text(page.origin_note, " Sonen ringde.")
    qtbot.keyClick(demo_window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # saves, back to the list
    qtbot.waitUntil(lambda: demo_window.stack.currentWidget() is demo_window.case_list)
    assert _deadline_of(demo_window, "DEMO-2026-0002").startswith("Försenad: ")


def test_back_to_the_list_after_midnight_lists_att_gora_for_the_new_day(qtbot, demo_window, clock) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    qtbot.waitUntil(lambda: demo_window._upkeep_job is not None and not demo_window._upkeep_job.running,
                    timeout=30_000)
    open_case_by_keys(qtbot, demo_window, "DEMO-2026-0001")
    clock.day = TOMORROW  # the laptop woke; the case still shown
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Arkiv › Att göra
    qtbot.waitUntil(lambda: demo_window.stack.currentWidget() is demo_window.case_list)
    assert demo_window.case_list.work.model.rowCount() > 0
    assert _held_rows(demo_window) == []  # on main: the rows were made for the computer's day
