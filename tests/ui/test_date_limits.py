"""A date outside the product's range (ibic.limits) typed in a date field: a Swedish message beside the field, the
typed text kept, the model's date unchanged, and the autosave of everything else goes on (was: 9999-12-31 was
taken, and every autosave of the case failed with "Något oväntat gick fel")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from uihelpers import type_text, unlock

RANGE_MESSAGE = "Datumet måste ligga mellan 1900-01-01 och 2099-12-31."


def _open_case(qtbot, window, number: str):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    case_id = next(s.case_id for s in window.session.summaries() if s.case_number == number)
    window.open_case(case_id)
    return window.workspace


@pytest.mark.parametrize("typed", ["9999-12-31", "99991231", "1899-12-31", "2100-01-01"])
def test_a_far_received_date_shows_why_and_the_rest_is_still_saved(qtbot, demo_window, typed):  # type: ignore[no-untyped-def]
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    page = workspace.case_page
    before = workspace.opened.case.application.received_on
    page.received_on.edit.clear()
    type_text(page.received_on.edit, typed)
    assert page.received_on.error.text() == RANGE_MESSAGE and page.received_on.error.isVisible()
    qtbot.keyClick(page.received_on.edit, Qt.Key.Key_Tab)  # leaving the field keeps the same message
    assert page.received_on.error.text() == RANGE_MESSAGE
    assert page.received_on.edit.text() == typed
    assert workspace.opened.case.application.received_on == before
    with qtbot.waitSignal(workspace.saved, timeout=10_000):  # the autosave, not a direct call
        type_text(page.origin_note, " och mer")
    stored = workspace.session.profile.cases.load(workspace.opened.case.id)
    assert stored.origin_note.endswith(" och mer")
    assert stored.application.received_on == before
    assert "oväntat" not in demo_window.statusBar().currentMessage()


def test_a_far_communication_date_shows_why_and_the_response_is_still_saved(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    workspace.go_to("proposal")
    page = workspace.proposal_page
    before = workspace.opened.case.communication.done_on
    page.communicated_on.edit.clear()
    type_text(page.communicated_on.edit, "9999-12-31")
    assert page.communicated_on.error.text() == RANGE_MESSAGE
    assert workspace.opened.case.communication.done_on == before
    with qtbot.waitSignal(workspace.saved, timeout=10_000):
        type_text(page.response, "Personen har inget att tillägga.")
    stored = workspace.session.profile.cases.load(workspace.opened.case.id)
    assert stored.communication.response.endswith("Personen har inget att tillägga.")
    assert stored.communication.done_on == before
    # A date inside the range is taken again at once, and the message goes.
    page.communicated_on.edit.clear()
    type_text(page.communicated_on.edit, "2099-12-31")
    assert page.communicated_on.error.text() == ""
    assert workspace.opened.case.communication.done_on is not None
    assert workspace.opened.case.communication.done_on.isoformat() == "2099-12-31"


def test_a_new_case_dated_outside_the_range_is_refused_with_the_names_kept(qtbot, new_case_dialog):  # type: ignore[no-untyped-def]
    dialog = new_case_dialog
    type_text(dialog.given_name, "Tolvan")
    type_text(dialog.family_name, "Tolvansson")
    type_text(dialog.personal_number, "191212121212")
    dialog.opened_on.edit.clear()
    type_text(dialog.opened_on.edit, "9999-12-31")
    assert dialog.opened_on.error.text() == RANGE_MESSAGE
    qtbot.keyClick(dialog.given_name, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result_case is None
    assert (dialog.given_name.text(), dialog.opened_on.edit.text()) == ("Tolvan", "9999-12-31")


@pytest.mark.parametrize(("typed", "why"), [
    ("2099-12-31", "Ansökan kan inte ha kommit in efter i dag ({today})."),
    ("1900-01-01", "Ansökan kan inte ha kommit in innan personen föddes (1912-12-12)."),
])
def test_an_application_received_ahead_of_today_or_before_the_birth_is_refused(qtbot, demo_window, typed, why):  # type: ignore[no-untyped-def]
    """s32-probe: the Ärendet step took 2099-12-31 and 1900-01-01 (Tolvan was born 1912) as the day the application
    came in, and the utredning printed them; each is refused beside the field, stays typed, and a real day is
    taken after it."""
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    page = workspace.case_page
    before = workspace.opened.case.application.received_on
    page.received_on.edit.setFocus()
    page.received_on.edit.clear()
    type_text(page.received_on.edit, typed)
    qtbot.keyClick(page.received_on.edit, Qt.Key.Key_Tab)
    today = workspace.session.today()
    assert page.received_on.error.text() == why.format(today=today.isoformat())
    assert page.received_on.edit.text() == typed
    assert workspace.opened.case.application.received_on == before
    page.received_on.edit.setFocus()
    page.received_on.edit.clear()
    type_text(page.received_on.edit, today.isoformat())
    qtbot.keyClick(page.received_on.edit, Qt.Key.Key_Tab)
    assert page.received_on.error.text() == ""
    with qtbot.waitSignal(workspace.saved, timeout=10_000):  # the autosave, not a direct call
        type_text(page.origin_note, " och mer")
    assert workspace.session.profile.cases.load(workspace.opened.case.id).application.received_on == today
