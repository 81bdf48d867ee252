"""Rapporter → Internkontroll, opened by its keys (Alt+P, the first item, Enter), over a real profile (s31-report).

1. Which day counts. Seed 004: "Kontrollen har avsett om uppföljning av beslut om omfattande hemtjänstinsatser som
   uppgår till motsvarande cirka 100 timmar per månad eller mer": the decisions that amount to 100 hours on the day
   of the control, the period's last day, as Att göra reminds of them on its day. A woman whose 60 + 40 h fell to 60 h
   three weeks ago (a status record ended the 40 h) is no longer listed, and Att göra reminds of nothing; with the
   period ending while she was at 100 h she is. On main the report listed her for any period that held a day at
   100 h, while Att göra said nothing, and said nothing of which day counted.
2. A period ending after today is counted up to today, and says so: a follow-up dated ahead (planned, not held) is
   not a follow-up made, and a 120 h decision starting next week is not in force. On main the report said "Ja" for the
   follow-up and listed the decision not yet started.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from test_hours_reached_on_both_screens import _type_day, crossing_on
from test_reports_menu import TODAY, _rows, reports_window, women_with_hours  # noqa: F401
from uihelpers import CASEWORKER, PASSPHRASE

from ibic.cases import Case
from ibic.decisions import DecisionStatusEntry
from ibic.demo import demo_cases
from ibic.follow_up import FollowUp
from ibic.vocabulary import DecisionStatusKind
from storage.kdf import KdfParameters
from storage.profile import create_profile

CROSSED = TODAY - timedelta(days=100)  # the 40 h start: the sum reaches 100 h
ENDED = TODAY - timedelta(days=20)  # the 40 h ended by a status record: 60 h from this day
PLANNED = TODAY + timedelta(days=10)  # a follow-up's done date typed ahead
STARTS = TODAY + timedelta(days=7)  # a 120 h decision not yet in force
FELL, AHEAD, LATER = "TEST-2026-0001, TEST-2026-0002", "TEST-2026-0011", "TEST-2026-0012"


def _numbered(case: Case, number: str, starts: date) -> Case:
    decisions = [d.model_copy(update={"starts_on": starts, "decided_on": min(starts, TODAY)}) for d in case.decisions]
    return case.model_copy(update={"case_number": number, "decisions": decisions, "follow_ups": []})


@pytest.fixture
def caseload_dir(profile_dir: Path) -> Path:  # the caseload test_reports_menu's reports_window opens
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, first, second = crossing_on(CROSSED, "F")
    second.decision_statuses = [DecisionStatusEntry(decision_id=second.decisions[0].id,
                                                    status=DecisionStatusKind.ENDED, on=ENDED)]
    template = next(c for c in demo_cases(TODAY)[1] if c.case_number == "DEMO-2025-0117")
    others, (ahead, later) = women_with_hours(template, ((104,), (120,)), "A")
    ahead = _numbered(ahead, AHEAD, CROSSED)
    ahead.follow_ups = [FollowUp(decision_ids=[ahead.decisions[0].id], planned_on=PLANNED, done_on=PLANNED,
                                 how_person_wants_it="Hemma, på förmiddagen.")]
    later = _numbered(later, LATER, STARTS)
    profile.people.save_many([*people, *others])
    profile.cases.save_many([first, second, ahead, later])
    profile.lock()
    return profile_dir


def _internal_control_by_keys(qtbot, window):  # type: ignore[no-untyped-def]
    """Alt+P opens Rapporter; Internkontroll is its first item; Enter opens it."""
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    assert menu is window.reports.menu
    if menu.activeAction() is None:
        QTest.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is window.reports.actions["internkontroll"]
    QTest.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.reports.dialog is not None and window.reports.dialog.isVisible())
    return window.reports.dialog


def _large_reminders(qtbot, window) -> list[str]:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    panel = window.case_list.work
    return sorted(panel.cell_text(r, 2) for r in range(panel.model.rowCount())
                  if panel.cell_text(r, 1).startswith("uppföljning av stort beslut"))


def _numbers(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    return [row[0] for row in _rows(dialog)]


def test_internal_control_counts_the_hours_on_the_periods_last_day_as_att_gora_does(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    assert _large_reminders(qtbot, reports_window) == [AHEAD], "60 h today: Att göra reminds of her no more"
    dialog = _internal_control_by_keys(qtbot, reports_window)
    _type_day(qtbot, dialog.period_start.edit, (CROSSED - timedelta(days=30)).isoformat())
    assert not dialog.period_error.text()
    assert FELL not in _numbers(dialog), "under 100 h on the period's last day: not listed"
    title = dialog.tabs.tabText(0)
    assert title == f"Internkontroll: beviljad tid minst 100 timmar per månad den {TODAY.isoformat()}"
    note = dialog.tabs.widget(0).findChild(QLabel, "reportNote").text()
    assert note.startswith("Summan av alla beslut i kraft periodens sista dag, i alla ärenden")
    at_100 = ENDED - timedelta(days=1)
    _type_day(qtbot, dialog.period_end.edit, at_100.isoformat())
    [row] = [row for row in _rows(dialog) if row[0] == FELL]
    assert row[1:4] == ["100,0", "2", CROSSED.isoformat()], "at 100 h on the period's last day: listed"
    assert dialog.tabs.tabText(0).endswith(f"den {at_100.isoformat()}")


def test_a_period_ending_after_today_is_counted_up_to_today_and_says_so(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    dialog = _internal_control_by_keys(qtbot, reports_window)
    end = TODAY + timedelta(days=30)
    _type_day(qtbot, dialog.period_end.edit, end.isoformat())
    assert not dialog.period_error.text()
    [row] = _rows(dialog)
    assert row[0] == AHEAD, "the 120 h decision starting next week is not in force yet"
    assert row[5:] == ["Nej", ""], "the follow-up dated ahead is planned, not made"
    assert dialog.period_note.isVisible()
    assert dialog.period_note.text() == (
        f"Perioden slutar efter i dag ({end.isoformat()}): den räknas till och med i dag ({TODAY.isoformat()}). "
        "En uppföljning planerad efter i dag räknas inte som gjord.")
    _type_day(qtbot, dialog.period_end.edit, TODAY.isoformat())
    assert not dialog.period_note.isVisible(), "a period ending today says nothing of the future"
