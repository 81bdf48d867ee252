"""Rapporter exports only the period the fields say (s34-probe3). A period typed to end before it starts was refused
("Perioden slutar innan den börjar.") and the tables of the period before stayed on screen, which is right; but
Exportera som CSV… and the PDF button stayed on and saved those tables, named for the earlier period, as the export
the handläggare had just asked for. The same while a day was half typed or impossible. Now both buttons are off
until the fields make the period the tables are of."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from uihelpers import note_file_dialogs, type_text, unlock

from ui.printing.preview import UtredningPreviewDialog


def _retype(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(field, text)


def _press_both(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    for button in (dialog.csv_button, dialog.pdf_button):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        QApplication.processEvents()


def test_no_export_while_the_period_typed_is_not_the_one_shown(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    asked: list[str] = []
    watcher = note_file_dialogs(asked)  # a save dialog asked is noted and cancelled
    try:
        demo_window.reports.actions["kon"].trigger()
        dialog = demo_window.reports.dialog
        qtbot.waitUntil(dialog.isVisible)
        today = date.today()
        end = dialog.period_end.edit
        for typed, said in (
            (f"{today.year - 1}-06-30", "Perioden slutar innan den börjar."),  # before the period's 1 January
            (f"{today.year}-0", ""),  # half typed
            (f"{today.year}-02-30", "Datumet finns inte. Skriv det som ÅÅÅÅ-MM-DD."),
        ):
            _retype(qtbot, end, typed)
            assert said in (dialog.period_error.text(), dialog.period_end.error.text()), typed
            assert not dialog.csv_button.isEnabled() and not dialog.pdf_button.isEnabled(), typed
            _press_both(qtbot, dialog)
            assert asked == [], typed
            assert dialog.findChild(UtredningPreviewDialog) is None, typed

        _retype(qtbot, end, today.isoformat())  # the period again: its tables, and their export
        assert not dialog.period_error.text()
        assert dialog.csv_button.isEnabled() and dialog.pdf_button.isEnabled()
        qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: asked == ["Spara rapporten som CSV"])
        dialog.reject()
    finally:
        watcher.stop()
