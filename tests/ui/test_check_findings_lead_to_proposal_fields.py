"""Kontroll's findings on the Förslag till beslut step lead to their field (s34-probe3). Enter on "Trygghetslarm:
Välj bifall, delvis bifall eller avslag." showed the step with the cursor on none of its fields: with two applied
items the handläggare had to find which proposal, and which of its fields, by hand, and a keyboard user was left
nowhere. Now Enter puts the cursor in that proposal's field, scrolled into view; the kommunicering's findings lead
to its date and to "Med vem", and "no visit" to the visit's date."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from test_sub_areas import _focused, _keys, _open_case, _tab_to
from uihelpers import choose_finding, type_text, unlock

SERVICE, ALARM = "Hemtjänst – serviceinsatser", "Trygghetslarm"


def _holds_focus(widget: QWidget) -> bool:
    focused = _focused()
    return focused is widget or widget.isAncestorOf(focused) or widget.focusProxy() is focused


def _in_view(page: QScrollArea, widget: QWidget) -> bool:
    """The widget's top left corner is inside the page's visible part."""
    return page.viewport().rect().contains(widget.mapTo(page.viewport(), QPoint(2, 2)))


def _editor(workspace, insats_label: str):  # type: ignore[no-untyped-def]
    return next(editor for editor in workspace.proposal_page.editors if editor.title() == insats_label)


def _go(qtbot, workspace, finding: str) -> None:  # type: ignore[no-untyped-def]
    _keys("Ctrl+5")
    choose_finding(qtbot, workspace, finding)
    assert workspace.place().step == "proposal"


def test_each_proposal_finding_puts_the_cursor_in_its_proposals_field(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")  # serviceinsatser and trygghetslarm applied for
    page = workspace.proposal_page

    _go(qtbot, workspace, f"Förslag till beslut saknas för {SERVICE}.")  # no proposal yet: its first question
    assert _holds_focus(_editor(workspace, SERVICE).need_exists)

    _go(qtbot, workspace, f"{ALARM}: Välj bifall, delvis bifall eller avslag.")
    alarm = _editor(workspace, ALARM)
    assert _holds_focus(alarm.outcome)
    QTest.keyClick(_focused(), Qt.Key.Key_Down)  # Bifall
    assert alarm.outcome.currentText() == "Bifall"

    _go(qtbot, workspace, f"{ALARM}: Ange från vilket datum insatsen gäller.")  # the second proposal, far down
    alarm = _editor(workspace, ALARM)
    assert _holds_focus(alarm.starts_on)
    assert _in_view(page, alarm.starts_on)
    type_text(_focused(), date.today().isoformat())

    _go(qtbot, workspace, f"{SERVICE}: Välj bifall, delvis bifall eller avslag.")
    service = _editor(workspace, SERVICE)
    assert _holds_focus(service.outcome)
    QTest.keyClick(_focused(), Qt.Key.Key_Down)  # Bifall: a time-limited decision

    _go(qtbot, workspace, f"{SERVICE}: Beslutet ska vara tidsbegränsat: ange ett slutdatum.")
    assert not [text for text in _listed(workspace) if text.startswith(f"{ALARM}: Ange från vilket datum")]
    service = _editor(workspace, SERVICE)
    assert _holds_focus(service.ends_on)
    assert _in_view(page, service.ends_on)

    _go(qtbot, workspace, "Kommunicering är inte registrerad (när och hur, eller varför den inte behövs).")
    assert _holds_focus(page.communicated_on)
    assert _in_view(page, page.communicated_on)


def _listed(workspace) -> list[str]:  # type: ignore[no-untyped-def]
    listing = workspace.check_page.listing
    return [listing.item(i).text() for i in range(listing.count())]


@pytest.mark.parametrize(("case_number", "step_key", "step", "finding"), [
    ("DEMO-2026-0001", "Ctrl+2", "visit", "Inget hembesök eller annat möte är registrerat."),
    ("DEMO-2026-0002", "Ctrl+1", "case", "Ansökan saknar vad den enskilde ansöker om."),  # korttidsvistelse alone
])
def test_no_visit_leads_to_the_visits_date_and_an_empty_application_to_its_insats(  # type: ignore[no-untyped-def]
    qtbot, demo_window, case_number: str, step_key: str, step: str, finding: str
) -> None:
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, case_number)
    _keys(step_key)
    page = workspace.visit_page if step == "visit" else workspace.case_page
    listed = page.visits if step == "visit" else page.items  # the one visit, the one applied item: removed
    listed.listing.setFocus()
    listed.listing.setCurrentRow(0)
    _tab_to(listed.remove_button)
    QTest.keyClick(_focused(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: listed.listing.count() == 0)

    _keys("Ctrl+5")
    choose_finding(qtbot, workspace, finding)
    assert workspace.place().step == step
    assert QApplication.focusWidget() is (page.visit_date.edit if step == "visit" else page.item_insats)
