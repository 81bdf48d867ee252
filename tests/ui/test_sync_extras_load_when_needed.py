"""The unlocked list holds nothing of what only a failed sync or the conflicts need (issue 14, the memory row).

QtNetwork and the system's network backend (~7 MiB resident) serve only a controller that is offline or failed, and
the conflict dialog (~1.4 MiB) only its conflicts: a fresh process unlocks and lists with neither loaded, and the
conflicts still open from the status bar, where their dialog is imported then. The network watch after a failed
sync is tested against the real server in tests/sync/test_main_window_sync.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_child import WHEN_IDLE, run_app_script, tagged
from uihelpers import PASSPHRASE

from storage.journal import encode, put_conflict
from storage.profile import unlock_profile

UNLOCK_THEN_CONFLICTS = WHEN_IDLE + """
import json, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
original_exec = QApplication.exec
WATCHED = ("PySide6.QtNetwork", "ui.sync.conflict_dialog")
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def listed():
        print("LISTED", json.dumps(window.case_list.model.rowCount()))
        print("LOADED", json.dumps([name for name in WATCHED if name in sys.modules]))
        QTimer.singleShot(0, read_the_dialog)
        QTest.mouseClick(window.findChild(QPushButton, "syncConflictsButton"), Qt.MouseButton.LeftButton)
        print("AFTER", json.dumps([name for name in WATCHED if name in sys.modules]))
        QApplication.instance().quit()
    def read_the_dialog():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, read_the_dialog)
            return
        print("DIALOG", json.dumps([dialog.objectName(), dialog.current_conflict().path]))
        dialog.reject()
    window.unlocked.connect(lambda: when_idle(window, listed))  # the sync started (it found no server) too
    def enter():
        window.unlock_panel.passphrase_edit.insert(sys.argv[2])
        QTest.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    QTimer.singleShot(300, enter)
def exec_and_drive():
    QTimer.singleShot(0, drive)
    return original_exec()
QApplication.exec = staticmethod(exec_and_drive)
import main
main.main(["--profile", sys.argv[1]])
"""


def _with_a_conflict(directory: Path) -> None:
    """A conflict on one case's note, as a pull that met a local edit leaves it."""
    profile = unlock_profile(directory, PASSPHRASE, backup=False)
    case = profile.cases.load(profile.cases.list_summaries()[0].case_id)
    with profile._db.transaction() as connection:
        put_conflict(connection, record_type="case", record_id=case.id, case_id=case.id, path="origin_note",
                     base_value=encode("Före."), local_value=encode("Min text."), server_value=encode("Deras text."),
                     server_version=2, op_id=None)
    profile.lock()


def test_the_unlocked_list_loads_no_network_watch_nor_conflict_dialog_and_the_conflicts_still_open(
        demo_profile_dir: Path, tmp_path: Path) -> None:
    _with_a_conflict(demo_profile_dir)
    output = run_app_script(UNLOCK_THEN_CONFLICTS, str(demo_profile_dir), PASSPHRASE, home=tmp_path / "home")
    found: dict[str, Any] = {tag: tagged(output, tag) for tag in ("LISTED", "LOADED", "DIALOG", "AFTER")}
    assert found["LISTED"] > 0
    assert found["LOADED"] == []  # on 0d49463 both: the window's preload imported them
    assert found["DIALOG"] == ["conflictDialog", "origin_note"]
    assert found["AFTER"] == ["ui.sync.conflict_dialog"]  # the conflicts need no network watch
