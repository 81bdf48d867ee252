"""The text size setting applied to the running app: at start and again when Inställningar changes it."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from ui.common.fields import Heading
from ui.common.screen_fit import resize_within_screen


def apply_text_size(app: QApplication, points: int) -> None:
    """One base size for the whole app; every widget inherits it, so the setting is honoured everywhere.

    Headings hold a font of their own (a multiple of the base size), which the application font does not reach:
    they are scaled again here. Open windows keep their size in lines of text (as large as they would have opened
    at the new size), within the screen: a window sized for 12 pt would make a page at 16 pt scroll sideways.
    """
    font = QFont(app.font())
    before = font.pointSizeF()
    if font.pointSize() == points:
        return
    font.setPointSize(points)
    app.setFont(font)
    for widget in app.allWidgets():
        if isinstance(widget, Heading):
            widget.rescale()
    factor = points / before if before > 0 else 1.0
    for window in app.topLevelWidgets():
        if window.isVisible():
            resize_within_screen(window, window.size() * factor)
