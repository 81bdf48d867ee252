"""Enter in a report's period field shows the report for the period typed and opens nothing else: the first button,
Exportera som CSV…, was the dialog's default, so typing a date and pressing Enter opened a save dialog (s23)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import note_file_dialogs, type_text, unlock


def test_enter_after_typing_the_period_end_keeps_the_report_open_and_asks_for_no_file(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    demo_window.reports.actions["handlaggningstider"].trigger()  # Rapporter › Handläggningstider…
    dialog = demo_window.reports.dialog
    qtbot.waitUntil(dialog.isVisible)
    asked: list[str] = []
    watcher = note_file_dialogs(asked)  # a save dialog asked is noted and cancelled
    end = dialog.period_end.edit
    end.setFocus()
    qtbot.keyClick(end, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(end, "2026-06-30")
    qtbot.keyClick(end, Qt.Key.Key_Return)  # on main the save dialog opened (and blocked) inside this press
    QApplication.processEvents()
    assert asked == []
    assert dialog.isVisible() and dialog.period_end.value().isoformat() == "2026-06-30"
    assert demo_window.reports.dialog is dialog
    dialog.csv_button.setFocus()
    qtbot.keyClick(dialog.csv_button, Qt.Key.Key_Return)  # Enter on the focused button still presses it
    watcher.stop()
    assert asked == ["Spara rapporten som CSV"]
    dialog.reject()
