"""Att göra and Rapporter → Internkontroll say the same day for when a person's hours reached 100 a month, and the
same follow-up due, whatever period the report is asked for: one rule, ``ibic.granted_hours.first_reached``.

A woman has 60 h a month in one case and, from day C (100 days ago), 40 h in another: she reached 100 h on C, and
Att göra's reminder is due three months after C. On main the report said the period's first day for a sum reached
before the period, and its follow-up due three months after that: a period starting the day after C said C + 1 and
a due date a day later than Att göra's (at a year's period, months later). Fails on main (s30-hours)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_reports_menu import TODAY, _rows, _trigger, reports_window, women_with_hours  # noqa: F401
from uihelpers import CASEWORKER, PASSPHRASE, type_text

from ibic.cases import Case
from ibic.deadlines import add_months
from ibic.demo import demo_cases
from ibic.people import Person
from storage.kdf import KdfParameters
from storage.profile import create_profile

CROSSED = TODAY - timedelta(days=100)  # the day the second decision starts and the sum reaches 100 h
NUMBERS = "TEST-2026-0001, TEST-2026-0002"


def crossing_on(crossed: date, letter: str) -> tuple[list[Person], Case, Case]:
    """A woman's 60 h case from 30 days before ``crossed`` and her 40 h case from ``crossed`` (the sum reaches 100 h
    that day), neither followed up."""
    _people, cases = demo_cases(TODAY)
    template = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    people, (first, second) = women_with_hours(template, ((60, 40),), letter)
    for case, starts in ((first, crossed - timedelta(days=30)), (second, crossed)):
        case.decisions = [d.model_copy(update={"starts_on": starts, "decided_on": starts}) for d in case.decisions]
        case.follow_ups = []
    return people, first, second


@pytest.fixture
def caseload_dir(profile_dir: Path) -> Path:  # the caseload test_reports_menu's reports_window opens
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, first, second = crossing_on(CROSSED, "R")
    profile.people.save_many(people)
    profile.cases.save_many([first, second])
    profile.lock()
    return profile_dir


def _type_day(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)


def test_the_report_and_att_gora_say_the_day_the_sum_crossed_100_hours_at_each_side_of_it(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    qtbot.keyClick(reports_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = reports_window.case_list.work
    rows = [[panel.cell_text(r, c) for c in range(panel.model.columnCount())] for r in range(panel.model.rowCount())]
    large = [row for row in rows if row[1].startswith("uppföljning av stort beslut")]
    due = add_months(CROSSED, 3)
    assert sorted(row[2] for row in large) == NUMBERS.split(", "), "a row for each case counting"
    assert all(due.isoformat() in row[0] for row in large), "Att göra: due three months after the sum crossed 100 h"
    dialog = _trigger(reports_window, "internkontroll")
    for start in (CROSSED - timedelta(days=1), CROSSED, CROSSED + timedelta(days=1)):
        _type_day(qtbot, dialog.period_start.edit, start.isoformat())
        assert dialog.period_start.value() == start and not dialog.period_error.text()
        [row] = _rows(dialog)
        assert row[:5] == [NUMBERS, "100,0", "2", CROSSED.isoformat(), due.isoformat()], f"period from {start}"
