"""Granted and performed time belong to the decision measured in hours (s34-probe). A follow-up of a trygghetslarm
(beviljas tillsvidare, no hours) decided before the hemtjänst it follows too: the hours typed on the follow-up step
were recorded against the first decision followed, and the printed record read "trygghetslarm | 104 tim | 92 tim".
They are now the hemtjänst's: the one followed decision in hours (several in hours: all of them, "Alla beslut").
Reached as a person does: a new follow-up added, the hours typed, the record previewed. Fails on main."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_follow_up_record_printed import _in_preview
from uihelpers import demo_profile_with, follow_up_step, type_text

from ibic.decisions import Scope
from ibic.vocabulary import ScopeUnit


def _alarm_first(cases, hours_too: bool = False):  # type: ignore[no-untyped-def]
    """DEMO-2025-0117's hemtjänst (104 h a month) with a trygghetslarm decided the day before it, listed first (and,
    ``hours_too``, a service decision in hours decided the same day)."""
    case = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    care = case.decisions[0]
    alarm = care.model_copy(update={
        "id": "a" * 32, "proposal_id": "c" * 32, "insats_id": "trygghetslarm", "insats_text": "trygghetslarm",
        "scope": Scope(amount=None, unit=ScopeUnit.UNTIL_FURTHER_NOTICE), "ends_on": None,
        "decided_on": care.decided_on - timedelta(days=1)})
    service = care.model_copy(update={
        "id": "b" * 32, "proposal_id": "d" * 32, "insats_id": "serviceinsatser", "insats_text": "hemtjänst – service",
        "scope": Scope(amount=8, unit=ScopeUnit.HOURS_PER_MONTH)})
    case.decisions = [alarm, care, *([service] if hours_too else [])]


@pytest.fixture
def demo_profile_dir(profile_dir: Path, request: pytest.FixtureRequest) -> Path:
    """The demo profile with ``_alarm_first``'s decisions (``request.param``: a service decision in hours too)."""
    hours_too = bool(getattr(request, "param", False))
    return demo_profile_with(profile_dir, lambda cases: _alarm_first(cases, hours_too))


def _new_follow_up_with_hours(qtbot, window):  # type: ignore[no-untyped-def]
    page = follow_up_step(qtbot, window, "DEMO-2025-0117")
    page.follow_ups.add_button.setFocus()
    qtbot.keyClick(page.follow_ups.add_button, Qt.Key.Key_Space)
    for field, hours in ((page.time.granted, "104"), (page.time.performed, "92")):
        field.setFocus()
        type_text(field, hours)
    return page


def _printed(qtbot, page, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    def read(dialog, seen) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / "uppfoljning.pdf"
        path.write_bytes(dialog._pdf)
        seen["text"] = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                                      text=True).stdout

    seen = _in_preview(qtbot, read)
    page.preview_button.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "text" in seen, timeout=60_000)
    return str(seen["text"])


def _time_row(text: str) -> str:
    """The first word of the printed time comparison's row (granted 104 h, performed 92 h)."""
    return next(line for line in text.splitlines() if "104 tim" in line and "92 tim" in line).split()[0]


def test_hours_typed_are_the_hour_decisions_not_the_alarm_decided_first(qtbot, demo_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    page = _new_follow_up_with_hours(qtbot, window)
    care = window.workspace.opened.case.decisions[1]
    assert page._current.decision_ids == ["a" * 32, care.id], "both decisions in force are followed"
    assert [c.decision_id for c in page._current.time_comparisons] == [care.id]
    assert _time_row(_printed(qtbot, page, tmp_path)) == "hemtjänst"  # "hemtjänst – omvårdnad", not "trygghetslarm"


@pytest.mark.parametrize("demo_profile_dir", [True], indirect=True)
def test_hours_of_two_hour_decisions_are_compared_for_them_all(qtbot, demo_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    page = _new_follow_up_with_hours(qtbot, window)
    assert len(page._current.decision_ids) == 3
    assert [c.decision_id for c in page._current.time_comparisons] == [None]
    assert _time_row(_printed(qtbot, page, tmp_path)) == "Alla"  # "Alla beslut"
