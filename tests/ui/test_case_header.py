"""A header on every step says whose case is open: name, masked personnummer, case number, status, next deadline."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from uihelpers import unlock

from ibic.deadlines import next_deadline

STEPS = ("case", "visit", "areas", "proposal", "check", "follow_up")


def test_the_header_names_the_open_case_on_every_step_with_the_number_masked(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    summary = next(s for s in demo_window.session.summaries() if s.case_number == "DEMO-2025-0117")
    demo_window.open_case(summary.case_id)
    workspace = demo_window.workspace
    person = workspace.opened.person
    reminder = next_deadline(workspace.opened.case, date.today(), demo_window.session.ref.rules)
    assert reminder is not None
    due = reminder.due.isoformat()
    for step in STEPS:
        workspace.go_to(step)
        header = workspace.header
        assert header.isVisible(), step
        text = header.text()
        assert person.full_name in text and person.number.masked() in text
        assert person.number.formatted() not in text, "the screen may face someone else"
        assert "Ärende DEMO-2025-0117 · Verkställighet/uppföljning · " in text
        # The demo's large decision was due for follow-up before today: the kind and that it has passed.
        assert text.endswith(" · Nästa: uppföljning av stort beslut " + f"{due}, passerad"), text


def test_the_header_follows_the_case_that_is_opened(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    summaries = demo_window.session.summaries()
    first, second = (next(s for s in summaries if s.case_number == n) for n in ("DEMO-2026-0001", "DEMO-2026-0002"))
    demo_window.open_case(first.case_id)
    assert "DEMO-2026-0001" in demo_window.workspace.header.text()
    qtbot.keyClick(demo_window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    demo_window.open_case(second.case_id)
    text = demo_window.workspace.header.text()
    assert "DEMO-2026-0002" in text and "DEMO-2026-0001" not in text
    assert first.person_name not in text
