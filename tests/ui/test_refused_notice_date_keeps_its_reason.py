"""The follow-up step's dates of the beslutsmeddelande, typed by keys: a date refused beside its field keeps its reason
while it stays typed there, whatever is typed in the other field. s32-probe: "Skickat" typed before the decision was
refused, then a delgivning typed below it cleared that message; the field showed the refused day as if recorded,
while the case kept (and printed, and counted in Handläggningstider and Checklistegranskning) the day before it."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from uihelpers import follow_up_step, type_text


def _retype(qtbot, field, day: str) -> None:  # type: ignore[no-untyped-def]
    """Select the field's date and type another over it (the selection replaced by the first key)."""
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(field.edit, day)
    qtbot.keyClick(field.edit, Qt.Key.Key_Tab)


def _recorded(qtbot, window, sent_after: int, notified_after: int):  # type: ignore[no-untyped-def]
    """DEMO-2025-0117's follow-up step with a beslutsmeddelande typed as sent and taken part of these many days after
    its decision: (the documents box, the case, the decision's day)."""
    box = follow_up_step(qtbot, window, "DEMO-2025-0117").documents
    case = window.workspace.opened.case
    decided = max(d.decided_on for d in case.decisions)
    sent, notified = decided + timedelta(days=sent_after), decided + timedelta(days=notified_after)
    _retype(qtbot, box.notice_sent, sent.isoformat())
    _retype(qtbot, box.notified, notified.isoformat())
    assert (case.decision_notices[-1].sent_on, case.decision_notices[-1].notified_on) == (sent, notified)
    return box, case, decided


def test_a_sent_day_refused_keeps_its_reason_when_the_delgivning_is_typed(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    box, case, decided = _recorded(qtbot, demo_window, 2, 4)
    sent, notified = decided + timedelta(days=2), decided + timedelta(days=4)

    too_early = (decided - timedelta(days=1)).isoformat()
    _retype(qtbot, box.notice_sent, too_early)
    reason = f"Beslutet fattades {decided.isoformat()}: det kan inte ha skickats före det."
    assert box.notice_sent.error.text() == reason
    _retype(qtbot, box.notified, (notified + timedelta(days=1)).isoformat())  # recorded: a day after it was sent
    assert case.decision_notices[-1].notified_on == notified + timedelta(days=1)
    assert box.notice_sent.edit.text() == too_early, "the refused day stays typed"
    assert box.notice_sent.error.text() == reason, "and its reason beside it"
    assert case.decision_notices[-1].sent_on == sent, "the case keeps the day recorded"

    _retype(qtbot, box.notice_sent, sent.isoformat())  # typed back as recorded: nothing left to say
    assert box.notice_sent.error.text() == ""


def test_a_delgivning_refused_as_before_the_sending_is_taken_once_the_sending_is_moved_before_it(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    """On main the refused delgivning lost its reason when the sending was moved, and the field showed it beside the
    older delgivning the case kept (and printed: "överklaga senast" counts from it)."""
    box, case, decided = _recorded(qtbot, demo_window, 4, 6)
    notified = decided + timedelta(days=6)
    earlier = decided + timedelta(days=3)
    _retype(qtbot, box.notified, earlier.isoformat())
    assert box.notified.error.text() == "Den enskilde kan inte ta del av beslutet innan det skickades."
    assert case.decision_notices[-1].notified_on == notified, "the case keeps the delgivning recorded"
    _retype(qtbot, box.notice_sent, (decided + timedelta(days=1)).isoformat())  # sent before the typed delgivning
    assert (case.decision_notices[-1].sent_on, case.decision_notices[-1].notified_on) == (
        decided + timedelta(days=1), earlier), "the delgivning still typed is taken"
    assert box.notified.error.text() == "" and box.notified.edit.text() == earlier.isoformat()


def test_a_sending_dated_ahead_of_today_is_refused_and_the_appeal_day_kept(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """s32-probe: "Skickat" 2099-12-29 was recorded and printed "Sista dag att överklaga: 2100-01-21". Refused beside
    the field, typed text kept, the case's sending and last day to appeal as before; the uppdrag's sending alike."""
    box, case, decided = _recorded(qtbot, demo_window, 2, 4)
    sent = decided + timedelta(days=2)
    appeal = box.appeal.text()
    today = demo_window.workspace.session.today()
    why = f"Den dagen har inte kommit än (i dag är {today.isoformat()}): skriv dagen det skickades."
    _retype(qtbot, box.notice_sent, "2099-12-29")
    assert box.notice_sent.error.text() == why and box.notice_sent.edit.text() == "2099-12-29"
    assert case.decision_notices[-1].sent_on == sent and box.appeal.text() == appeal
    orders = list(case.provider_orders)
    _retype(qtbot, box.order_sent, (today + timedelta(days=1)).isoformat())
    assert box.order_sent.error.text() == why and case.provider_orders == orders
    _retype(qtbot, box.order_sent, today.isoformat())  # today is a day it can have been sent
    assert box.order_sent.error.text() == "" and case.provider_orders[-1].sent_on == today
