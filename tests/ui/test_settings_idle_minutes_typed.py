"""Inställningar's "Lås efter" typed by keys (s33-probe): a spin box refuses keys that would leave its range, so "90"
became 9 minutes, "-5" became 5 and "5.5" became 55, and 0 or text went back to the old value, each stored without
a word. Every key is now kept and a number outside 1-60, or no whole number, is refused beside the field in Swedish,
as typed, with nothing stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock

from ui.settings import IDLE_LOCK_MINUTES


def _minutes_typed(qtbot: Any, window: Any, minutes: str) -> dict[str, Any]:
    """Settings… from the File menu, ``minutes`` typed over the idle lock's field, Enter (OK)."""
    from ui.settings_dialog import SettingsDialog

    seen: dict[str, Any] = {}

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(10, act)  # not shown yet
            return
        dialog.idle.setFocus()
        dialog.idle.lineEdit().selectAll()
        qtbot.keyClick(dialog.idle, Qt.Key.Key_Backspace)
        type_text(dialog.idle.lineEdit(), minutes)
        qtbot.keyClick(dialog.idle, Qt.Key.Key_Return)
        error = getattr(dialog, "idle_error", None)  # on main: none
        seen.update(open=dialog.isVisible(), field=dialog.idle.text(), said=error and error.text())
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, act)
    window.action_settings.trigger()  # returns when the dialog has closed
    return seen


def test_minutes_outside_the_range_or_no_whole_number_are_refused_as_typed(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    demo_window.settings.set(IDLE_LOCK_MINUTES, 10)
    for typed in ("90", "0", "-5", "5.5", "1000000000", "tio"):
        seen = _minutes_typed(qtbot, demo_window, typed)
        # On main: "90" stored as 9, "-5" as 5, "5.5" as 55, the rest silently left at 10 with the dialog closed.
        assert seen == {"open": True, "field": f"{typed} min", "said": "Skriv ett helt antal minuter från 1 till 60."}
        assert demo_window.settings.get(IDLE_LOCK_MINUTES) == 10


def test_minutes_inside_the_range_are_stored_and_used(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    seen = _minutes_typed(qtbot, demo_window, "45")
    assert not seen["open"], seen
    assert demo_window.settings.get(IDLE_LOCK_MINUTES) == 45
    assert demo_window.idle.remaining_ms() > 44 * 60_000
