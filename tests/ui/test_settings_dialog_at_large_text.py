"""Inställningar (Ctrl+,) at 20 pt: the note under Språk was squeezed into a wrapped column too short for it (its
lines cut off and drawn over the language box), and the placeholders of CA-certifikat and Dina kontaktuppgifter
were cut ("Bara om IT ber o…"). The note and every placeholder now show whole."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget
from test_keyboard_only import _unlock, give_back_activation, in_dialog, press, shortcut

from ui.common.text_size import apply_text_size

NOTE = "Ett nytt språk används från nästa start."


def test_ctrl_comma_at_20_points_shows_the_language_note_and_placeholders_whole(qtbot, qapp, demo_window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    window = demo_window
    give_back_activation(qtbot, window)
    _unlock(qtbot, window)
    apply_text_size(qapp, 20)  # the conftest puts the usual size back after the test
    problems: list[str] = []

    def look(dialog: QWidget) -> None:
        note = next(label for label in dialog.findChildren(QLabel) if label.text() == NOTE)
        needed = note.heightForWidth(note.width()) if note.wordWrap() else note.sizeHint().height()
        if note.height() < needed:
            problems.append(f"the note is {note.height()} px high and needs {needed}")
        language = dialog.findChild(QComboBox, "language")
        if note.geometry().intersects(language.geometry()):
            problems.append("the note overlaps the language box")
        for field in dialog.findChildren(QLineEdit):
            text = field.placeholderText()
            room = field.contentsRect().width() - 8  # the line edit's own text margins
            if text and field.isVisible() and field.fontMetrics().horizontalAdvance(text) > room:
                problems.append(f"{field.objectName()}: '{text}' is cut")
        press(Qt.Key.Key_Escape)

    in_dialog(qtbot, "settingsDialog", lambda: shortcut("Ctrl+,"), look)
    assert problems == []
