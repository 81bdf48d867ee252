"""Enter on the unlock page while the preload thread has not yet imported the key helper's module: the UI thread
imports nothing beside it, a wrong passphrase first and the right one after.

The preload thread's first import is ``storage.key_helper`` (its ``prestart``), which the UI thread uses at Enter
to hand the passphrase to the waiting helper process. On main an Enter in the preload's first moments imported that
module and its part of the store (``storage.kdf``, …) on the UI thread while the preload thread was importing the
same tree, which the preload's rule forbids (CPython 3.11's module locks, cpython gh-83065 / gh-91351).

The child holds its preload thread just before that import (in an audit hook: no import lock taken), types a wrong
passphrase, presses Enter and records what the UI thread then imports; releases the preload; once the page says the
passphrase is wrong, types the right one and waits for the list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_child import ENTER_PASSPHRASE, RUN_MAIN_THEN_DRIVE, WHEN_HELD, run_app_script, tagged
from uihelpers import PASSPHRASE

UNLOCK_BESIDE_THE_PRELOAD = WHEN_HELD + ENTER_PASSPHRASE + """
import json, sys, threading
held, released, phase, on_ui_thread = threading.Event(), threading.Event(), ["start"], []
def hook(event, args):
    if event != "import":
        return
    thread = threading.current_thread()
    if thread is threading.main_thread() and phase[0] == "entered":
        on_ui_thread.append(args[0])
    if args[0] == "storage.key_helper" and thread.name == "preload" and not held.is_set():
        held.set()
        released.wait(100)  # set by the script; the bound only lets a failed script's child end
sys.addaudithook(hook)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    panel = window.unlock_panel
    window.unlocked.connect(lambda: (print("LISTED", window.case_list.model.rowCount()),
                                     QTimer.singleShot(0, QApplication.instance().quit)))
    def right_passphrase_once_refused():
        if panel.busy.isVisible() or not panel.error.text():
            QTimer.singleShot(10, right_passphrase_once_refused)
            return
        print("REFUSED", json.dumps(panel.error.text()))
        panel.passphrase_edit.clear()
        enter_passphrase(window, sys.argv[2])
    def wrong_passphrase_then_enter():
        phase[0] = "entered"
        enter_passphrase(window, sys.argv[2] + "x")
        phase[0] = "released"
        print("ON_UI_THREAD", json.dumps(on_ui_thread))
        print("BUSY_WHILE_HELD", json.dumps(panel.busy.isVisible()))
        released.set()
        right_passphrase_once_refused()
    when_held(held, released, wrong_passphrase_then_enter)
""" + RUN_MAIN_THEN_DRIVE


def _unlock_beside_the_held_preload(profile: Path, tmp_path: Path) -> dict[str, Any]:
    output = run_app_script(UNLOCK_BESIDE_THE_PRELOAD, str(profile), PASSPHRASE, home=tmp_path / "home")
    assert "NEVER_HELD" not in output, "the preload never reached storage.key_helper: this test tests nothing"
    return {tag: tagged(output, tag) for tag in ("ON_UI_THREAD", "BUSY_WHILE_HELD", "REFUSED", "LISTED")}


def test_enter_on_the_unlock_page_imports_nothing_on_the_ui_thread_before_the_preload_s_key_helper(
        demo_profile_dir: Path, tmp_path: Path) -> None:
    found = _unlock_beside_the_held_preload(demo_profile_dir, tmp_path)
    # on main: storage.key_helper, storage.kdf, … imported by the UI thread beside the preload thread
    assert found["ON_UI_THREAD"] == []
    assert found["BUSY_WHILE_HELD"] is True
    assert found["REFUSED"] == "Fel lösenfras. Kontrollera Caps Lock och försök igen."
    assert found["LISTED"] > 0
