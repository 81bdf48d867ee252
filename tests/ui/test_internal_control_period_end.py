"""Rapporter → Internkontroll, opened by its keys (Alt+P, the first item, Enter), over a real profile (s31-report,
s31-report2).

1. A look-back. Seed 004: "Kontrollen har avsett om uppföljning av beslut om omfattande hemtjänstinsatser som uppgår
   till ... 100 timmar per månad eller mer. I samtliga fall hade uppföljning gjorts": a woman whose 60 + 40 h fell to
   60 h three weeks ago (a status record ended the 40 h) is listed for a period that held a day at 100 h, from the day
   she reached it, while Att göra, which reminds on its own day, no longer does. s31-report listed only those at
   100 h on the period's last day and named that day in the title.
2. A period ending after today is counted up to today: a follow-up dated ahead (planned, not held) is not a follow-up
   made, and a 120 h decision starting next week is not in force. The dialog says so once, under the period, and the
   PDF once, as a notice; Internkontroll's note says only its rule (s31-report said it in the note too: twice on
   screen, twice in print). The PDF is of the report on screen: its day is the report's, not the clock's again.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMenu
from test_hours_reached_on_both_screens import _type_day, crossing_on
from test_reports_menu import LOAD_TIMEOUT_MS, TODAY, _rows, reports_window, women_with_hours  # noqa: F401
from uihelpers import CASEWORKER, PASSPHRASE

from ibic.cases import Case
from ibic.deadlines import add_months
from ibic.decisions import DecisionStatusEntry
from ibic.demo import demo_cases
from ibic.follow_up import FollowUp
from ibic.vocabulary import DecisionStatusKind
from storage.kdf import KdfParameters
from storage.profile import create_profile
from ui.printing.preview import UtredningPreviewDialog

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


AHEAD_SAID = "Perioden slutar efter i dag ({end}): den räknas till och med i dag ({today})."
RULE = "Summan av alla beslut i kraft samma dag, i alla ärenden; tid per vecka räknas om till tid per månad."


def test_internal_control_lists_a_person_at_100_hours_on_any_day_of_the_period(  # type: ignore[no-untyped-def]
    qtbot, reports_window  # noqa: F811
) -> None:
    assert _large_reminders(qtbot, reports_window) == [AHEAD], "60 h today: Att göra, on its day, reminds no more"
    dialog = _internal_control_by_keys(qtbot, reports_window)
    _type_day(qtbot, dialog.period_start.edit, (CROSSED - timedelta(days=30)).isoformat())
    assert not dialog.period_error.text()
    [row] = [row for row in _rows(dialog) if row[0] == FELL]
    assert row[1:5] == ["100,0", "2", CROSSED.isoformat(), add_months(CROSSED, 3).isoformat()], (
        "at 100 h from CROSSED until ENDED, under it at the period's end: still one to check")
    assert dialog.tabs.tabText(0) == "Internkontroll: beviljad tid minst 100 timmar per månad"
    assert dialog.tabs.widget(0).findChild(QLabel, "reportNote").text() == RULE
    _type_day(qtbot, dialog.period_start.edit, ENDED.isoformat())
    assert FELL not in _numbers(dialog), "under 100 h on every day of a period from ENDED"


def test_a_period_ending_after_today_is_counted_up_to_today_and_says_so_once(  # type: ignore[no-untyped-def]
    qtbot, reports_window, monkeypatch  # noqa: F811
) -> None:
    dialog = _internal_control_by_keys(qtbot, reports_window)
    end = TODAY + timedelta(days=30)
    _type_day(qtbot, dialog.period_start.edit, (CROSSED - timedelta(days=30)).isoformat())  # not 1 January's
    _type_day(qtbot, dialog.period_end.edit, end.isoformat())
    assert not dialog.period_error.text()
    assert LATER not in _numbers(dialog), "the 120 h decision starting next week: not in force"
    [ahead] = [row for row in _rows(dialog) if row[0] == AHEAD]
    assert ahead[5:] == ["Nej", ""], "the follow-up dated ahead is planned, not made"
    said = AHEAD_SAID.format(end=end.isoformat(), today=TODAY.isoformat())
    assert dialog.period_note.isVisible() and dialog.period_note.text().startswith(said)
    assert dialog.tabs.widget(0).findChild(QLabel, "reportNote").text() == RULE, "said once on screen"

    monkeypatch.setattr(reports_window.session, "today", lambda: TODAY + timedelta(days=1))  # midnight passed
    qtbot.keyClick(dialog.pdf_button, Qt.Key.Key_Space)
    preview = dialog.findChild(UtredningPreviewDialog)
    assert preview is not None
    qtbot.waitUntil(lambda: bool(preview._pdf), timeout=LOAD_TIMEOUT_MS)
    text = " ".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(preview._pdf)).pages).split())
    assert text.count("Perioden slutar efter i dag") == 1, "said once in print"
    assert said in text, "the report on screen, counted up to its day, not the clock's again"
    preview.reject()

    monkeypatch.undo()
    _type_day(qtbot, dialog.period_end.edit, TODAY.isoformat())
    assert not dialog.period_note.isVisible(), "a period ending today says nothing of the future"
