"""At the largest text size (Inställningar's 20 pt) every dialog the menus open fits the screen: its frame inside
the screen's free area and every button whole inside the dialog, so Stäng is never below the screen's edge. The
offscreen screen of the tests is 800×800; on a 1366×768 laptop Om Hembesök was 1264×1089 and every report
1824×996 (session 23)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog
from uihelpers import unlock

from ui.common.text_size import apply_text_size
from ui.settings import TEXT_SIZES


def _shown_dialog(qtbot, name: str) -> QDialog:  # type: ignore[no-untyped-def]
    def shown() -> QDialog | None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
        return next((w for w in found if w.objectName() == name), None)

    qtbot.waitUntil(lambda: shown() is not None)
    dialog = shown()
    assert dialog is not None
    return dialog


def _outside(dialog: QDialog) -> list[str]:
    area = dialog.screen().availableGeometry()
    problems = []
    if not area.contains(dialog.frameGeometry()):
        problems.append(f"{dialog.objectName()} {dialog.width()}x{dialog.height()} on {area.width()}x{area.height()}")
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisible() and button.window() is dialog:
            where = button.rect().translated(button.mapTo(dialog, button.rect().topLeft()))
            if not dialog.rect().contains(where):
                problems.append(f"{dialog.objectName()}: {button.text()} cut")
    return problems


@pytest.mark.parametrize("entry", ["about", "report"])
def test_help_about_and_every_report_fit_the_screen_at_the_largest_text_size(qtbot, demo_window, entry) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    apply_text_size(QApplication.instance(), max(TEXT_SIZES))  # what OK in Inställningar does with 20 pt chosen
    if entry == "about":
        actions = {"aboutDialog": demo_window.action_about}
    else:
        actions = {f"reportDialog_{key}": action for key, action in demo_window.reports.actions.items()}
    assert actions
    for name, action in actions.items():
        action.trigger()  # Hjälp › Om Hembesök, Rapporter › …
        dialog = _shown_dialog(qtbot, name)
        assert _outside(dialog) == []
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
