"""Domain messages (``ibic.messages``) shown in the interface's language: the key through the translator, then
the parameters in that language's form."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ibic.messages import Message
from ui.i18n import language


def shown(message: Message) -> str:
    """``message`` in the interface's language; a key the catalogue lacks shows in English (as any tr() string)."""
    template = QCoreApplication.translate("Hembesok", message.key) if message.key else ""
    return message.render(template, language())
