"""Seed 004: discharge planning from hospital is a priority; seed 001: a case arises from a hospital. A case made in
Ny ärende from "Sjukhus/utskrivning" opens with its discharge planning on (on main the box on the visit step was off,
its date fields greyed out), so the utskrivningsklar date is typed at once and the SIP call stands in Att göra. A case
from a phone call has none."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from test_new_case_known_person import _with_dialog
from test_work_list_on_screen import _rows
from uihelpers import type_text, typed_person_and_origin, unlock


def _new_case(qtbot, window, family: str, number: str, origin: str) -> None:  # type: ignore[no-untyped-def]
    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        typed_person_and_origin(qtbot, dialog, family, number, origin)  # the origin by its first letters
        qtbot.keyClick(dialog.origin, Qt.Key.Key_Return)  # OK

    _with_dialog(qtbot, window, act, by_action=True)


def test_a_case_from_hospital_opens_with_discharge_planning_and_its_sip_call_stands_in_att_gora(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    _new_case(qtbot, demo_window, "Sjukhus", "19400103-0123", "Sju")
    workspace = demo_window.workspace
    number = workspace.opened.case.case_number
    workspace.go_to("visit")
    page = workspace.visit_page
    assert page.discharge_box.isChecked() and page.ready_on.edit.isEnabled()
    page.ready_on.edit.setFocus()
    type_text(page.ready_on.edit, (date.today() - timedelta(days=1)).isoformat())
    qtbot.keyClick(page.ready_on.edit, Qt.Key.Key_Tab)
    workspace.save_now()
    demo_window.action_work.trigger()
    reasons = [r[1] for r in _rows(demo_window.case_list.work) if r[2] == number]
    assert "kallelse till SIP" in reasons, reasons

    _new_case(qtbot, demo_window, "Telefon", "19400105-0121", "Tel")
    demo_window.workspace.go_to("visit")
    assert not demo_window.workspace.visit_page.discharge_box.isChecked(), "a phone call is no discharge"
