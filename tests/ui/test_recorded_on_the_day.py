"""What a handläggare records with a case's step left open past midnight (a laptop closed unlocked in the evening and
opened the next morning, or work past midnight) is dated on the day it is recorded (s34-days).

Before, each step kept the day it was loaded: a status change (the status buttons) made after midnight without
leaving the step was dated the day before, the reopening's 30 days were judged on the day before, a consent added
without typing its date was dated the day before and one typed as today refused as "after today", and a
beslutsmeddelande's sending typed as today was refused as "not come yet". The day is the session's clock
(``ui.session.calendar_day``, which ``Session.today`` reads): set here before the unlock and moved while the step is
shown. The window's minute look at the calendar (``ui.window_unlock._check_the_day``) is kept from running: the
laptop has just woken, before that look has come."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from test_close_case_asks import _stored
from test_consent_refused import record_answer
from uihelpers import CASEWORKER, close_chosen, demo_profile_with, open_case_by_keys, type_text, unlock, when_shown

from ibic.cases import Case, StatusChange
from ibic.vocabulary import CaseStatus, ConsentRecipient

TODAY = date.today()  # the demo cases' dates count from the real day (tests/ui/conftest.py's template)
TOMORROW = TODAY + timedelta(days=1)
PROVIDER = "Hemtjänst Demo AB"


class Clock:
    """The session's clock, at ``day`` until a test moves it."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    import ui.session
    import ui.window_unlock

    shown = Clock(TODAY)
    monkeypatch.setattr(ui.session, "calendar_day", shown)
    monkeypatch.setattr(ui.window_unlock, "DAY_CHECK_MS", 24 * 3600 * 1000)  # the minute's look has not come yet
    return shown


def _press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def _case_step(qtbot: Any, window: Any, number: str) -> Any:
    """``number`` opened from the list by keys and its Ärendet step shown (Ctrl+1); the step's page."""
    open_case_by_keys(qtbot, window, number)
    _press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = window.workspace.case_page
    qtbot.waitUntil(lambda: page.isVisible() and page.status_label.text() != "")
    return page


def _button(qtbot: Any, page: Any, name: str) -> QPushButton:
    qtbot.waitUntil(lambda: any(b.isVisible() for b in page.findChildren(QPushButton, name)))
    return next(b for b in page.findChildren(QPushButton, name) if b.isVisible())


def test_a_status_changed_after_midnight_on_an_open_step_is_dated_that_day(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir, clock
) -> None:
    unlock(qtbot, demo_window)
    page = _case_step(qtbot, demo_window, "DEMO-2025-0117")
    case_id = demo_window.workspace.opened.case.id
    clock.day = TOMORROW  # past midnight, the step still shown
    close = _button(qtbot, page, "status_closed")
    close.setFocus()
    when_shown("closeCaseQuestion", close_chosen)  # Den enskilde har avlidit
    QTest.keyClick(close, Qt.Key.Key_Space)
    assert page.status_label.text() == "Avslutad"
    assert page.status_note.text() == f"Avslutades {TOMORROW} av {CASEWORKER}. Orsak: Den enskilde har avlidit"
    demo_window.lock()  # saves, then locks
    closed = _stored(demo_profile_dir, case_id).status_history[-1]
    assert (closed.status, closed.on) == (CaseStatus.CLOSED, TOMORROW)  # on main: the day before


def _closed_days_ago(days: dict[str, int]) -> Any:
    """The demo cases, ``number`` closed ``days[number]`` days before today by this handläggare (from its status)."""

    def close(cases: list[Case]) -> None:
        for case in cases:
            if case.case_number in days:
                was = case.status
                case.status = CaseStatus.CLOSED
                case.status_history.append(StatusChange(
                    status=CaseStatus.CLOSED, on=TODAY - timedelta(days=days[case.case_number]), by=CASEWORKER,
                    closed_from=was))

    return close


@pytest.fixture
def closed_profile_dir(profile_dir: Path) -> Path:
    """DEMO-2026-0001 closed 29 days ago, DEMO-2026-0002 30 days ago: both may be opened again today (30 days),
    only the first tomorrow."""
    return demo_profile_with(profile_dir, _closed_days_ago({"DEMO-2026-0001": 29, "DEMO-2026-0002": 30}))


@pytest.fixture
def closed_window(qtbot, settings, closed_profile_dir: Path):  # type: ignore[no-untyped-def]
    from conftest import _main_window

    yield from _main_window(qtbot, settings, closed_profile_dir)


