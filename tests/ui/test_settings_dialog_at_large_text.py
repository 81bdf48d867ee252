"""Inställningar (Ctrl+,) at 20 pt: the note under Språk was squeezed into a wrapped column too short for it (its
lines cut off and drawn over the language box), and the placeholders of CA-certifikat and Dina kontaktuppgifter
were cut ("Bara om IT ber o…"). The note and every placeholder now show whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget
from test_keyboard_only import _unlock, give_back_activation, in_dialog, press, shortcut

from ui.common.text_size import apply_text_size
from ui.settings import MACHINE_SETTINGS_VARIABLE

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


@pytest.fixture
def server_fixed_by_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine file fixing the sync server: read when the window's settings are made, so asked for before them."""
    path = tmp_path / "machine" / "settings.toml"
    path.parent.mkdir()
    path.write_text('[sync]\nserver_url = "https://synk.kommun.example.invalid"\n', encoding="utf-8")
    monkeypatch.setenv(MACHINE_SETTINGS_VARIABLE, str(path))


def test_ctrl_comma_at_20_points_shows_the_note_on_fields_it_fixed_whole(  # type: ignore[no-untyped-def]
    qtbot, qapp, server_fixed_by_it, demo_window
) -> None:
    """The wrapped note under the fields ("Gråa fält är inställda av IT …") got one line and a half at 20 pt, cut
    off under Dina kontaktuppgifter: Qt opens a dialog whose text wraps at most two thirds of the screen tall."""
    from PySide6.QtCore import Qt

    window = demo_window
    give_back_activation(qtbot, window)
    _unlock(qtbot, window)
    apply_text_size(qapp, 20)  # the conftest puts the usual size back after the test
    seen: list[tuple[bool, int, int]] = []

    def look(dialog: QWidget) -> None:
        note = dialog.fixed_note
        seen.append((note.isVisible(), note.height(), note.heightForWidth(note.width())))
        press(Qt.Key.Key_Escape)

    in_dialog(qtbot, "settingsDialog", lambda: shortcut("Ctrl+,"), look)
    shown, height, needed = seen[0]
    assert shown
    assert height >= needed, f"the note is {height} px high and needs {needed}"
