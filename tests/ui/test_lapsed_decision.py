"""A time-limited decision that ran out yesterday, with no new decision: Ctrl+T's work list shows it overdue.

On main it was on the list until its last day and gone the day after (only decisions in force were looked at): the
person was left without the insats and nothing said so.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from uihelpers import demo_profile_with, unlock

from ibic.cases import Case

NUMBER = "DEMO-2025-0117"


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    """The demo cases (``demo_window`` unlocks them); DEMO-2025-0117's rambeslut ended yesterday."""
    today = date.today()

    def lapse(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        case.decisions = [case.decisions[0].model_copy(update={
            "starts_on": today - timedelta(days=365), "decided_on": today - timedelta(days=370),
            "ends_on": today - timedelta(days=1)})]

    return demo_profile_with(profile_dir, lapse)


def test_a_decision_that_ran_out_is_overdue_in_the_work_list(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = demo_window.case_list.work
    rows = [[panel.cell_text(r, c) for c in range(5)] for r in range(panel.model.rowCount())]
    ended = (date.today() - timedelta(days=1)).isoformat()
    assert [f"Försenad: {ended}", "beslutet upphör", NUMBER] in [row[:3] for row in rows], rows
    row = next(row for row in rows if row[1] == "beslutet upphör")
    assert f"upphörde {ended} och inget nytt beslut har fattats" in row[4]
