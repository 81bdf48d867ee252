"""Enter in the conflict dialog's list chooses nothing: the first button, Keep mine, was the dialog's default, so
Enter on a conflict (to look at it, as in any list) overwrote the other laptop's edit with mine (s23). A real
conflict (two laptops, real server, real PostgreSQL), opened from the main window's status bar."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QTreeWidget
from sync_support import PASSPHRASE, Env, conflicting_edits, in_conflict_dialog

from storage.kdf import KdfParameters

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the UI tests' keyboard helpers

from uihelpers import unlock


def test_enter_in_the_conflict_list_resolves_nothing_and_enter_on_a_button_presses_it(  # type: ignore[no-untyped-def]
    env: Env, tmp_path: Path, qtbot: Any
) -> None:
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    directory = conflicting_edits(env, tmp_path, "chosen_provider", ("Hemtjänst Norr AB", "Hemtjänst Söder AB"))
    window = MainWindow(AppSettings(str(tmp_path / "settings.ini")), StartOptions(profile_dir=directory,
                                                                                  kdf=KdfParameters()))
    qtbot.addWidget(window)
    window.show()
    seen: dict[str, Any] = {}

    def in_the_dialog(dialog: Any) -> None:
        tree = dialog.findChild(QTreeWidget, "conflictList")
        tree.setFocus()
        qtbot.keyClick(tree, Qt.Key.Key_Return)  # on main: Keep mine, and the dialog closed (none left)
        seen["after_enter"] = (dialog.isVisible(), len(window.session.profile.sync.conflicts()))
        keep = dialog.findChild(QPushButton, "keepMineButton")
        keep.setFocus()
        qtbot.keyClick(keep, Qt.Key.Key_Return)  # the button with the focus takes Enter itself
        seen["after_button"] = (dialog.isVisible(), len(window.session.profile.sync.conflicts()))
        dialog.reject()

    try:
        unlock(qtbot, window, PASSPHRASE)
        button = window.statusBar().findChild(QPushButton, "syncConflictsButton")
        qtbot.waitUntil(button.isVisible)
        in_conflict_dialog(in_the_dialog)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the dialog's exec() returns when it closes
        assert seen == {"after_enter": (True, 1), "after_button": (False, 0)}
    finally:
        if window.session is not None:
            window.session.lock()
