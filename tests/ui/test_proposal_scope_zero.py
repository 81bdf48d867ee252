"""A bifall's scope of 0 is no scope (s34-probe3): "0" typed as the omfattning of a granted serviceinsats was taken
and the proposal called complete ("Förslaget är komplett."), so the draft utredning proposed 0 hours a month granted.
Now the proposal says what is missing, Kontroll lists it, and Enter on it puts the cursor in the scope."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_sub_areas import _focused, _keys, _open_case, _tab_to
from uihelpers import choose_finding, kontroll_findings, type_text, unlock

SAID = "En beviljad insats behöver en omfattning över 0: ange tid eller antal tillfällen."
FINDING = f"Hemtjänst – serviceinsatser: {SAID}"


def test_a_granted_scope_of_0_is_refused_as_a_scope_and_leads_back_to_it(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    _keys("Ctrl+4")
    service = workspace.proposal_page.editors[0]
    _tab_to(service.outcome)
    QTest.keyClick(_focused(), Qt.Key.Key_Down)
    assert service.outcome.currentText() == "Bifall"
    _tab_to(service.amount)
    type_text(_focused(), "0")
    assert not service.amount_error.text()  # a number, and within the limit: taken as typed
    assert f"• {SAID}" in service.problems.text().split("\n")

    _keys("Ctrl+5")
    choose_finding(qtbot, workspace, FINDING)
    service = workspace.proposal_page.editors[0]
    assert _focused() is service.amount
    QTest.keyClick(_focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(_focused(), "8")
    assert SAID not in service.problems.text()
    _keys("Ctrl+5")
    qtbot.waitUntil(lambda: workspace.check_page.isVisible() and FINDING not in kontroll_findings(workspace))
