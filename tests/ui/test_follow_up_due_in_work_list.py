"""A follow-up's done date and the work list (seeds 001 and 004): a done date typed ahead of today is not a follow-up
held, and a decision until further notice falls due for nyprövning a year after each follow-up, not only once.

Everything through the window: the done date typed into the follow-up step, the work list shown with Ctrl+T.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_work_list_on_screen import _rows
from uihelpers import demo_profile_with, type_text, unlock

from ibic.cases import Case

CASE = "DEMO-2025-0117"  # Tolvan: a 104-hour decision with a follow-up planned next week


def _type_done_date(qtbot, window, day: str) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == CASE)
    window.open_case(case_id)
    window.workspace.go_to("follow_up")
    done_on = window.workspace.follow_up_page.done_on
    done_on.setFocus()
    type_text(done_on.edit, day)
    qtbot.keyClick(done_on.edit, Qt.Key.Key_Tab)


def _case_rows(qtbot, window) -> list[list[str]]:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    return [row[:2] for row in _rows(window.case_list.work) if CASE in row]


def test_a_done_date_typed_ahead_of_today_keeps_the_follow_up_due(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """On main any done date counted as held: the planned day typed into the done field by mistake (two weeks ahead)
    took the 100-hour decision's follow-up reminder and the planned follow-up off the work list."""
    _type_done_date(qtbot, demo_window, (date.today() + timedelta(days=14)).isoformat())
    rows = _case_rows(qtbot, demo_window)
    assert any(kind.startswith("uppföljning av stort beslut") for _, kind in rows), rows
    assert any(kind.startswith("planerad uppföljning") for _, kind in rows), rows


def _followed_up_400_days_ago(qtbot, window) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """A follow-up held 400 days ago typed as done; the case's work list rows, which must hold nyprövning a year
    after it, overdue."""
    held = date.today() - timedelta(days=400)
    _type_done_date(qtbot, window, held.isoformat())
    rows = _case_rows(qtbot, window)
    due = held.replace(year=held.year + 1) if (held.month, held.day) != (2, 29) else held + timedelta(days=365)
    assert [f"Försenad: {due.isoformat()}", "årlig nyprövning"] in rows, rows
    return rows


@pytest.fixture
def demo_profile_dir(profile_dir: Path, request: pytest.FixtureRequest) -> Path:
    """The demo profile; with the parameter "until further notice", Tolvan's decision has no end and was made two
    years ago; with "time-limited for three years" it was made two years ago and ends in a hundred days
    (``uihelpers.demo_profile_with``, as in ``test_lapsed_decision``)."""
    two_years_ago = date.today() - timedelta(days=730)

    def until_further_notice(cases: list[Case]) -> None:
        param = getattr(request, "param", "")
        if param not in ("until further notice", "time-limited for three years"):
            return
        # Time-limited for three years: made two years ago and running another hundred days.
        ends = None if param == "until further notice" else date.today() + timedelta(days=100)
        followed = next(c for c in cases if c.case_number == CASE)
        followed.decisions = [d.model_copy(update={"ends_on": ends, "decided_on": two_years_ago,
                                                   "starts_on": two_years_ago}) for d in followed.decisions]

    return Path(demo_profile_with(profile_dir, until_further_notice))


@pytest.mark.parametrize("demo_profile_dir", ["until further notice"], indirect=True)
def test_nyprovning_falls_due_a_year_after_the_last_follow_up(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """Seed 001: nyprövning "sker oftast en gång per år". On main a decision until further notice was reminded of a
    year after it was made and, once any follow-up was held, never again."""
    _followed_up_400_days_ago(qtbot, demo_window)  # asserts the overdue nyprövning



@pytest.mark.parametrize("demo_profile_dir", ["time-limited for three years"], indirect=True)
def test_a_time_limited_decision_past_a_year_falls_due_for_nyprovning_too(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """Seed 001: nyprövning "sker oftast en gång per år", whether the decision runs until further notice or for three
    years. On main a time-limited decision was reminded of only 30 days before its end, never at twelve months."""
    rows = _followed_up_400_days_ago(qtbot, demo_window)
    # The end is 100 days ahead: not reminded of yet, and the work list's reason names it.
    ends = (date.today() + timedelta(days=100)).isoformat()
    reasons = [row for row in _rows(demo_window.case_list.work) if CASE in row and "årlig nyprövning" in row]
    assert any(f"tidsbegränsat beslut, upphör {ends}" in cell for row in reasons for cell in row), reasons
    assert not any(kind.startswith("beslutet upphör") for _, kind in rows), rows
