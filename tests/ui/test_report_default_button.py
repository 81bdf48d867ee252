"""The report dialogs' default button is Stäng (s29-look): Exportera som CSV…, their first button, was framed as the
default, as if Enter would save a file (since s23 Enter where no button has the focus presses none, and still does).
Every report of the Rapporter menu, opened as a handläggare does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton
from uihelpers import note_file_dialogs, unlock


def test_each_report_dialog_frames_stang_as_its_default_and_enter_on_its_tabs_saves_no_file(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    asked: list[str] = []
    watcher = note_file_dialogs(asked)  # a save dialog asked is noted and cancelled
    try:
        for key, action in demo_window.reports.actions.items():
            action.trigger()
            dialog = demo_window.reports.dialog
            qtbot.waitUntil(dialog.isVisible)
            framed = [b.text() for b in dialog.findChildren(QPushButton) if b.isDefault()]
            close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
            assert framed == [close.text()] == ["Stäng"], (key, framed)
            dialog.tabs.tabBar().setFocus()
            qtbot.keyClick(dialog.tabs.tabBar(), Qt.Key.Key_Return)  # neither the framed default nor the CSV
            QApplication.processEvents()
            assert asked == [], key
            dialog.reject()
    finally:
        watcher.stop()
