"""Seed 002: a follow-up starts "i samband med att ett tidsbegränsat beslut snart löper ut", and the request for
underlag says by when the handläggare will follow the decision up. Without a planned day ahead it said two weeks
from today, also for a decision ending in six days: the utförare was asked for material "senast" a day after the
decision had run out, for a follow-up of a "pågående beslut" (main). The request now names the decision's last day
when that comes first."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import demo_profile_with, follow_up_step

from ibic.cases import Case

NUMBER = "DEMO-2025-0117"
TODAY = date.today()
ENDS = TODAY + timedelta(days=6)


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    """DEMO-2025-0117's decision (signed application: the utförare is covered) ends in six days."""

    def ending_soon(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        case.decisions = [d.model_copy(update={"ends_on": ENDS}) for d in case.decisions]

    return demo_profile_with(profile_dir, ending_soon)


def test_the_request_for_underlag_asks_for_it_before_the_decision_runs_out(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    page = follow_up_step(qtbot, demo_window, NUMBER)
    page.new_trigger.setFocus()
    for _ in range(page.new_trigger.count()):  # the follow-up started because the decision is about to end
        if page.new_trigger.currentData() == "expiring_decision":
            break
        qtbot.keyClick(page.new_trigger, Qt.Key.Key_Down)
    assert page.new_trigger.currentData() == "expiring_decision"
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    assert page._current.planned_on in (None, TODAY), "no planned day ahead"
    seen: list[str] = []

    def read_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.message.toPlainText())
        dialog.reject()

    QTimer.singleShot(0, read_dialog)
    qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space)
    assert seen, "the request for underlag opened"
    assert f"Jag ska senast {ENDS.isoformat()} följa upp pågående beslut" in seen[0]
    assert (TODAY + timedelta(weeks=2)).isoformat() not in seen[0]
