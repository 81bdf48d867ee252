"""Seed 003 (KKiK): the number of staff a person met in 14 days, typed at the follow-up, is the continuity report's
figure. The field is read at every key; on main a text refused at its last key left the figure its keys passed in the
record beside the message: "1000" stored 100 under "Antalet personal är högst 500.", "3,5" stored 3, each counted in
the report while the screen said the text was not taken. Now a refused text keeps the count held before it
(``ui.common.typed_run``, as the follow-up's hours and the proposal's scope do since s28)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_follow_up_page import _follow_up_page
from uihelpers import type_text


def _retyped(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.setFocus()
    field.selectAll()
    type_text(field, text)  # the first key replaces the selection, as a person types over a figure


def test_a_refused_staff_count_keeps_the_count_held_before_it(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    page, case_id = _follow_up_page(qtbot, demo_window)
    box = page.continuity
    _retyped(qtbot, box.staff_count, "14")
    qtbot.keyClick(box.staff_count, Qt.Key.Key_Tab)  # left with 14 taken
    for refused, said in (("1000", "Antalet personal är högst 500."),
                          ("3,5", "Skriv antalet personal som ett heltal, till exempel 9.")):
        _retyped(qtbot, box.staff_count, refused)
        assert box.staff_error.text() == said
        assert box.staff_count.text() == refused, "what was typed stays on screen"
        demo_window.workspace.save_now()
        stored = demo_window.session.profile.cases.load(case_id)
        assert [f.staff_count_14_days for f in stored.follow_ups] == [14], refused
