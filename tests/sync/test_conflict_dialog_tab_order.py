"""Issue 12 finding 2 for the conflict dialog: a real conflict (two laptops, real server, real PostgreSQL) shows in
the main window's status bar; its button opens the dialog, which is walked once round with Tab by the walk of
tests/ui/test_dialog_tab_order.py: each next focus at or below, or on the same row right of, the previous one."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sync_support import PASSPHRASE, Env, conflicting_edits

from storage.kdf import KdfParameters

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the dialog walk and its keyboard helpers

from test_dialog_tab_order_buttons import walked
from uihelpers import unlock


def test_the_conflict_dialog_opened_from_the_status_bar_is_tabbed_in_reading_order(  # type: ignore[no-untyped-def]
    env: Env, tmp_path: Path, qtbot: Any
) -> None:
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    directory = conflicting_edits(env, tmp_path)
    window = MainWindow(AppSettings(str(tmp_path / "settings.ini")), StartOptions(profile_dir=directory,
                                                                                  kdf=KdfParameters()))
    qtbot.addWidget(window)
    window.show()
    try:
        unlock(qtbot, window, PASSPHRASE)
        button = window.statusBar().findChild(QPushButton, "syncConflictsButton")
        qtbot.waitUntil(button.isVisible)
        problems = walked(qtbot, "conflictDialog",
                          lambda: qtbot.mouseClick(button, Qt.MouseButton.LeftButton))
        assert problems == []
    finally:
        if window.session is not None:
            window.session.lock()
