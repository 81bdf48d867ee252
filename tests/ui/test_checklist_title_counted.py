"""Rapporter › Checklistegranskning names one investigation, or none, in words: over the demo profile's one
hemtjänst investigation decided this year its table was titled "alla 1 hemtjänstutredningar beslutade" (s23)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from uihelpers import type_text, unlock


def _title(dialog) -> str:  # type: ignore[no-untyped-def]
    assert dialog.tabs.count() == 1
    return dialog.tabs.tabText(0)


def test_one_and_no_investigation_in_the_checklist_title(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    demo_window.reports.actions["checklista"].trigger()
    dialog = demo_window.reports.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert _title(dialog) == ("Granskning med checklista: den enda hemtjänstutredningen beslutad i perioden "
                              "(16 begärda)")
    for field, day in ((dialog.period_start.edit, "2001-01-01"), (dialog.period_end.edit, "2001-12-31")):
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(field, day)
        qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "2001" not in dialog.period_error.text() and "inga" in _title(dialog))
    assert _title(dialog) == "Granskning med checklista: inga hemtjänstutredningar beslutade i perioden (16 begärda)"
    dialog.reject()
