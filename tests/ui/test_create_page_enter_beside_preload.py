"""Enter on the create page while the preload thread is still importing: the UI thread imports nothing beside it.

CPython 3.11's module locks can fail two threads importing the same package tree at once (cpython gh-83065,
gh-91351), so the unlock page's rule (``ui/unlock/preload.py``) is that neither the UI thread nor a worker imports
while the preload thread does. On main the create page's name check imported ``ibic.people`` (pydantic and the
domain's base models) on the UI thread at Enter, whatever the preload was doing: under load that was the
"unexpected error" at start, a window that never unlocked (docs/testing.md, s29-hang).

The child process holds its preload thread inside its import of ``storage.profile`` (that module's lock taken) until
the script releases it, types a name and the passphrase twice on the create page, presses Enter, records every
module the UI thread then asks the import system for, releases the preload and waits for the profile to open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_child import RUN_MAIN_THEN_DRIVE, WHEN_HELD, run_app_script, tagged
from uihelpers import PASSPHRASE

# A fictitious handläggare, Swedish letters typed key by key.
NAME = "Åsa Öberg-Lindqvist"

CREATE_BESIDE_THE_PRELOAD = WHEN_HELD + """
import importlib.machinery, json, sys, threading
held, released, phase, on_ui_thread = threading.Event(), threading.Event(), ["start"], []
class HeldLoader:
    '''storage.profile's own loader, whose running of the module waits until released: the preload thread is
    inside the import, that module's lock taken (not in find_spec, which runs under the global import lock).'''
    def __init__(self, loader):
        self.loader = loader
    def __getattr__(self, name):
        return getattr(self.loader, name)
    def create_module(self, spec):
        return self.loader.create_module(spec)
    def exec_module(self, module):
        held.set()
        released.wait(100)  # set by the script; the bound only lets a failed script's child end
        self.loader.exec_module(module)
class HoldThePreload:
    '''Sees every import (each asks sys.meta_path first) and holds the preload thread's of storage.profile.'''
    def find_spec(self, name, path=None, target=None):
        thread = threading.current_thread()
        if thread is threading.main_thread() and phase[0] == "entered":
            on_ui_thread.append(name)
        if name != "storage.profile" or thread.name != "preload":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        spec.loader = HeldLoader(spec.loader)
        return spec
sys.meta_path.insert(0, HoldThePreload())
from PySide6.QtCore import QEvent, QTimer, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
def type_text(widget, text):
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
def press(widget, key):
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    panel = window.unlock_panel
    def opened():
        print("USER_ID", json.dumps(window.session.profile.user_id))
        QTimer.singleShot(0, QApplication.instance().quit)
    window.unlocked.connect(opened)
    def type_then_enter():
        type_text(panel.name_edit, sys.argv[3])
        type_text(panel.passphrase_edit, sys.argv[2])
        type_text(panel.confirm_edit, sys.argv[2])
        phase[0] = "entered"
        press(panel.confirm_edit, Qt.Key.Key_Return)
        press(panel.confirm_edit, Qt.Key.Key_Return)  # a second Enter while the page waits starts nothing more
        phase[0] = "released"
        print("ON_UI_THREAD", json.dumps(on_ui_thread))
        print("WHILE_HELD", json.dumps({"busy": panel.busy.isVisible(), "name": panel.name_edit.text(),
                                        "error": panel.error.text()}))
        released.set()
    when_held(held, released, type_then_enter)
""" + RUN_MAIN_THEN_DRIVE


def _create_beside_the_held_preload(profile: Path, tmp_path: Path) -> dict[str, Any]:
    output = run_app_script(CREATE_BESIDE_THE_PRELOAD, str(profile), PASSPHRASE, NAME, home=tmp_path / "home")
    assert "NEVER_HELD" not in output, "the preload never reached storage.profile: this test tests nothing"
    return {tag: tagged(output, tag) for tag in ("ON_UI_THREAD", "WHILE_HELD", "USER_ID")}


def test_enter_on_the_create_page_imports_nothing_on_the_ui_thread_while_the_preload_imports(
        profile_dir: Path, tmp_path: Path) -> None:
    found = _create_beside_the_held_preload(profile_dir, tmp_path)
    # on main: ibic.people, ibic.base, pydantic and its internals, ui.common.worker, … beside the preload thread
    assert found["ON_UI_THREAD"] == []
    assert found["WHILE_HELD"] == {"busy": True, "name": NAME, "error": ""}  # waiting, nothing typed lost
    assert found["USER_ID"] == NAME  # created as typed, once the preload was done
