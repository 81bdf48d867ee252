"""What the app itself put on the system clipboard, so a lock can take it back (it may hold personal data)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication

_last: list[str] = []


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard and remember it."""
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)
    _last[:] = [text]


def last_copied_text() -> str:
    return _last[0] if _last else ""
