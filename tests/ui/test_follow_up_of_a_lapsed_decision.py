"""A follow-up started once a time-limited decision has run out follows that decision (s25-probe).

Seed 002: a follow-up comes "i samband med att ett tidsbegränsat beslut snart löper ut"; when it has run out, the
work list says "Beslutet om … upphörde … och inget nytt beslut har fattats" and the handläggare starts one. On main a
follow-up followed only the decisions in force: this one followed none, and its request for underlag asked the
utförare about "pågående beslut om hemtjänst", whatever the insats was. Reached as a person does: the follow-up
step, the add button, the request's button.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import demo_profile_with, follow_up_step

from ibic.cases import Case
from ui.workspace.underlag_dialog import UnderlagDialog

NUMBER = "DEMO-2025-0117"
TODAY = date.today()


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    """DEMO-2025-0117's decision is ledsagning, ended ten days ago, and has no follow-up yet."""

    def lapsed(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        case.decisions = [case.decisions[0].model_copy(update={
            "insats_id": "ledsagning", "insats_text": "ledsagning", "ends_on": TODAY - timedelta(days=10)})]
        case.follow_ups = []

    return demo_profile_with(profile_dir, lapsed)


def test_a_follow_up_after_the_decision_ran_out_follows_it_and_asks_about_it(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page = follow_up_step(qtbot, demo_window, NUMBER)
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    case = demo_window.workspace.opened.case
    assert [f.decision_ids for f in case.follow_ups] == [[case.decisions[0].id]]  # on main: [[]]

    asked: list[str] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnderlagDialog):
            QTimer.singleShot(20, read_and_close)
            return
        asked.append(dialog.message.toPlainText())
        dialog.reject()

    QTimer.singleShot(0, read_and_close)
    qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space)
    assert asked and "pågående beslut om ledsagning för" in asked[0], asked
