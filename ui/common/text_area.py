"""Multi-line free text (its own module: the unlock page, which uses ``ui.common.fields``, draws no QPlainTextEdit,
and the binding creates that class, with its enums, only when its name is first used)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ui.common.fields import clean_text


class TextArea(QPlainTextEdit):
    """Multi-line free text with an accessible name, tab moving focus, and pasted control characters removed."""

    def __init__(self, object_name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)

    def sizeHint(self) -> QSize:
        """About five lines: room to write without pushing the rest of the form off screen."""
        hint = super().sizeHint()
        return QSize(hint.width(), self.fontMetrics().lineSpacing() * 5 + 12)

    def text(self) -> str:
        # Never cut: a text the store cannot hold is refused there with a message, and stays in the widget.
        return clean_text(self.toPlainText())

    def set_text(self, text: str) -> None:
        if self.toPlainText() != text:
            self.setPlainText(text)
