"""A follow-up's done date after today is refused beside the field, as a consent's or an application's day after today
is (s34-probe). The page took it without a word: the list named the follow-up "(genomförd)" and the printed record
read "Uppföljningen gjordes <a day to come>", while Att göra, rightly, still held it planned (a done date typed ahead
is no follow-up held). What was typed stays, the stored day is kept, and today is taken. Fails on main."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from uihelpers import follow_up_step, type_text


def _type_done(qtbot, page, day: str) -> None:  # type: ignore[no-untyped-def]
    edit = page.done_on.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(edit, day)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def test_a_done_date_after_today_is_refused_and_today_is_taken(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    page = follow_up_step(qtbot, demo_window, "DEMO-2025-0117")  # its follow-up planned a week ahead, not done
    today = date.today()
    ahead = (today + timedelta(days=7)).isoformat()
    _type_done(qtbot, page, ahead)
    assert page.done_on.error.text() == f"Uppföljningen kan inte ha gjorts efter i dag ({today.isoformat()})."
    assert page.done_on.edit.text() == ahead, "what was typed stays"
    assert page._current.done_on is None, "the stored day is kept"
    assert "(genomförd)" not in page.follow_ups.listing.currentItem().text()

    _type_done(qtbot, page, today.isoformat())
    assert page.done_on.error.text() == "" and page._current.done_on == today
