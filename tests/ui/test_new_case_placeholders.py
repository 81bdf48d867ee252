"""Ärende › Nytt ärende (Ctrl+N) shows its placeholders whole at the app's text size: the search field's read "Sök
personer som redan finns: namn eller perso…". The field's accessible name still says what it searches."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from test_keyboard_only import _unlock, give_back_activation, in_dialog, press, shortcut

from ui.common.text_size import apply_text_size


def test_ctrl_n_shows_every_placeholder_whole(qtbot, qapp, demo_window) -> None:  # type: ignore[no-untyped-def]
    give_back_activation(qtbot, demo_window)
    _unlock(qtbot, demo_window)
    apply_text_size(qapp, 12)  # the app's own size (TEXT_SIZE); the conftest puts the tests' size back after
    seen: dict[str, tuple[str, int, int, str]] = {}

    def look(dialog: QWidget) -> None:
        for field in dialog.findChildren(QLineEdit):
            text = field.placeholderText()
            if text and field.isVisible():
                room = field.contentsRect().width() - 8  # the line edit's own text margins
                seen[field.objectName()] = (text, field.fontMetrics().horizontalAdvance(text), room,
                                            field.accessibleName())
        press(Qt.Key.Key_Escape)

    in_dialog(qtbot, "newCaseDialog", lambda: shortcut("Ctrl+N"), look)
    assert "personSearch" in seen and "personalNumber" in seen
    cut = {name: (text, needed, room) for name, (text, needed, room, _) in seen.items() if needed > room}
    assert cut == {}
    assert seen["personSearch"][3] == "Sök personer som redan finns (namn eller personnummer)"
