"""A work-list row's reason says what its date column says: a reminder due soon speaks of what is coming, an overdue
one of what has passed. With the application received 172 days ago, main listed "Snart: <six months>" beside
"Ansökan har inte avgjorts inom sex månader" (the six months had not passed) and "Försenad: <target>" beside
"målet för beslut närmar sig" (it had passed); after kommunicering, an overdue reply time still "går ut"."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_work_list_on_screen import _rows
from uihelpers import demo_profile_with, unlock

from ibic.cases import Case

NUMBER = "DEMO-2026-0001"  # Tolvan's application, not yet decided
TODAY = date.today()


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    """The application received 172 days ago (six months are near, the 30-day target long past) and kommunicerad
    20 days ago without a reply (the 14 days to reply have run out)."""

    def long_undecided(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        case.opened_on = TODAY - timedelta(days=175)
        case.application.received_on = TODAY - timedelta(days=172)
        case.communication.done_on = TODAY - timedelta(days=20)
        case.communication.reply_by = None
        case.communication.response = ""

    return demo_profile_with(profile_dir, long_undecided)


def test_each_reason_is_in_the_tense_of_its_date(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    rows = {row[1]: (row[0], row[4]) for row in _rows(demo_window.case_list.work) if NUMBER in row}
    when, reason = rows["ansökan sex månader"]
    assert when.startswith("Snart:"), rows
    assert "har inte avgjorts inom sex månader" not in reason
    assert "snart" in reason and "FL 12 §" in reason, reason
    when, reason = rows["mål för beslut"]
    assert when.startswith("Försenad:"), rows
    assert "närmar sig" not in reason and "har passerats" in reason, reason
    replies = [(w, r) for kind, (w, r) in rows.items() if "Svarstiden" in r]
    assert replies and replies[0][0].startswith("Försenad:"), rows
    assert "har gått ut" in replies[0][1], replies
