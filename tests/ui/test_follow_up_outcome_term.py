"""The follow-up's outcome is labelled utfall (docs/glossary.md: utfall, FollowUpOutcome): it was "Beslut", which a
handläggare reads as a decision, beside the follow-up's "Handlingar från beslutet" and its real decisions."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel
from uihelpers import follow_up_step


def test_the_outcome_of_a_follow_up_is_called_utfall(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    page = follow_up_step(qtbot, demo_window, "DEMO-2025-0117")
    outcome = page.outcome
    form = outcome.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(outcome)
    assert isinstance(label, QLabel)
    assert label.text() == "Utfall"
    assert outcome.accessibleName() == "Utfall av uppföljningen"


def test_the_note_beside_the_outcome_says_utfall_too(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """A screen reader said "Kommentar till resultatet" for the note under "Utfall": one word per concept."""
    page = follow_up_step(qtbot, demo_window, "DEMO-2025-0117")
    assert page.outcome_note.accessibleName() == "Kommentar till utfallet"
