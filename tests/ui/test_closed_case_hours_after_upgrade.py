"""A person's hours in Att göra and Rapporter → Internkontroll agree from the first unlock after the upgrade of a
profile made at schema 16 (s29-probe2's ``cases.hours``), a closed case's decisions included. On main migration 0016
filled the hours of open cases at the next listing and a closed case's only at its next save, while the report counts
a closed case's decision still in force: an open case of 60 h and a closed one of 40 h were listed by the report as
due and reminded of by nothing in Att göra (s30-hours)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_large_hours_split_in_work_list import _reminded
from test_reports_menu import TODAY, _rows, _trigger, reports_window, women_with_hours  # noqa: F401
from uihelpers import CASEWORKER, PASSPHRASE

from ibic.cases import StatusChange
from ibic.demo import demo_cases
from ibic.vocabulary import CaseStatus
from storage.kdf import KdfParameters
from storage.keyfile import read_key_file, unwrap
from storage.profile import create_profile, key_file_path, open_with_key

LOAD_TIMEOUT_MS = 60_000


@pytest.fixture
def caseload_dir(profile_dir: Path) -> Path:  # the caseload test_reports_menu's reports_window opens
    """One woman with an open case of 60 h and a case of 40 h closed ten days ago (its decision never ended, so the
    report counts it), stored as s29-probe2's program left a profile at schema 16: the closed case's hours never
    filled, its deadlines checked today."""
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    _people, cases = demo_cases(TODAY)
    template = next(c for c in cases if c.case_number == "DEMO-2025-0117")  # its decision started months ago
    people, (open_case, closed) = women_with_hours(template, ((60, 40),), "U")
    closed.status = CaseStatus.CLOSED
    closed.status_history.append(StatusChange(status=CaseStatus.CLOSED, on=TODAY - timedelta(days=10)))
    profile.people.save_many(people)
    profile.cases.save_many([open_case, closed])
    profile.lock()
    old = open_with_key(profile_dir, unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE))
    with old._db.transaction() as connection:
        connection.execute("UPDATE cases SET hours = '', deadline_checked_on = ? WHERE status = 'closed'",
                           (date.today().isoformat(),))
        connection.execute("ALTER TABLE cases DROP COLUMN closing")  # before 0018 too
        connection.execute("PRAGMA user_version = 16")
    old.lock()
    return profile_dir


def test_a_closed_cases_hours_count_in_att_gora_as_in_the_report_after_the_upgrade(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    qtbot.keyClick(reports_window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    # The first unlock lists what is stored at once and refreshes off its path: the row comes with that refresh.
    qtbot.waitUntil(lambda: bool(_reminded(reports_window)), timeout=LOAD_TIMEOUT_MS)
    reminded = _reminded(reports_window)
    listed = {row[0]: row for row in _rows(_trigger(reports_window, "internkontroll"))}
    assert list(listed) == ["TEST-2026-0001, TEST-2026-0002"], "the open and the closed case, 100 h together"
    assert listed["TEST-2026-0001, TEST-2026-0002"][1] == "100,0"
    assert list(reminded) == ["TEST-2026-0001"], "the open case (a closed case has no work)"
    assert "tillsammans 100,0 timmar per månad" in reminded["TEST-2026-0001"]
