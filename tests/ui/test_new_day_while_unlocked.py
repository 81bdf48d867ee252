"""The window left unlocked past midnight (or a laptop closed unlocked in the evening and opened the next morning):
Att göra, the case list's deadlines and the open case's header move to the new day by themselves (s33-probe).

Before, nothing looked at the calendar while the window stayed unlocked: the lists and the header stayed as of the
day before until the handläggare left the case, pressed Ctrl+T or locked. The day is the session's (the app's clock
seam, as tests/ui/test_held_elsewhere_past_midnight.py moves it); DEMO-2025-0117's decisions end today, so
tomorrow they are no longer in force: Tolvan's new case (DEMO-2026-0001) loses its Att göra row naming them, and
DEMO-2025-0117's header no longer names their end as its next deadline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from test_held_elsewhere_past_midnight import TODAY
from test_held_elsewhere_past_midnight import demo_profile_dir as demo_profile_dir  # DEMO-2025-0117's end today
from test_work_list_on_screen import _rows
from uihelpers import open_case_by_keys, unlock

TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def _day_looked_at_often(monkeypatch: Any) -> None:
    """The window looks at the calendar every 20 ms instead of every minute."""
    import ui.window_unlock

    monkeypatch.setattr(ui.window_unlock, "DAY_CHECK_MS", 20, raising=False)  # on main: no such look


def _upkeep_done(qtbot: Any, window: Any) -> None:
    """The unlock's own upkeep has run, for today (it starts after the list's first paint)."""
    qtbot.waitUntil(lambda: window._upkeep_job is not None and not window._upkeep_job.running, timeout=30_000)


def _held_rows(window: Any) -> list[list[str]]:
    return [r for r in _rows(window.case_list.work) if r[2] == "DEMO-2026-0001" and r[1] == "beslut som gäller"]


def test_att_gora_on_screen_moves_to_the_new_day_without_a_key(qtbot, demo_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window.case_list.search, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # Att göra
    assert _held_rows(demo_window)
    _upkeep_done(qtbot, demo_window)
    monkeypatch.setattr(demo_window.session, "today", lambda: TOMORROW)  # midnight passes; nobody touches a key
    qtbot.waitUntil(lambda: not _held_rows(demo_window), timeout=30_000)  # on main: still there the next day
    assert _rows(demo_window.case_list.work), "the rest of Att göra is still shown"


def _sip_due(text: str) -> date:
    """The day in "kallelse till SIP YYYY-MM-DD" (Greta's discharge: its SIP is due days after the demo's today)."""
    return date.fromisoformat(text.split("kallelse till SIP ", 1)[1][:10])


def test_an_open_cases_header_moves_to_the_new_day(qtbot, demo_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _upkeep_done(qtbot, demo_window)
    open_case_by_keys(qtbot, demo_window, "DEMO-2026-0002")
    header = demo_window.workspace.header
    before = header.text()
    due = _sip_due(before)
    assert due > TODAY and "passerad" not in before, before
    monkeypatch.setattr(demo_window.session, "today", lambda: due + timedelta(days=1))  # woken days later
    qtbot.waitUntil(lambda: header.text() != before, timeout=30_000)  # on main: unchanged
    assert f"kallelse till SIP {due.isoformat()}, passerad" in header.text(), header.text()


def test_the_case_lists_deadlines_on_screen_move_to_the_new_day(qtbot, demo_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.cases.list_rows import COLUMNS

    unlock(qtbot, demo_window)
    model = demo_window.case_list.model

    def deadline_of(number: str) -> str:
        rows = range(model.rowCount())
        row = next(r for r in rows if model.index(r, COLUMNS.index("case_number")).data() == number)
        return str(model.index(row, COLUMNS.index("deadline")).data())

    before = deadline_of("DEMO-2026-0002")
    assert before.startswith("Snart: kallelse till SIP "), before
    _upkeep_done(qtbot, demo_window)
    monkeypatch.setattr(demo_window.session, "today", lambda: _sip_due(before) + timedelta(days=1))
    qtbot.waitUntil(lambda: deadline_of("DEMO-2026-0002").startswith("Försenad: "), timeout=30_000)  # on main: "Snart"
