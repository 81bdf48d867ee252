"""Hjälp › Om Hembesök wraps its text to the dialog's width, the licence texts too: their long preformatted lines
gave the list a sideways scroll bar (at 1280 wide, 12 pt). A licence's own line breaks stay."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from test_keyboard_only import _unlock, give_back_activation, in_dialog, press

from ui.common.text_size import apply_text_size


def test_about_shows_no_sideways_scroll_bar_down_to_the_last_licence(qtbot, qapp, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    give_back_activation(qtbot, window)
    _unlock(qtbot, window)
    apply_text_size(qapp, 12)  # the app's own size (TEXT_SIZE); the conftest puts the tests' size back after
    seen: list[tuple[int, int, bool]] = []

    def look(dialog: QWidget) -> None:
        licences = dialog.licences
        licences.setFocus()
        press(Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # down to the last licence text: all laid out
        bar = licences.horizontalScrollBar()
        seen.append((bar.maximum(), licences.viewport().width(), "GNU LESSER" in licences.toPlainText()))
        press(Qt.Key.Key_Escape)

    in_dialog(qtbot, "aboutDialog", window.action_about.trigger, look)
    widest, room, has_texts = seen[0]
    assert has_texts
    assert widest == 0, f"the text is {widest} px wider than the {room} px the dialog shows"
