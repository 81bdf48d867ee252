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
from sync_support import PASSPHRASE, Env, assigned_cases, make_laptop

from storage.kdf import KdfParameters
from sync.server.dev import DEMO_USER

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # the dialog walk and its keyboard helpers

from test_dialog_tab_order_buttons import walked
from uihelpers import unlock


def _conflicting_edits(env: Env, tmp_path: Path) -> Path:
    """Two laptops edit one case's note the same way apart; the second laptop's sync meets the first's edit."""
    a, b = make_laptop(env, tmp_path / "a", DEMO_USER), make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    case_id = assigned_cases(env, DEMO_USER)[0]["case_id"]
    for laptop, text in ((a, "Bor ensam. Har hund."), (b, "Bor ensam i lägenhet.")):
        case = laptop.profile.cases.load(case_id)
        case.origin_note = text
        laptop.profile.cases.save(case)
    a.sync()
    b.sync()
    assert len(b.profile.sync.conflicts()) == 1
    a.profile.lock()
    b.profile.lock()
    return b.directory


def test_the_conflict_dialog_opened_from_the_status_bar_is_tabbed_in_reading_order(  # type: ignore[no-untyped-def]
    env: Env, tmp_path: Path, qtbot: Any
) -> None:
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    directory = _conflicting_edits(env, tmp_path)
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
