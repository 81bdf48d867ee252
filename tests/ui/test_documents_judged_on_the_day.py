"""The decision's documents on the follow-up step are judged on the day they are made (s34-readback).

The box "Dokument från beslutet" chose its decisions (those in force) and whether the uppdrag may go to the utförare
when the step was shown, and kept them: left open past the midnight a time-limited decision ended on, its
"Förhandsgranska beställning" printed, dated the new day, an uppdrag for the ended insats too. Reached as a person
does: the step shown on the last day of the decision, the clock moved past midnight (``test_recorded_on_the_day``'s
clock), the button pressed and the previewed PDF read. Fails on s34-merge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_follow_up_record_printed import _in_preview, _pdftotext
from test_recorded_on_the_day import TODAY, TOMORROW, clock  # noqa: F401  (``clock``: the fixture)
from uihelpers import demo_profile_with, follow_up_step

from ibic.decisions import Scope
from ibic.vocabulary import ScopeUnit

ENDING = "hemtjänst – service"  # the time-limited decision, in force until TODAY


def _with_a_decision_ending_today(cases):  # type: ignore[no-untyped-def]
    case = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    care = case.decisions[0]
    service = care.model_copy(update={
        "id": "b" * 32, "proposal_id": "d" * 32, "insats_id": "serviceinsatser", "insats_text": ENDING,
        "scope": Scope(amount=8, unit=ScopeUnit.HOURS_PER_MONTH), "ends_on": TODAY})
    case.decisions = [care, service]


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    return demo_profile_with(profile_dir, _with_a_decision_ending_today)


def test_an_uppdrag_made_past_midnight_leaves_out_the_decision_ended_the_day_before(  # type: ignore[no-untyped-def]
    qtbot, demo_window, clock, tmp_path  # noqa: F811
) -> None:
    page = follow_up_step(qtbot, demo_window, "DEMO-2025-0117")
    box = page.documents
    qtbot.waitUntil(box.isVisible)
    assert ENDING in box.decisions.text(), "in force on its last day"
    assert box.order_button.isEnabled()

    clock.day = TOMORROW  # past midnight, the step still shown
    seen = _in_preview(qtbot, lambda dialog, seen: seen.update(text=_pdftotext(dialog._pdf, tmp_path)))
    box.order_button.setFocus()
    qtbot.keyClick(box.order_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "text" in seen, timeout=60_000)
    printed = " ".join(str(seen["text"]).split())
    assert TOMORROW.isoformat() in printed, "the uppdrag is dated the day it is made"
    assert "omvårdnad" in printed, "the decision still in force is ordered"
    assert ENDING not in printed, "the decision that ended yesterday is not ordered"  # on s34-merge: it was
    assert ENDING not in box.decisions.text(), "the box says which decisions the uppdrag now holds"
