"""A follow-up's done date and the work list (seeds 001 and 004): a done date typed ahead of today is not a follow-up
held, and a decision until further notice falls due for nyprövning a year after each follow-up, not only once.

Everything through the window: the done date typed into the follow-up step, the work list shown with Ctrl+T.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_case_list_columns import _row_of
from test_work_list_on_screen import _rows
from uihelpers import demo_profile_with, type_text, unlock

from ibic.cases import Case
from ibic.stamps import new_id

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
    """The demo profile; by the parameter, Tolvan's decision made two years ago runs until further notice, is
    time-limited for three years (ending in a hundred days), time-limited ending in twenty days, or ending in a hundred
    days with a successor on the insats decided ten days ago to start the day after (``uihelpers.demo_profile_with``,
    as in ``test_lapsed_decision``)."""
    two_years_ago = date.today() - timedelta(days=730)
    ends = {"until further notice": None, "time-limited for three years": 100, "time-limited ending in 20 days": 20,
            "time-limited with a successor": 100}

    def made_two_years_ago(cases: list[Case]) -> None:
        param = getattr(request, "param", "")
        if param not in ends:
            return
        days = ends[param]
        end = None if days is None else date.today() + timedelta(days=days)
        followed = next(c for c in cases if c.case_number == CASE)
        followed.decisions = [d.model_copy(update={"ends_on": end, "decided_on": two_years_ago,
                                                   "starts_on": two_years_ago}) for d in followed.decisions]
        if param == "time-limited with a successor" and end is not None:
            followed.decisions += [d.model_copy(update={"id": new_id(), "ends_on": None, "starts_on": end
                                                        + timedelta(days=1), "decided_on": date.today()
                                                        - timedelta(days=10)}) for d in followed.decisions]

    return Path(demo_profile_with(profile_dir, made_two_years_ago))


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


@pytest.mark.parametrize("demo_profile_dir", ["time-limited ending in 20 days"], indirect=True)
def test_a_time_limited_decisions_overdue_nyprovning_gives_way_to_its_end(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """Once the end is reminded of, it alone: the new decision it asks for is the nyprövning too. s27-probe listed
    both, and the case list's "Nästa tidsgräns" named the nyprövning overdue for a month, not the end in 20 days."""
    _type_done_date(qtbot, demo_window, (date.today() - timedelta(days=400)).isoformat())
    rows = _case_rows(qtbot, demo_window)
    ends = (date.today() + timedelta(days=20)).isoformat()
    assert [f"Snart: {ends}", "beslutet upphör"] in rows, rows
    assert not any(kind == "årlig nyprövning" for _, kind in rows), rows
    assert _row_of(demo_window.case_list, CASE)["deadline"] == f"Snart: beslutet upphör {ends}"


@pytest.mark.parametrize("demo_profile_dir", ["time-limited with a successor"], indirect=True)
def test_a_time_limited_decisions_nyprovning_is_answered_by_its_successor(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """A new decision on the insats, made ten days ago to start when the old one ends in a hundred days: nothing is
    left to do. s27-probe kept the old decision's nyprövning "Försenad" on the work list until its end day."""
    _type_done_date(qtbot, demo_window, (date.today() - timedelta(days=400)).isoformat())
    rows = _case_rows(qtbot, demo_window)
    assert not any(kind == "årlig nyprövning" for _, kind in rows), rows
    assert _row_of(demo_window.case_list, CASE)["deadline"] == ""  # nothing due: the list was read
