"""`Hembesok.exe --version` / `--help` from the Windows GUI build: there is no console (sys.stdout and sys.stderr
are None, as PyInstaller's windowed bootloader leaves them), so the text is shown in a message box."""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import main
from ibic import __version__


def _answer_the_box(qtbot, shown: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Once the modal box is up (inside its own event loop), note its text and close it like a person would."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def close_when_shown() -> None:
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        if not boxes:
            QTimer.singleShot(10, close_when_shown)
            return
        shown.append(boxes[0].text())
        boxes[0].accept()

    QTimer.singleShot(0, close_when_shown)


@pytest.mark.parametrize(("argument", "expected", "status"), [
    ("--version", f"Hembesök {__version__}", 0),
    ("--help", "--smoke-test DIR", 0),
    ("--no-such-option", "unrecognized arguments: --no-such-option", 2),
])
def test_without_a_console_the_text_is_shown_in_a_message_box(  # type: ignore[no-untyped-def]
    qtbot, monkeypatch, argument, expected, status
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    shown: list[str] = []
    _answer_the_box(qtbot, shown)
    with pytest.raises(SystemExit) as exit_info:
        main.main([argument])
    assert exit_info.value.code == status
    assert len(shown) == 1 and expected in shown[0]


def test_with_a_console_the_text_is_printed_and_no_box_opens(qtbot, capsys) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QMessageBox

    with pytest.raises(SystemExit):
        main.main(["--version"])
    assert capsys.readouterr().out.strip() == f"Hembesök {__version__}"
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