def _yes(box: Any) -> None:
    yes = box.findChild(QPushButton, "reopenCaseYes")
    yes.setFocus()
    QTest.keyClick(yes, Qt.Key.Key_Space)


def _too_late(days: int) -> str:
    return (f"Ärendet avslutades {TODAY - timedelta(days=days)}, för mer än 30 dagar sedan, och kan inte längre "
            "öppnas igen. Behöver den enskilde hjälp igen, öppna ett nytt ärende.")


def test_the_reopenings_30_days_are_judged_on_the_day_it_is_pressed(  # type: ignore[no-untyped-def]
    qtbot, closed_window, closed_profile_dir, clock
) -> None:
    window = closed_window
    unlock(qtbot, window)
    page = _case_step(qtbot, window, "DEMO-2026-0001")  # closed 29 days ago
    case_id = window.workspace.opened.case.id
    clock.day = TOMORROW  # the 30th day since that closing: still allowed
    reopen = _button(qtbot, page, "reopenCase")
    reopen.setFocus()
    when_shown("reopenCaseQuestion", _yes)
    QTest.keyClick(reopen, Qt.Key.Key_Space)
    assert page.status_label.text() != "Avslutad", page.status_error.text()
    assert page.status_note.text().startswith(f"Öppnades igen {TOMORROW} av {CASEWORKER}; ärendet hade avslutats "
                                              f"{TODAY - timedelta(days=29)}"), page.status_note.text()

    window.activateWindow()  # as the window manager does once the question is gone (offscreen does not)
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # back to the list
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.case_list)
    page = _case_step(qtbot, window, "DEMO-2026-0002")  # closed 30 days ago: the 31st day
    reopen = _button(qtbot, page, "reopenCase")
    reopen.setFocus()
    asked: list[str] = []
    when_shown("reopenCaseQuestion", lambda box: asked.append(box.text()), tries=5)
    QTest.keyClick(reopen, Qt.Key.Key_Space)
    assert asked == [], "refused before it asks"  # on main: asked, and opened again dated the day before
    assert page.status_label.text() == "Avslutad" and page.status_error.text() == _too_late(30)
    window.lock()
    assert _stored(closed_profile_dir, case_id).status_history[-1].on == TOMORROW  # on main: the day before


def test_a_reopening_asked_on_the_last_day_and_answered_after_midnight_is_refused(  # type: ignore[no-untyped-def]
    qtbot, closed_window, closed_profile_dir, clock
) -> None:
    """The question stood open across midnight on the 30th day: answered yes on the 31st, it is refused with why
    (on main the case was opened again, dated the day the step was shown)."""
    window = closed_window
    unlock(qtbot, window)
    page = _case_step(qtbot, window, "DEMO-2026-0002")
    case_id = window.workspace.opened.case.id
    reopen = _button(qtbot, page, "reopenCase")
    reopen.setFocus()

    def after_midnight(box: Any) -> None:
        clock.day = TOMORROW
        _yes(box)

    when_shown("reopenCaseQuestion", after_midnight)
    QTest.keyClick(reopen, Qt.Key.Key_Space)
    assert page.status_label.text() == "Avslutad" and page.status_error.text() == _too_late(30)
    window.lock()
    assert _stored(closed_profile_dir, case_id).status == CaseStatus.CLOSED


def _consent_rows(section: Any) -> list[str]:
    return [section.listing.item(i).text() for i in range(section.listing.count())]


def test_a_consent_recorded_and_withdrawn_after_midnight_is_dated_that_day(  # type: ignore[no-untyped-def]
    qtbot, demo_window, clock
) -> None:
    unlock(qtbot, demo_window)
    _case_step(qtbot, demo_window, "DEMO-2026-0001")  # Tolvan consented orally to Dottern Tova
    workspace = demo_window.workspace
    case = workspace.opened.case
    section = workspace.case_page.consents
    assert section.given_on.edit.text() == TODAY.isoformat(), "the date's default: today as the step was shown"
    clock.day = TOMORROW
    record_answer(qtbot, workspace, ConsentRecipient.PROVIDER, PROVIDER, given=True)  # the date's default kept
    given = case.consents[-1]
    assert given.given_on == TOMORROW, given.given_on  # on main: the day before
    assert _consent_rows(section)[-1] == f"Utförare – {PROVIDER} (skriftligt, lämnat {TOMORROW})"
    assert section.given_on.edit.text() == TOMORROW.isoformat(), "the field shows the day recorded"

    record_answer(qtbot, workspace, ConsentRecipient.HEALTHCARE, "Vårdcentralen Demo", given=True, day=TOMORROW)
    assert section.error.text() == ""  # on main: "efter i dag", today being the day before
    assert case.consents[-1].given_on == TOMORROW

    tova = next(c for c in case.consents if c.recipient == ConsentRecipient.RELATIVE)
    section.listing.setFocus()
    _press(qtbot, Qt.Key.Key_Home)  # Tova's consent
    section.withdraw_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert tova.withdrawn_on == TOMORROW  # on main: the day before


