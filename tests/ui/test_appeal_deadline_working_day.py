"""The last day to appeal, as the documents box shows it and the beslutsmeddelande prints it, is a day the appeal can
come in: lag (1930:173) om beräkning av lagstadgad tid, 2 §, moves a time limit that ends on a Saturday, a Sunday, a
holiday or an afton to the next weekday. A delgivning on 4 December 2026 gives three weeks to juldagen: main
printed the last day to appeal as 2026-12-25; the right day is Monday 28 December (annandag jul is a Saturday)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from test_decision_documents_after_the_day import _previewed_notice
from uihelpers import demo_profile_with, follow_up_step, type_text

from ibic.cases import Case
from ibic.vocabulary import DecisionOutcome

NUMBER = "DEMO-2025-0117"
DECIDED = date(2026, 11, 30)


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    """DEMO-2025-0117's decision a delvis bifall made on 30 November 2026, in force from the day after."""

    def partly_granted(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        case.decisions = [d.model_copy(update={
            "outcome": DecisionOutcome.PARTLY_GRANTED, "decided_on": DECIDED, "starts_on": DECIDED + timedelta(days=1),
            "ends_on": date.today() + timedelta(days=365),
        }) for d in case.decisions]

    return demo_profile_with(profile_dir, partly_granted)


def test_the_last_day_to_appeal_moves_past_christmas_to_the_next_weekday(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    box = follow_up_step(qtbot, demo_window, NUMBER).documents
    box.notice_sent.edit.setFocus()
    type_text(box.notice_sent.edit, "2026-12-02")
    box.notified.edit.setFocus()
    type_text(box.notified.edit, "2026-12-04")
    assert box.appeal.text() == "Sista dag att överklaga: 2026-12-28"

    text = _previewed_notice(qtbot, demo_window, box)
    assert "Sista dag att överklaga 2026-12-28" in text
    assert "2026-12-25" not in text
