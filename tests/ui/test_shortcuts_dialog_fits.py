"""Hjälp › Kortkommandon (F1) shows its three columns whole: at Qt's default size the list showed "Tangenter" and
half of "Vad den gör" ("Förhandsgransk…" cut off) above a sideways scroll bar, and the Meny column not at all."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from test_keyboard_only import _unlock, give_back_activation, in_dialog, press, shortcut


def test_f1_lists_every_column_whole_without_a_sideways_scroll_bar(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    give_back_activation(qtbot, window)
    _unlock(qtbot, window)
    seen: list[tuple[int, int, bool, str]] = []

    def look(dialog: QWidget) -> None:
        table = dialog.table
        qtbot.waitUntil(lambda: table.viewport().width() > 0)
        needed = sum(table.columnWidth(column) for column in range(table.columnCount()))
        preview = next(table.topLevelItem(i) for i in range(table.topLevelItemCount())
                       if table.topLevelItem(i).text(0) == "Ctrl+P")
        seen.append((needed, table.viewport().width(), table.horizontalScrollBar().isVisible(), preview.text(1)))
        press(Qt.Key.Key_Escape)

    in_dialog(qtbot, "shortcutsDialog", lambda: shortcut("F1"), look)
    needed, room, sideways, text = seen[0]
    assert text == "Förhandsgranska utkast till utredning"
    assert not sideways
    assert needed <= room, f"the columns need {needed} px, the list shows {room}"
