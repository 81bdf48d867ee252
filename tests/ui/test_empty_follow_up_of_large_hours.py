"""A follow-up held but left empty (a done date and no answer: a Kontroll finding) does not follow a large decision
up in Att göra, as it does not in Rapporter → Internkontroll ("Uppföljd sedan gränsen nåddes: Nej",
``follow_up_rules.is_done``).
On main Att göra counted any done date: a 104 h decision and a person's 60 + 40 h, each with an empty follow-up held
five days ago, were listed by the report as due and not followed up, and reminded of by nothing (s30-hours)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_reports_menu import TODAY, _rows, _trigger, reports_window, women_with_hours  # noqa: F401
from uihelpers import CASEWORKER, PASSPHRASE

from ibic.demo import demo_cases
from ibic.follow_up import FollowUp
from storage.kdf import KdfParameters
from storage.profile import create_profile


@pytest.fixture
def caseload_dir(profile_dir: Path) -> Path:  # the caseload test_reports_menu's reports_window opens
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    _people, cases = demo_cases(TODAY)
    template = next(c for c in cases if c.case_number == "DEMO-2025-0117")  # its decision started months ago
    people, mine = women_with_hours(template, ((104,), (60, 40)), "F")
    for case in mine:
        case.follow_ups = [FollowUp(decision_ids=[d.id for d in case.decisions], done_on=TODAY - timedelta(days=5))]
    profile.people.save_many(people)
    profile.cases.save_many(mine)
    profile.lock()
    return profile_dir


def _reminded(window) -> list[str]:  # type: ignore[no-untyped-def]
    """Att göra's case numbers with a row of a large follow-up."""
    panel = window.case_list.work
    return sorted(panel.cell_text(r, 2) for r in range(panel.model.rowCount())
                  if panel.cell_text(r, 1).startswith("uppföljning av stort beslut"))


def test_an_empty_follow_up_leaves_the_large_decisions_due_on_both_screens(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    qtbot.keyClick(reports_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    listed = {row[0]: row for row in _rows(_trigger(reports_window, "internkontroll"))}
    assert sorted(listed) == ["TEST-2026-0001", "TEST-2026-0002, TEST-2026-0003"]
    assert all(row[5] == "Nej" for row in listed.values()), "the empty follow-up is no follow-up in the report"
    assert _reminded(reports_window) == ["TEST-2026-0001", "TEST-2026-0002", "TEST-2026-0003"]
