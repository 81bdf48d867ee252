"""A time-limited decision that ran out and was answered by a decision on another insats is not overdue (Ctrl+T).

DEMO-2025-0117's hemtjänst ended yesterday as the person moved to a vård- och omsorgsboende, decided five days ago.
On s20-probe the ended hemtjänst stayed "Försenad" in the work list until a new hemtjänst decision, which never
comes: the case stayed red unless it was closed.
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
def demo_profile_dir(profile_dir: Path) -> Path:
    today = date.today()

    def move(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        ended = case.decisions[0].model_copy(update={
            "starts_on": today - timedelta(days=365), "decided_on": today - timedelta(days=370),
            "ends_on": today - timedelta(days=1)})
        boende = Decision(**{**ended.model_dump(exclude={"id"}), "insats_id": "vard_och_omsorgsboende",
                             "insats_text": "vård- och omsorgsboende", "starts_on": today, "ends_on": None,
                             "decided_on": today - timedelta(days=5)})
        case.decisions = [ended, boende]

    return demo_profile_with(profile_dir, move)


def test_a_lapse_answered_by_another_insats_leaves_the_work_list(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = demo_window.case_list.work
    rows = [[panel.cell_text(r, c) for c in range(5)] for r in range(panel.model.rowCount())]
    assert any(row[2] == NUMBER for row in rows), "the case is listed for its other work"
    assert not [row for row in rows if row[2] == NUMBER and row[1] == "beslutet upphör"], rows
