"""The beslutsmeddelande of a decision made on an earlier day that is not in force: an avslag, or a decision that
starts later (s25-probe).

Decisions arrive from the central system, often the day after they were made. The documents box offered only the
decisions in force and those made today: an avslag made three days ago (never in force) could not be sent with its
appeal notice, and the beslutsmeddelande printed instead said "Beslutet går dig inte emot". Reached as a person
does: the case opened, the follow-up step, the box's preview button.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from uihelpers import demo_profile_with, follow_up_step, type_text

from ibic.cases import Case
from ibic.decisions import Decision, FrozenScope, appeal_deadline
from ibic.notices import DecisionNotice, appeal_deadline_for
from ibic.vocabulary import DecisionOutcome
from ui.printing.preview import UtredningPreviewDialog

NUMBER = "DEMO-2025-0117"
TODAY = date.today()
SENT_LONG_AGO = TODAY - timedelta(days=90)


@pytest.fixture
def demo_profile_dir(profile_dir: Path, request: pytest.FixtureRequest) -> Path:
    """DEMO-2025-0117's rambeslut in force, its beslutsmeddelande sent and taken part of long ago, and an avslag on
    ledsagning made three days ago; the rambeslut a delvis bifall with the param "partly granted"."""

    def refused(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        if getattr(request, "param", "") == "partly granted":  # its own last day to appeal runs from long ago
            case.decisions[0] = case.decisions[0].model_copy(update={"outcome": DecisionOutcome.PARTLY_GRANTED})
        case.decision_notices.append(DecisionNotice(decision_ids=[case.decisions[0].id], sent_on=SENT_LONG_AGO,
                                                    notified_on=SENT_LONG_AGO + timedelta(days=2)))
        case.decisions.append(Decision(
            proposal_id="p-ledsagning", insats_id="ledsagning", insats_text="ledsagning",
            outcome=DecisionOutcome.REFUSED, scope=FrozenScope(), starts_on=None, ends_on=None,
            law_reference_id="sol2025_11_1", motivation="Behovet tillgodoses av dagverksamheten.",
            decided_on=TODAY - timedelta(days=3), decided_by="Handläggare Demo",
        ))

    return demo_profile_with(profile_dir, refused)


def _previewed_notice(qtbot, window, box) -> str:  # type: ignore[no-untyped-def]
    """The box's beslutsmeddelande previewed by its button, as text; the preview closed again."""
    qtbot.keyClick(box.notice_button, Qt.Key.Key_Space)
    dialog = window.findChild(UtredningPreviewDialog)
    assert dialog is not None
    if not dialog._pdf:
        with qtbot.waitSignal(dialog.document_loaded, timeout=60_000):
            pass
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(dialog._pdf)).pages).split())
    dialog.reject()
    return text


def test_an_avslag_made_three_days_ago_gets_its_beslutsmeddelande_with_the_appeal(qtbot, demo_window):  # type: ignore[no-untyped-def]
    box = follow_up_step(qtbot, demo_window, NUMBER).documents
    assert "ledsagning" in box.decisions.text(), box.decisions.text()  # on main: the rambeslut alone
    text = _previewed_notice(qtbot, demo_window, box)
    assert "Avslag" in text and "Behovet tillgodoses av dagverksamheten." in text
    assert "Hur du överklagar" in text and "går dig inte emot" not in text


def test_the_dates_shown_and_typed_are_the_new_avslags_not_the_old_rambeslut(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """With the rambeslut sent long ago beside it, the box showed the rambeslut's dates and last day to appeal,
    and a date typed for the avslag rewrote the rambeslut's record (the first decision's): the avslag never had
    one, and the beslutsmeddelande printed no last day to appeal for it."""
    box = follow_up_step(qtbot, demo_window, NUMBER).documents
    assert box.notice_sent.edit.text() == "" and box.appeal.text() == "", "nothing is recorded for the avslag yet"
    box.notice_sent.edit.setFocus()
    type_text(box.notice_sent.edit, (TODAY - timedelta(days=2)).isoformat())
    box.notified.edit.setFocus()
    type_text(box.notified.edit, (TODAY - timedelta(days=1)).isoformat())
    # Three weeks from the delgivning (moved past a weekend or holiday: test_appeal_deadline_working_day.py).
    assert box.appeal.text() == f"Sista dag att överklaga: {appeal_deadline(TODAY - timedelta(days=1), 3)}"
    case = demo_window.workspace.opened.case
    first, avslag = case.decisions
    assert [n.sent_on for n in case.decision_notices if first.id in n.decision_ids and avslag.id not in
            n.decision_ids] == [SENT_LONG_AGO], "the rambeslut's own record is as it was"
    assert [n.notified_on for n in case.decision_notices if avslag.id in n.decision_ids] == [TODAY - timedelta(days=1)]


@pytest.mark.parametrize("demo_profile_dir", ["partly granted"], indirect=True)
def test_the_avslags_beslutsmeddelande_carries_it_alone_not_the_rambeslut_sent_long_ago(  # type: ignore[no-untyped-def]
    qtbot, demo_window
):
    """Seed 001 ("Beslut m.m. skickas hem"): a beslutsmeddelande tells the person of the decisions just made. The
    rambeslut in force, made and sent long ago, went into the avslag's too (s25-rprobe): printed as if decided
    again, and once its sending was typed the new record carried the rambeslut, so the rambeslut's own last day to
    appeal moved to three weeks after the avslag's delgivning."""
    box = follow_up_step(qtbot, demo_window, NUMBER).documents
    case = demo_window.workspace.opened.case
    rambeslut, avslag = case.decisions
    box.notice_sent.edit.setFocus()
    type_text(box.notice_sent.edit, (TODAY - timedelta(days=2)).isoformat())
    box.notified.edit.setFocus()
    type_text(box.notified.edit, (TODAY - timedelta(days=1)).isoformat())
    assert [n.decision_ids for n in case.decision_notices if avslag.id in n.decision_ids] == [[avslag.id]]
    # Its own delgivning's, not the avslag's (the day moved past a weekend or holiday: lag 1930:173, 2 §).
    own = appeal_deadline(SENT_LONG_AGO + timedelta(days=2), 3)
    assert appeal_deadline_for(case.decision_notices, rambeslut.id, 3) == own
    text = _previewed_notice(qtbot, demo_window, box)
    assert "Behovet tillgodoses av dagverksamheten." in text
    assert rambeslut.insats_text not in text and rambeslut.motivation[:30] not in text, "the rambeslut is not in it"