def test_a_typed_consent_day_is_kept_as_typed_after_midnight(qtbot, demo_window, clock) -> None:  # type: ignore[no-untyped-def]
    """The default follows the day; a day the handläggare typed (the consent given yesterday evening) does not."""
    unlock(qtbot, demo_window)
    _case_step(qtbot, demo_window, "DEMO-2026-0001")
    workspace = demo_window.workspace
    clock.day = TOMORROW
    record_answer(qtbot, workspace, ConsentRecipient.PROVIDER, PROVIDER, given=True, day=TODAY)
    assert workspace.opened.case.consents[-1].given_on == TODAY


def test_an_others_description_added_after_midnight_is_recorded_that_day(  # type: ignore[no-untyped-def]
    qtbot, demo_window, clock
) -> None:
    unlock(qtbot, demo_window)
    open_case_by_keys(qtbot, demo_window, "DEMO-2026-0001")
    _press(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Kartläggning, its first area
    others = demo_window.workspace.area_form.others
    qtbot.waitUntil(others.isVisible)
    clock.day = TOMORROW
    others.source.setFocus()
    qtbot.keyClick(others.source, Qt.Key.Key_End)  # "Annan källa (inget samtycke)"
    type_text(others.source_name, "Grannen Gun (fiktiv)")
    type_text(others.text, "handlar åt henne på torsdagar")
    qtbot.keyClick(others.add_button, Qt.Key.Key_Space)
    added = demo_window.workspace.area_form._assessment.others[-1]
    assert (added.source_name, added.recorded_on) == ("Grannen Gun (fiktiv)", TOMORROW)  # on main: the day before


def test_a_sending_typed_as_today_after_midnight_is_recorded(qtbot, demo_window, clock) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    open_case_by_keys(qtbot, demo_window, "DEMO-2025-0117")
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # Uppföljning, with the decision's documents
    box = demo_window.workspace.follow_up_page.documents
    qtbot.waitUntil(box.isVisible)
    case = demo_window.workspace.opened.case
    clock.day = TOMORROW
    box.notice_sent.edit.setFocus()
    qtbot.keyClick(box.notice_sent.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(box.notice_sent.edit, TOMORROW.isoformat())
    qtbot.keyClick(box.notice_sent.edit, Qt.Key.Key_Tab)
    assert box.notice_sent.error.text() == ""  # on main: "Den dagen har inte kommit än (i dag är <the day before>)"
    assert case.decision_notices[-1].sent_on == TOMORROW


def test_a_follow_up_and_a_visit_added_after_midnight_take_that_day_by_default(  # type: ignore[no-untyped-def]
    qtbot, demo_window, clock
) -> None:
    """The date fields' default (today, as the step was shown) follows the day: a follow-up started and a visit added
    past midnight without typing a date are planned and dated that morning (on main: the day before)."""
    unlock(qtbot, demo_window)
    open_case_by_keys(qtbot, demo_window, "DEMO-2025-0117")
    workspace = demo_window.workspace
    case = workspace.opened.case
    _press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # Uppföljning
    page = workspace.follow_up_page
    qtbot.waitUntil(page.isVisible)
    assert page.new_planned.edit.text() == TODAY.isoformat()
    clock.day = TOMORROW
    page.follow_ups.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert case.follow_ups[-1].planned_on == TOMORROW
    assert page.new_planned.edit.text() == TOMORROW.isoformat(), "the field shows the day taken"

    _press(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Hembesök, shown on that day
    visits = workspace.visit_page
    qtbot.waitUntil(visits.isVisible)
    assert visits.visit_date.edit.text() == TOMORROW.isoformat()
    clock.day = TOMORROW + timedelta(days=1)  # and left open into the next
    before = len(case.investigation.visits)
    visits.visits.add_button.setFocus()
    _press(qtbot, Qt.Key.Key_Space)
    assert len(case.investigation.visits) == before + 1
    assert case.investigation.visits[-1].visited_on == TOMORROW + timedelta(days=1)
