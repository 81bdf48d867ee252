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
from ibic.decisions import Decision

NUMBER = "DEMO-2025-0117"


@pytest.fixture
def demo_profile_dir(profile_dir: Path, request: pytest.FixtureRequest) -> Path:
    """The demo cases (``demo_window`` unlocks them); DEMO-2025-0117's rambeslut ended yesterday. With the parameter
    "moved", the person moved to a vård- och omsorgsboende decided five days ago."""
    today = date.today()

    def lapse(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        ended = case.decisions[0].model_copy(update={
            "starts_on": today - timedelta(days=365), "decided_on": today - timedelta(days=370),
            "ends_on": today - timedelta(days=1)})
        case.decisions = [ended]
        if getattr(request, "param", "") == "moved":
            case.decisions.append(Decision(**{
                **ended.model_dump(exclude={"id"}), "insats_id": "vard_och_omsorgsboende",
                "insats_text": "vård- och omsorgsboende", "starts_on": today, "ends_on": None,
                "decided_on": today - timedelta(days=5)}))

    return demo_profile_with(profile_dir, lapse)


def _work_rows(qtbot, window) -> list[list[str]]:  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = window.case_list.work
    return [[panel.cell_text(r, c) for c in range(5)] for r in range(panel.model.rowCount())]


def test_a_decision_that_ran_out_is_overdue_in_the_work_list(qtbot, demo_window):  # type: ignore[no-untyped-def]
    rows = _work_rows(qtbot, demo_window)
    ended = (date.today() - timedelta(days=1)).isoformat()
    assert [f"Försenad: {ended}", "beslutet upphör", NUMBER] in [row[:3] for row in rows], rows
    row = next(row for row in rows if row[1] == "beslutet upphör")
    assert f"upphörde {ended} och inget nytt beslut har fattats" in row[4]


@pytest.mark.parametrize("demo_profile_dir", ["moved"], indirect=True)
def test_a_lapse_answered_by_a_decision_on_another_insats_leaves_the_work_list(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """The hemtjänst ended as the person moved to a boende: on s20-probe it stayed "Försenad" until a new hemtjänst
    decision, which never comes (the case stayed red unless it was closed)."""
    rows = _work_rows(qtbot, demo_window)
    assert any(row[2] == NUMBER for row in rows), "the case is listed for its other work"
    assert not [row for row in rows if row[2] == NUMBER and row[1] == "beslutet upphör"], rows
