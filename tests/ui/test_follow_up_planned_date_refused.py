"""A new follow-up with a planned date that does not exist, or lies outside the product's range, is refused beside
the form and keeps the date as typed (s25-probe).

Adding a consent or a visit refuses such a date; adding a follow-up took it as "no planned date": on main the
follow-up was added unplanned ("– (planerad)"), the typed date left in the field as if it had been taken, and no
reminder would ever come. Reached as a person does: the follow-up step, the date typed, the add button pressed.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from uihelpers import follow_up_step, type_text

NUMBER = "DEMO-2025-0117"


@pytest.mark.parametrize("typed", ["2026-02-30", "2100-01-01"])
def test_a_follow_up_planned_on_a_date_that_cannot_be_is_refused(qtbot, demo_window, typed: str) -> None:  # type: ignore[no-untyped-def]
    page = follow_up_step(qtbot, demo_window, NUMBER)
    before = len(demo_window.workspace.opened.case.follow_ups)
    planned = page.new_planned.edit
    planned.setFocus()
    planned.selectAll()
    type_text(planned, typed)
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    assert len(demo_window.workspace.opened.case.follow_ups) == before, "no follow-up without its planned date"
    assert page.follow_ups.error.text(), "the form says why"
    assert planned.text() == typed, "the date stays as typed"
    # Corrected, the same form adds it.
    planned.selectAll()
    type_text(planned, "2026-03-02")
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    follow_ups = demo_window.workspace.opened.case.follow_ups
    assert len(follow_ups) == before + 1 and follow_ups[-1].planned_on is not None
    assert follow_ups[-1].planned_on.isoformat() == "2026-03-02" and not page.follow_ups.error.text()
