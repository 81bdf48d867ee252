"""A decision the central system replaced (``replaces_decision_id``) is no longer in force once its successor is.

On main the replaced decision stayed in force: Ctrl+T's work list kept its overdue "uppföljning av stort beslut"
beside the successor, and a new follow-up followed up both (the uppdrag printed both: test_decision_documents).
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
    """The demo cases (``demo_window`` unlocks them); in DEMO-2025-0117 the large rambeslut is replaced by one that
    started five days ago."""
    today = date.today()

    def replace(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        old = case.decisions[0]
        case.decisions.append(Decision(**{
            **old.model_dump(exclude={"id"}), "starts_on": today - timedelta(days=5), "ends_on": None,
            "decided_on": today - timedelta(days=6), "replaces_decision_id": old.id,
        }))

    return demo_profile_with(profile_dir, replace)


def test_the_replaced_decision_leaves_the_work_list_and_new_follow_ups(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    qtbot.keyClick(demo_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = demo_window.case_list.work
    kinds = [panel.cell_text(r, 1) for r in range(panel.model.rowCount()) if panel.cell_text(r, 2) == NUMBER]
    assert kinds, "the case's planned follow-up is still listed"
    assert not any(kind.startswith("uppföljning av stort beslut") for kind in kinds), kinds
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == NUMBER)
    demo_window.open_case(case_id)
    case = demo_window.workspace.opened.case
    successor = case.decisions[1]
    demo_window.workspace.go_to("follow_up")
    follow_ups = demo_window.workspace.follow_up_page
    qtbot.keyClick(follow_ups.follow_ups.add_button, Qt.Key.Key_Space)
    assert follow_ups._current.decision_ids == [successor.id]
