"""Uppföljning at a home visit: granted vs performed time against ±5 %, goals, outcome, request for underlag."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from uihelpers import PASSPHRASE, type_text, unlock

from storage.profile import unlock_profile


def _follow_up_page(qtbot, window):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == "DEMO-2025-0117")
    window.open_case(case_id)
    window.workspace.go_to("follow_up")
    return window.workspace.follow_up_page, case_id


def test_time_outside_five_percent_is_flagged_and_inside_is_not(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page, _ = _follow_up_page(qtbot, demo_window)
    box = page.time
    assert box.granted.text() == "104" and box.performed.text() == "92"
    assert "utanför ±5 %" in box.verdict.text()
    box.performed.clear()
    type_text(box.performed, "100")
    assert "ryms inom ±5 %" in box.verdict.text()
    box.performed.clear()
    type_text(box.performed, "nittio")
    assert "Skriv timmarna som tal" in box.error.text()
    assert page._current.time_comparisons[0].performed_minutes == 6000, "the refused text never reaches the model"


def test_a_new_follow_up_takes_the_goals_and_decisions_and_is_stored(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    page, case_id = _follow_up_page(qtbot, demo_window)
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    current = page._current
    assert current is not None and current.decision_ids, "the decisions in force are followed up"
    type_text(page.questions[1], "hemma på förmiddagen")
    type_text(page.changed_needs, "behöver mer hjälp på kvällen")
    type_text(page.outcome, "N")  # Nyprövning / Förslag till nytt beslut
    demo_window.workspace.save_now()
    profile = unlock_profile(demo_profile_dir, PASSPHRASE)
    try:
        stored = profile.cases.load(case_id)
    finally:
        profile.lock()
    assert len(stored.follow_ups) == 2
    assert stored.follow_ups[-1].changed_needs == "behöver mer hjälp på kvällen"
    assert stored.follow_ups[-1].outcome is not None


def test_request_for_underlag_is_prefilled_when_the_provider_is_covered(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page, _ = _follow_up_page(qtbot, demo_window)
    seen = {}

    def read_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen["permission"] = dialog.permission.text()
        seen["message"] = dialog.message.toPlainText()
        dialog.reject()

    QTimer.singleShot(0, read_dialog)
    qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space)
    assert "skrivit under ansökan" in seen["permission"]
    assert seen["message"].startswith("Hej!")
    assert "uppdaterad genomförandeplan" in seen["message"]
    assert "varför inte all tid utförts" in seen["message"]


def test_the_navigator_shows_the_follow_up_step(qtbot, demo_window):  # type: ignore[no-untyped-def]
    _follow_up_page(qtbot, demo_window)
    item = demo_window.workspace.navigator._items[("follow_up", "")]
    assert "6. Uppföljning" in item.text(0)


def test_request_for_underlag_masks_the_personnummer_and_names_the_secure_channel(qtbot, demo_window):  # type: ignore[no-untyped-def]
    page, _ = _follow_up_page(qtbot, demo_window)
    person = demo_window.workspace.opened.person
    full, masked = person.number.formatted(), person.number.masked()
    seen: dict[str, str] = {}

    def use_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen["channel"] = dialog.channel.text()
        seen["first"] = dialog.message.toPlainText()
        dialog.message.moveCursor(dialog.message.textCursor().MoveOperation.Start)
        type_text(dialog.message, "Hej igen! ")
        dialog.full_number.setFocus()
        qtbot.keyClick(dialog.full_number, Qt.Key.Key_Space)
        seen["full"] = dialog.message.toPlainText()
        qtbot.keyClick(dialog.full_number, Qt.Key.Key_Space)
        seen["masked again"] = dialog.message.toPlainText()
        dialog.reject()

    QTimer.singleShot(0, use_dialog)
    qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space)
    assert masked in seen["first"] and full not in seen["first"]
    assert "säkra meddelandefunktion" in seen["first"], "the letter asks for the answer through the secure channel"
    assert "säkra meddelandefunktion" in seen["channel"] and "vanlig e-post" in seen["channel"]
    assert full in seen["full"] and seen["full"].startswith("Hej igen! "), "the number is swapped, edits stay"
    assert seen["masked again"].replace(masked, full) == seen["full"]


def test_time_verdict_never_contradicts_itself_at_the_limit_or_near_zero(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """41,65 h granted and 43:44 performed (2 499 and 2 624 minutes) is 5,002 % over: main printed "5,00 % mer än
    beviljad: utanför ±5 %". 50 h against 49:59 (3 000 and 2 999 minutes) is 0,03 % under: main printed "-0,0 %"."""
    page, _ = _follow_up_page(qtbot, demo_window)
    box = page.time
    for field, text in ((box.granted, "41,65"), (box.performed, "43:44")):
        field.clear()
        type_text(field, text)
    assert box.verdict.text() == "Utförd tid är 5,002 % mer än beviljad: utanför ±5 %."
    box.performed.clear()
    type_text(box.performed, "39:34")  # 2 374 minutes: 5,002 % under
    assert box.verdict.text() == "Utförd tid är 5,002 % mindre än beviljad: utanför ±5 %."
    for field, text in ((box.granted, "50"), (box.performed, "49:59")):
        field.clear()
        type_text(field, text)
    assert box.verdict.text() == "Avvikelsen 0,0 % ryms inom ±5 %."


