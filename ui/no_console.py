"""Text for a person when the program has no console: the Windows GUI build (``console=False``) starts with
``sys.stdout`` and ``sys.stderr`` set to None, so ``Hembesok.exe --version`` or ``--help`` would print nowhere.
main.py's argument parser shows such text in a message box instead."""

from __future__ import annotations

import sys
from typing import Any


def has_console(stream: Any) -> bool:
    return stream is not None


def show_message(text: str) -> None:
    """A modal box with ``text`` (plain, monospaced for --help's columns); returns when it is closed."""
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    box = QMessageBox(QMessageBox.Icon.Information, "Hembesök", text.rstrip())
    box.setObjectName("consoleMessage")
    box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    box.exec()
    del app
