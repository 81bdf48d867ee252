"""A beslutsmeddelande of several decisions going against the person, previewed from the documents box (Ctrl+6,
Space on its button): the days it was sent and taken part of, and the last day to appeal, printed once for the
decisions that share them (s35-probedocs). On main each decision's name stood in the label column three times
("hemtjänst – städning: skickat", "…: delgivet", "…: överklaga senast"), a long name wrapped over a dozen narrow
lines, and a message of eight avslag repeated the same three days over two pages."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_decision_documents_after_the_day import _previewed_notice
from uihelpers import demo_profile_with, follow_up_step, type_text

from ibic.cases import Case
from ibic.decisions import DecisionStatusEntry
from ibic.stamps import new_id
from ibic.vocabulary import DecisionOutcome

NUMBER = "DEMO-2025-0117"
DECIDED = date.today() - timedelta(days=3)
REFUSED = ("städning varannan vecka", "inköp en gång i veckan", "ledsagning till frisören")


@pytest.fixture
def demo_profile_dir(profile_dir: Path) -> Path:
    """DEMO-2025-0117's hemtjänst a delvis bifall made three days ago, beside three avslag made the same day."""

    def refused(cases: list[Case]) -> None:
        case = next(c for c in cases if c.case_number == NUMBER)
        partly = case.decisions[0].model_copy(update={
            "outcome": DecisionOutcome.PARTLY_GRANTED, "decided_on": DECIDED, "starts_on": DECIDED,
            "ends_on": DECIDED + timedelta(days=180)})
        case.decisions = [partly, *(partly.model_copy(update={
            "id": new_id(), "insats_id": None, "insats_text": name, "outcome": DecisionOutcome.REFUSED,
            "starts_on": None, "ends_on": None}) for name in REFUSED)]
        case.decision_statuses = [DecisionStatusEntry(decision_id=partly.id, status=s.status, on=DECIDED)
                                  for s in case.decision_statuses]

    return demo_profile_with(profile_dir, refused)


def test_the_appeal_days_are_printed_once_for_the_decisions_that_share_them(qtbot, demo_window):  # type: ignore[no-untyped-def]
    box = follow_up_step(qtbot, demo_window, NUMBER).documents
    sent, notified = DECIDED, DECIDED + timedelta(days=1)
    box.notice_sent.edit.setFocus()
    type_text(box.notice_sent.edit, sent.isoformat())
    qtbot.keyClick(box.notice_sent.edit, Qt.Key.Key_Tab)
    box.notified.edit.setFocus()
    type_text(box.notified.edit, notified.isoformat())
    qtbot.keyClick(box.notified.edit, Qt.Key.Key_Tab)
    text = _previewed_notice(qtbot, demo_window, box)
    appeal = text[text.index("Hur du överklagar"):text.index("Frågeformulär")]
    last = box.appeal.text().removeprefix("Sista dag att överklaga: ")
    assert appeal.count("Skickat") == appeal.count("Delgivet") == appeal.count("Sista dag att överklaga") == 1, appeal
    assert f"Skickat {sent.isoformat()} Delgivet {notified.isoformat()} Sista dag att överklaga {last}" in appeal
    assert not any(name in appeal for name in REFUSED), "the decisions are named once, above, under Beslut"
    assert all(name in text for name in REFUSED)
