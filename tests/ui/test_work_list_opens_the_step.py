"""Att göra (Ctrl+T) by keys: an investigation whose application day was never typed is reminded of its target
for a decision, and Enter on a row opens its case on the step where that work is done (s35-probedocs).

On main a case with no received day (one from an orosanmälan has no application; Ny ärende asks for none) was on
no row however long it stayed under utredning, and every row opened its case on 1. Ärendet: a planned follow-up, a
SIP call or a target passed was a second search through the steps away. Where the work is typed below the step's
first field, the cursor is put there (s35-rui: the SIP day, the discharge day, the person's reply to the kommunicering),
and a target counted from the day the case arose says so on its row.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_work_list_on_screen import _rows
from uihelpers import demo_profile_with, unlock

from ibic.cases import Case

UNTYPED = "DEMO-2026-0001"  # Tolvan's new case: its received day left empty, the case arisen 40 days ago
ARISEN = date.today() - timedelta(days=40)


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    def untyped(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == UNTYPED)
        case.application.received_on = None
        case.opened_on = ARISEN
        case.communication.done_on = ARISEN  # kommunicerad, no reply yet: the time to reply has run out
        case.communication.reply_by = None
        case.communication.response = ""

    return demo_profile_with(profile_dir, untyped)


def _work_rows(qtbot, window) -> list[list[str]]:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    return _rows(window.case_list.work)


def _enter_on(qtbot, window, number: str, kind: str):  # type: ignore[no-untyped-def]
    """Ctrl+T, Down to the row of case ``number`` whose "Vad" starts with ``kind``, Enter; the workspace shown."""
    rows = _work_rows(qtbot, window)
    at = next(i for i, row in enumerate(rows) if row[2] == number and row[1].startswith(kind))
    table = window.case_list.work.table
    assert QApplication.focusWidget() is table
    for _ in range(at):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.isVisible()
                    and window.workspace.opened.case.case_number == number)
    return window.workspace


def _on_step(qtbot, workspace, step: str, page, field: str = "") -> None:  # type: ignore[no-untyped-def]
    """On ``step``, typing going to ``page``: to its field named ``field``, else (none named) to its first."""
    assert workspace.step == step
    qtbot.waitUntil(lambda: page.isAncestorOf(QApplication.focusWidget()))  # typing goes to the step's first field
    if field:  # s35-rui: the SIP day, the discharge day, the person's reply were far below the step's first field
        assert QApplication.focusWidget().objectName() == field


def test_an_investigation_with_no_received_day_is_reminded_of_its_target_and_opens_on_kontroll(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    rows = [row for row in _work_rows(qtbot, demo_window) if row[2] == UNTYPED]
    due = ARISEN + timedelta(days=30)  # rules.toml: investigation_target_days
    assert [f"Försenad: {due.isoformat()}", "mål för beslut", UNTYPED] in [row[:3] for row in rows], rows
    # Counted from the aktualisering, it says so (s35-rui: a month from an orosanmälan read as from an application).
    reason = next(row[4] for row in rows if row[1] == "mål för beslut")
    assert reason == ("Utredningen ska bedrivas skyndsamt: målet för beslut, räknat från dagen ärendet aktualiserades"
                      " (inget datum då ansökan kom in är registrerat), har passerats."), reason
    workspace = _enter_on(qtbot, demo_window, UNTYPED, "mål för beslut")
    _on_step(qtbot, workspace, "check", workspace.check_page)  # what is still missing, each finding a link
    workspace = _enter_on(qtbot, demo_window, UNTYPED, "svar på kommunicering")
    _on_step(qtbot, workspace, "proposal", workspace.proposal_page, "communicationResponse")


def test_enter_on_a_row_opens_the_case_on_the_step_of_its_work(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _enter_on(qtbot, demo_window, "DEMO-2025-0117", "uppföljning av stort beslut")
    _on_step(qtbot, workspace, "follow_up", workspace.follow_up_page)
    workspace = _enter_on(qtbot, demo_window, "DEMO-2026-0002", "kallelse till SIP")
    _on_step(qtbot, workspace, "visit", workspace.visit_page, "sipMeetingOn")  # the discharge planning's dates
    workspace = _enter_on(qtbot, demo_window, "DEMO-2026-0002", "betalning för vårddygn")
    _on_step(qtbot, workspace, "visit", workspace.visit_page, "dischargedOn")
    workspace = _enter_on(qtbot, demo_window, "DEMO-2025-0117", "planerad uppföljning")
    _on_step(qtbot, workspace, "follow_up", workspace.follow_up_page)
