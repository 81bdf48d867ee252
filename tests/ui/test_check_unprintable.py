"""Kontroll names a field whose text prints as "�" (s27-rlook): a Chinese word or an emoji pasted into a life area
was only told of by the print preview, once the document was made; now it is a finding while the case is open, and
choosing it puts the cursor in the field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from test_sub_areas import _focused, _keys, _open_case, _to_area
from uihelpers import choose_finding, kontroll_findings, type_text, unlock

FINDING = ("Förflyttning › Egen beskrivning: innehåller tecken som de utskrivna handlingarna inte kan visa (emojier, "
           "eller en skrift som kinesiska eller thai); de skrivs ut som �. Skriv dem på annat sätt.")


def test_a_chinese_word_in_a_life_area_is_a_finding_in_kontroll_that_leads_to_the_field(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    _keys("Ctrl+5")
    qtbot.waitUntil(lambda: workspace.check_page.isVisible())
    assert not [text for text in kontroll_findings(workspace) if "�" in text]  # Swedish, Hebrew and Arabic all print

    _to_area(workspace, "d4")
    own = workspace.area_form.own
    own.setFocus()
    QTest.keyClick(own, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(own, " Dottern hälsar från 東京.")
    _keys("Ctrl+5")
    choose_finding(qtbot, workspace, FINDING)
    assert workspace.place().area_id == "d4"
    assert _focused() is own or own.isAncestorOf(_focused())

    QTest.keyClick(_focused(), Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    for _ in range(3):  # "京." and "東" written another way: the finding is gone
        QTest.keyClick(_focused(), Qt.Key.Key_Backspace)
    type_text(_focused(), "Tokyo.")
    _keys("Ctrl+5")
    qtbot.waitUntil(lambda: workspace.check_page.isVisible() and FINDING not in kontroll_findings(workspace))
