"""Issue 12 (ui-gaps point 3): a delområde chosen under a life area but given no value is a finding in Kontroll,
and choosing the finding puts the focus on that delområde's value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_sub_areas import _focused, _keys, _open_case, _tab_to, _to_area
from uihelpers import unlock

FINDING = "Förflyttning: delområdet d465 Röra sig omkring med hjälp av utrustning är valt men saknar bedömning."


def _findings(workspace) -> list[str]:  # type: ignore[no-untyped-def]
    listing = workspace.check_page.listing
    return [listing.item(i).text() for i in range(listing.count())]


def test_a_chosen_delomrade_without_value_is_a_finding_that_leads_to_its_value(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")  # d4 holds d450 and d460, both valued
    _keys("Ctrl+5")
    qtbot.waitUntil(lambda: workspace.check_page.isVisible())
    assert not [text for text in _findings(workspace) if "delområdet" in text]

    _to_area(workspace, "d4")
    row = workspace.area_form.sub_areas.row_of("d465")
    assert row is not None
    _tab_to(row.chosen)
    QTest.keyClick(_focused(), Qt.Key.Key_Space)  # chosen, and left at "Inte bedömt"
    assert row.value.currentText() == "Inte bedömt"

    _keys("Ctrl+5")
    listing = workspace.check_page.listing
    qtbot.waitUntil(lambda: any("d465" in text for text in _findings(workspace)))
    matching = [text for text in _findings(workspace) if "d465" in text]
    assert matching == [FINDING], _findings(workspace)
    listing.setFocus()
    listing.setCurrentRow(_findings(workspace).index(FINDING))
    QTest.keyClick(listing, Qt.Key.Key_Return)
    assert workspace.place().area_id == "d4"
    assert _focused() is workspace.area_form.sub_areas.row_of("d465").value

    QTest.keyClick(_focused(), Qt.Key.Key_Down)  # a value given: the finding is gone
    _keys("Ctrl+5")
    qtbot.waitUntil(lambda: not any("d465" in text for text in _findings(workspace)))