def test_hours_typed_with_two_decimals_come_back_as_typed(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """92,25 h is stored as 5 535 minutes and 90:20 as 5 420; on main "92,33" came back as "92,3333" after Ctrl+L
    and the unlock (later as "92,33", while "10,71" came back as "10,72": minutes two decimals cannot say now
    come back as hours and minutes, test_decimal_hours_between_two_minutes_are_stored_as_the_nearest_minute_…)."""
    page, _ = _follow_up_page(qtbot, demo_window)
    for field, text in ((page.time.granted, "92,25"), (page.time.performed, "90:20")):
        field.clear()
        type_text(field, text)
    qtbot.keyClick(demo_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.session is None
    unlock(qtbot, demo_window)
    box = demo_window.workspace.follow_up_page.time
    comparison = demo_window.workspace.opened.case.follow_ups[0].time_comparisons[0]
    assert (comparison.granted_minutes, comparison.performed_minutes) == (5535, 5420)
    assert (box.granted.text(), box.performed.text()) == ("92,25", "90:20")


def test_decimal_hours_between_two_minutes_are_stored_as_the_nearest_minute_and_said_so(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """An utförare's time report gives hours with two decimals ("43,73"), which the handläggare copies: they are read
    (s26-probe refused them), stored as the nearest whole minute, and the note beside the field says what is stored;
    the ±5 % verdict is on those minutes, and the follow-up opened again shows them as hours and minutes, which read
    back exactly. Seed 002: about ±5 % is a reasonable deviation, so exactly 5 % is within."""
    page, _ = _follow_up_page(qtbot, demo_window)
    box = page.time
    for field, text in ((box.granted, "41,65"), (box.performed, "43,73")):  # 2 499 and 2 623,8 minutes
        field.clear()
        type_text(field, text)
    assert box.error.text() == ""
    assert box.performed_stored.text() == "Sparas som 43 h 44 min" and not box.performed_stored.isHidden()
    assert box.granted_stored.isHidden(), "41,65 h is 2 499 minutes: nothing to say"
    assert box.verdict.text() == "Utförd tid är 5,002 % mer än beviljad: utanför ±5 %.", "on what is stored and shown"
    assert box.performed.text() == "43,73", "what was typed stays while typing"
    comparison = page._current.time_comparisons[0]
    assert (comparison.granted_minutes, comparison.performed_minutes) == (2_499, 2_624)

    for field, text in ((box.granted, "10"), (box.performed, "10,5")):  # 600 and 630 minutes: exactly +5 %
        field.clear()
        type_text(field, text)
    assert box.verdict.text() == "Avvikelsen +5,0 % ryms inom ±5 %."
    assert box.granted_stored.isHidden() and box.performed_stored.isHidden()
    box.performed.clear()
    type_text(box.performed, "10,075")  # 604,5 minutes: half a minute goes toward the granted 600 (s28-probe)
    assert box.performed_stored.text() == "Sparas som 10 h 4 min"
    box.performed.clear()
    type_text(box.performed, "10,71")  # 642,6 minutes
    assert box.performed_stored.text() == "Sparas som 10 h 43 min"
    box.performed.clear()
    type_text(box.performed, "tio")
    assert box.performed_stored.isHidden(), "a refused text stores nothing, so no note says what is stored"
    box.performed.clear()
    type_text(box.performed, "10,71")

    qtbot.keyClick(demo_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.session is None
    unlock(qtbot, demo_window)
    box = demo_window.workspace.follow_up_page.time
    assert (box.granted.text(), box.performed.text()) == ("10", "10:43")
    assert box.performed_stored.isHidden(), "shown as stored: nothing rounded"
    comparison = demo_window.workspace.opened.case.follow_ups[0].time_comparisons[0]
    assert (comparison.granted_minutes, comparison.performed_minutes) == (600, 643)
    box.performed.setFocus()  # an edit of "10:43" as shown reads the same minutes back
    qtbot.keyClick(box.performed, Qt.Key.Key_End)
    qtbot.keyClick(box.performed, Qt.Key.Key_Backspace)
    type_text(box.performed, "3")
    assert demo_window.workspace.opened.case.follow_ups[0].time_comparisons[0].performed_minutes == 643


def test_request_for_underlag_of_a_follow_up_planned_on_a_day_past_asks_for_it_ahead(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """A follow-up planned ten days ago and not yet held: main asked the utförare for underlag "senast" that day."""
    page, _ = _follow_up_page(qtbot, demo_window)
    past, ahead = date.today() - timedelta(days=10), date.today() + timedelta(weeks=2)
    page.new_planned.edit.clear()
    type_text(page.new_planned.edit, past.isoformat())
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    assert page._current.planned_on == past
    seen = {}

    def read_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen["message"] = dialog.message.toPlainText()
        dialog.reject()

    QTimer.singleShot(0, read_dialog)
    qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space)
    assert f"Jag ska senast {ahead.isoformat()} följa upp" in seen["message"]
    assert past.isoformat() not in seen["message"]


def test_hours_pasted_with_swedish_thousands_spaces_are_read(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """Swedish number formatting groups thousands with a no-break space (U+00A0; U+202F in newer locales): "1 040,5"
    copied from a spreadsheet or the time report. Only the plain space was dropped: on main it was refused as "not a
    number" (s25-probe)."""
    page, _ = _follow_up_page(qtbot, demo_window)
    box = page.time
    for field, text in ((box.granted, "1\u00a0040"), (box.performed, "1\u202f092,0")):
        QGuiApplication.clipboard().setText(text)
        field.setFocus()
        field.selectAll()
        QTest.keySequence(field, QKeySequence.StandardKey.Paste)
    assert box.error.text() == ""
    comparison = page._current.time_comparisons[0]
    assert (comparison.granted_minutes, comparison.performed_minutes) == (62_400, 65_520)
    assert box.verdict.text() == "Avvikelsen +5,0 % ryms inom ±5 %."
