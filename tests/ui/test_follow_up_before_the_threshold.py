"""A follow-up held before a person's hours reached 100 a month followed up a smaller grant: neither Att göra nor
Rapporter → Internkontroll counts it as the large decisions' follow-up (``ibic.granted_hours.followed_since``).

A woman has 60 h a month in one case, followed up (with answers) ten days before 40 h more start in another case on
day C, 100 days ago. On main the report, asked for a period holding both days, said "Ja" (followed up in the period)
while Att göra reminded of both decisions as due and not followed up (s30-hours)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_hours_reached_on_both_screens import _type_day, crossing_on
from test_reports_menu import TODAY, _rows, _trigger, reports_window  # noqa: F401
from uihelpers import CASEWORKER, PASSPHRASE

from ibic.follow_up import FollowUp
from storage.kdf import KdfParameters
from storage.profile import create_profile

CROSSED = TODAY - timedelta(days=100)  # the 40 h start: the sum reaches 100 h
HELD = CROSSED - timedelta(days=10)  # the 60 h decision's follow-up, held and recorded


@pytest.fixture
def caseload_dir(profile_dir: Path) -> Path:  # the caseload test_reports_menu's reports_window opens
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, first, second = crossing_on(CROSSED, "B")
    first.follow_ups = [FollowUp(decision_ids=[first.decisions[0].id], done_on=HELD, how_person_wants_it="Hemma.")]
    profile.people.save_many(people)
    profile.cases.save_many([first, second])
    profile.lock()
    return profile_dir


def test_a_follow_up_before_the_sum_reached_100_hours_is_none_on_either_screen(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    qtbot.keyClick(reports_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = reports_window.case_list.work
    reminded = sorted(panel.cell_text(r, 2) for r in range(panel.model.rowCount())
                      if panel.cell_text(r, 1).startswith("uppföljning av stort beslut"))
    assert reminded == ["TEST-2026-0001", "TEST-2026-0002"], "due, not followed up since the sum reached 100 h"
    dialog = _trigger(reports_window, "internkontroll")
    _type_day(qtbot, dialog.period_start.edit, (HELD - timedelta(days=30)).isoformat())  # the follow-up in the period
    assert not dialog.period_error.text()
    [row] = _rows(dialog)
    assert row[0] == "TEST-2026-0001, TEST-2026-0002"
    assert row[3:] == [CROSSED.isoformat(), row[4], "Nej", ""], "the follow-up of the 60 h alone does not count"
