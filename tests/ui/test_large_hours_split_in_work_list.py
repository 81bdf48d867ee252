"""Seed 004's internal control ("beslut om cirka 100 timmar per månad eller mer följs upp") over a person's hours in
two cases: Att göra (Ctrl+T) reminds of the decisions exactly when Rapporter → Internkontroll lists the person as due,
at 99,9 / 100 / 100,1 hours a month (60 h in one case, 39,9 / 40 / 40,1 h in the other). On s29-probe the report
listed 60 + 40 h as due and not followed up, and Att göra reminded of neither decision: it judged each decision
alone, from a case's summary that held no other case's hours."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_reports_menu import TODAY, _rows, _trigger, reports_window, women_with_hours  # noqa: F401
from uihelpers import CASEWORKER, PASSPHRASE

from ibic.demo import demo_cases
from storage.kdf import KdfParameters
from storage.profile import create_profile

SPLIT_HOURS = ((60, 39.9), (60, 40), (60, 40.1))  # each woman's two cases: 99,9, 100 and 100,1 hours together


@pytest.fixture
def caseload_dir(profile_dir: Path) -> Path:  # the caseload test_reports_menu's reports_window opens
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    _people, cases = demo_cases(TODAY)
    template = next(c for c in cases if c.case_number == "DEMO-2025-0117")  # its decision started months ago
    people, mine = women_with_hours(template, SPLIT_HOURS, "H")
    profile.people.save_many(people)
    profile.cases.save_many(mine)
    profile.lock()
    return profile_dir


def _reminded(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Att göra's rows of large follow-ups, by case number: their reasons."""
    panel = window.case_list.work
    rows = [[panel.cell_text(r, c) for c in range(panel.model.columnCount())] for r in range(panel.model.rowCount())]
    return {row[2]: row[4] for row in rows if row[1].startswith("uppföljning av stort beslut")}


def test_the_work_list_reminds_of_split_hours_exactly_as_the_report_lists_them(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    qtbot.keyClick(reports_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    reminded = _reminded(reports_window)
    listed = {row[0]: row for row in _rows(_trigger(reports_window, "internkontroll"))}
    assert set(listed) == {"TEST-2026-0003, TEST-2026-0004", "TEST-2026-0005, TEST-2026-0006"}, "100 and 100,1"
    assert [listed[k][1] for k in sorted(listed)] == ["100,0", "100,1"]
    assert all(row[5] == "Nej" for row in listed.values()), "due and not followed up"
    assert set(reminded) == {n for numbers in listed for n in numbers.split(", ")}, "the same cases, 99,9 in neither"
    assert "tillsammans 100,1 timmar per månad" in reminded["TEST-2026-0006"]
    assert "tillsammans 100,0 timmar per månad" in reminded["TEST-2026-0003"]
