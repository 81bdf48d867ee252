"""A start refused with a message (the profile folder unusable, or the profile open in another copy) must still end
on a logout or shutdown's SIGTERM: the refusal's box ran its own event loop, the signal handlers quit the main one
(not yet running), and the process waited for a click that never came."""

from __future__ import annotations

from pathlib import Path

from app_child import run_app_script, tagged

TERMINATED_WHILE_REFUSED = """
import json, os, signal, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
original_exec = QMessageBox.exec
shown = []
def exec_and_terminate(box):
    shown.append(box.objectName())
    QTimer.singleShot(0, lambda: os.kill(os.getpid(), signal.SIGTERM))  # as a logout sends it, the box up
    return original_exec(box)
QMessageBox.exec = exec_and_terminate
import main
code = main.main(["--profile", sys.argv[1]])
print("REPORT", json.dumps({"shown": shown, "code": code}))
"""


def test_sigterm_ends_a_start_refused_for_an_unusable_profile_folder(tmp_path: Path) -> None:
    # Test fails on main: the child hung until killed.
    not_a_folder = tmp_path / "profile"
    not_a_folder.write_text("", encoding="utf-8")
    output = run_app_script(TERMINATED_WHILE_REFUSED, str(not_a_folder), home=tmp_path)
    assert tagged(output, "REPORT") == {"shown": ["profileFolderUnusable"], "code": 1}
