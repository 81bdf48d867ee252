"""What the app itself put on the system clipboard, so a lock can take it back (it may hold personal data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

_last: list[str] = []
_watching: list[bool] = []


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard and remember it."""
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.setText(text)
    _last[:] = [text]


def last_copied_text() -> str:
    return _last[0] if _last else ""


def watch_copies() -> None:
    """From now on (once per process), note text that the app's own fields put on the clipboard (Ctrl+C, Ctrl+X,
    their context menus), so a lock takes it back too: a paste after the lock must not show a person's text. What
    another program copied is left alone."""
    clipboard = QGuiApplication.clipboard()
    if _watching or clipboard is None:
        return
    clipboard.dataChanged.connect(_note_if_copied_here)
    _watching.append(True)


def _note_if_copied_here() -> None:
    from PySide6.QtWidgets import QApplication

    clipboard = QGuiApplication.clipboard()
    text = clipboard.text() if clipboard is not None else ""
    if text and text == _selected_text(QApplication.focusWidget()):
        _last[:] = [text]


def _selected_text(widget: QWidget | None) -> str:
    """The text selected in a text field of the app that has the focus (a copy leaves it selected), or in a label
    whose text can be selected: the case header's name and personnummer (a double-click and Ctrl+C, or its menu's
    "Kopiera")."""
    # Here: the unlock page binds no Qt class it does not draw (tests/ui/test_start_lazy.py).
    from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit

    if isinstance(widget, QLineEdit | QLabel):
        return widget.selectedText()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        # Qt gives a selection's line breaks as U+2029; the clipboard holds them as "\n".
        return widget.textCursor().selectedText().replace("\u2029", "\n")
    return ""


def copied_here(text: str) -> bool:
    """Whether ``text``, on the clipboard, was put there by this app: noted above, or the platform says this
    process owns the clipboard (Windows, X11: also a cut, whose selection is gone by the time it is noted)."""
    clipboard = QGuiApplication.clipboard()
    return bool(text) and (text == last_copied_text() or (clipboard is not None and clipboard.ownsClipboard()))


def take_back() -> None:
    """At the lock: what this app put on the clipboard (``copied_here``) and on X11's selection goes. On X11 a text
    merely selected in a field is on the selection, which a middle-click pastes in any program, and Qt serves it
    after the field is gone; the app owns it only while no other program selected something since."""
    from PySide6.QtGui import QClipboard

    clipboard = QGuiApplication.clipboard()
    if clipboard is None:
        return
    if copied_here(clipboard.text()):
        clipboard.clear()  # the request for underlag, or a field's text: a name, a personnummer
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
