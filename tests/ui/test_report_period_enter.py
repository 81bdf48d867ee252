"""Enter in a report's period field shows the report for the period typed and opens nothing else: the first button,
Exportera som CSV…, was the dialog's default, so typing a date and pressing Enter opened a save dialog (s23)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from uihelpers import type_text, unlock


def test_enter_after_typing_the_period_end_keeps_the_report_open_and_asks_for_no_file(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    demo_window.reports.actions["handlaggningstider"].trigger()  # Rapporter › Handläggningstider…
    dialog = demo_window.reports.dialog
    qtbot.waitUntil(dialog.isVisible)
    asked: list[str] = []

    def close_a_file_dialog() -> None:  # a save dialog blocks in exec(): it is noted and cancelled
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                asked.append(widget.windowTitle())
                widget.reject()

    watcher = QTimer()
    watcher.timeout.connect(close_a_file_dialog)
    watcher.start(20)
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
