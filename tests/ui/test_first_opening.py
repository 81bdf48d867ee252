"""The first case after the unlock (issue 14, the memory row; ``ui.case_opening``).

The unlocked list holds neither the workspace (its navigator) nor the session's models: a fresh main.py process,
unlocked and searched (the search selects a row by itself), has imported none of the window's modules that bring
them. The person's first key in the case table starts their import on a worker; Enter right after it (before they
are in) returns at once, the event loop runs on, and the case asked for opens once they are in. A double click on a
row opens it the same way. Nor is pydantic imported before the first opening (the memory row's guard: plan step 2,
docs/architecture.md; the store and the list import no model, the session loads the reference data at its first use).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app_child import (
    ENTER_PASSPHRASE,
    ENTER_THEN_LISTED,
    REPO,
    RUN_MAIN_THEN_DRIVE,
    WHEN_IDLE,
    run_app_script,
    tagged,
)
from uihelpers import PASSPHRASE

# The window's modules that bring the domain's models (and the models' modules only they bring).
WATCHED = ("pydantic", "ibic.reference", "ui.workspace.navigator", "ui.workspace.workspace", "ibic.workflow",
           "ibic.case_actions", "ibic.field_labels")
DRIVE = WHEN_IDLE + ENTER_PASSPHRASE + """
import json, sys
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
WATCHED = {watched}
def loaded():
    return [name for name in WATCHED if name in sys.modules]
def opened_then(window, then):
    if window.workspace is not None and window.stack.currentWidget() is window.workspace:
        then()
    else:
        QTimer.singleShot(10, lambda: opened_then(window, then))
def shown():
    row = page.table.currentIndex().row()
    print("ASKED", json.dumps(page.shown.case_id(row)))
    print("OPENED", json.dumps(window.workspace.opened.case.id))
    print("AFTER", json.dumps(loaded()))
    QApplication.instance().quit()
{how}
def drive():
    global window
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def listed():
        global page
        page = window.case_list
        QTest.keyClicks(page.search, "a")  # a search: its first row is selected by the program, not by hand
        print("SEARCHED", json.dumps(page.shown.rowCount()))
        page.search.clear()
        print("LOADED", json.dumps(loaded()))
        page.table.setFocus()
        HOW()
""" + ENTER_THEN_LISTED + RUN_MAIN_THEN_DRIVE
# Arrow then Enter, as a keyboard user opens a case; Enter comes while the models are still imported.
ARROW_THEN_ENTER = """
def HOW():
    QTest.keyClick(page.table, Qt.Key.Key_Down)
    QTest.keyClick(page.table, Qt.Key.Key_Down)
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    print("AT_ONCE", json.dumps(window.workspace is not None))
    opened_then(window, shown)
"""
DOUBLE_CLICK = """
def HOW():
    table = page.table
    centre = table.visualRect(table.model().index(2, 1)).center()
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    print("AT_ONCE", json.dumps(window.workspace is not None))
    opened_then(window, shown)
"""

# A key in the table starts the models' worker; Ctrl+N right after it waits for the worker's imports, then shows the
# dialog, which takes what is typed next (the keys wait for the dialog: none go to the list).
KEY_THEN_NEW_CASE = """
def HOW():
    from PySide6.QtWidgets import QApplication
    def in_dialog():
        dialog = QApplication.activeModalWidget()
        print("DIALOG", json.dumps(dialog.objectName() if dialog is not None else None))
        if dialog is not None:
            QTest.keyClicks(dialog.given_name, "Tolvan")
            print("TYPED", json.dumps([dialog.given_name.text(), page.search.text()]))
            dialog.reject()
        QApplication.instance().quit()
    QTest.keyClick(page.table, Qt.Key.Key_Down)
    QTimer.singleShot(0, in_dialog)
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
"""

# Enter, then Ctrl+L at once (the models' worker importing): the lock imports nothing on the UI thread (its dialogs'
# classes imported there beside the worker brought the models: two threads importing at once, PYSIDE-3054), and the
# case asked for is not opened behind the lock screen once the workspace is in.
ENTER_THEN_LOCK = """
def HOW():
    import importlib._bootstrap as bootstrap, threading
    imported, find_and_load = [], bootstrap._find_and_load
    def recorded(name, import_):
        if name not in sys.modules and threading.current_thread() is threading.main_thread():
            imported.append(name)
        return find_and_load(name, import_)
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    QTest.keyClicks(page.table, "xy")  # held for the case, then dropped by the lock
    bootstrap._find_and_load = recorded
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    bootstrap._find_and_load = find_and_load
    print("LOCK_IMPORTED", json.dumps(imported))
    QTest.keyClicks(window.unlock_panel.passphrase_edit, "pw")  # the passphrase's first keys: typed there at once
    print("PASSPHRASE", json.dumps(window.unlock_panel.passphrase_edit.text()))
    def shown():
        print("SHOWN", json.dumps([window.workspace is not None, window.stack.currentWidget() is window.unlock_panel]))
        QApplication.instance().quit()
    def after_the_import():  # the workspace's last module in; its opening's turn is queued: a zero timer runs after it
        if "ui.workspace.workspace" not in sys.modules or window.opening._importing:
            QTimer.singleShot(10, after_the_import)
            return
        QTimer.singleShot(0, shown)
    after_the_import()
"""

# Enter in the search field, then keys typed at once (the case not on screen yet): they go to the case once it is
# shown, as when it opened in the same turn, not into the search field (hidden behind the case a moment later).
SEARCH_ENTER_THEN_TYPE = """
def HOW():
    from PySide6.QtCore import QEvent, QObject
    received = []
    class Receivers(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.KeyPress and watched is QApplication.focusWidget():
                received.append((event.text(), watched))
            return False
    global receivers  # kept: a filter collected is removed
    receivers = Receivers()
    QApplication.instance().installEventFilter(receivers)
    page.search.setFocus()
    QTest.keyClicks(page.search, "a")
    QTest.keyClick(page.search, Qt.Key.Key_Return)
    QTest.keyClicks(QApplication.focusWidget(), "xyz")
    def typed():
        print("SEARCH", json.dumps(page.search.text()))
        print("TO_THE_CASE", json.dumps([text for text, widget in received if window.workspace.isAncestorOf(widget)]))
        QApplication.instance().quit()
    opened_then(window, typed)
"""

def _first_opening(how: str, profile: Path, home: Path) -> dict[str, object]:
    script = DRIVE.replace("{how}", how).replace("{watched}", repr(WATCHED))
    output = run_app_script(script, str(profile), PASSPHRASE, home=home)
    return {tag: tagged(output, tag) for tag in ("SEARCHED", "LOADED", "AT_ONCE", "ASKED", "OPENED", "AFTER")}


def test_arrow_then_enter_right_after_the_unlock_opens_the_case_the_models_imported_only_then(
        demo_profile_dir: Path, tmp_path: Path) -> None:
    found = _first_opening(ARROW_THEN_ENTER, demo_profile_dir, tmp_path / "home")
    assert found["SEARCHED"] > 0
    assert found["LOADED"] == []  # on main all but the workspace: the preload's navigator, the session, sync's labels
    assert found["AT_ONCE"] is False  # Enter returned before the models were in: the UI thread did not import them
    assert found["OPENED"] == found["ASKED"]
    assert set(found["AFTER"]) >= {"pydantic", "ibic.reference", "ui.workspace.navigator", "ui.workspace.workspace",
                                   "ibic.workflow"}


def test_a_double_click_right_after_the_unlock_opens_that_case(demo_profile_dir: Path, tmp_path: Path) -> None:
    found = _first_opening(DOUBLE_CLICK, demo_profile_dir, tmp_path / "home")
    assert found["LOADED"] == []
    assert found["AT_ONCE"] is False
    assert found["OPENED"] == found["ASKED"]


def test_new_case_right_after_the_list_is_touched_shows_its_dialog_and_takes_the_keys(demo_profile_dir: Path,
                                                                                      tmp_path: Path) -> None:
    script = DRIVE.replace("{how}", KEY_THEN_NEW_CASE).replace("{watched}", repr(WATCHED))
    output = run_app_script(script, str(demo_profile_dir), PASSPHRASE, home=tmp_path / "home")
    assert tagged(output, "LOADED") == []
    assert tagged(output, "DIALOG") == "newCaseDialog"
    assert tagged(output, "TYPED") == ["Tolvan", ""]


def test_the_step_names_the_go_menu_takes_are_the_workflow_s_steps() -> None:
    """The Go menu is built at the unlock from ``ui.workspace.steps``, without ``ibic.workflow``'s models."""
    from ibic.workflow import Step
    from ui.workspace.steps import STEP_VALUES

    assert list(STEP_VALUES) == [step.value for step in Step]


def test_the_workspace_s_modules_one_a_turn_bring_nothing_else() -> None:
    """``ui.case_opening``: after the worker's ``MODEL_MODULES``, each of ``WORKSPACE_MODULES`` imported in turn (on
    the UI thread, one a turn of the event loop) brings only itself: nothing of the domain or the store is left to
    the UI thread, and no turn imports more than one module of the workspace (in a fresh process)."""
    code = (
        "import importlib, json, sys\n"
        "import ui.main_window\n"
        "import ui.workspace.steps  # the Go menu's, at the unlock\n"
        "from ui.unlock.preload import MODULES, WINDOW_MODULES\n"
        "from ui.case_opening import MODEL_MODULES, WORKSPACE_MODULES\n"
        "for name in (*MODULES, *WINDOW_MODULES, *MODEL_MODULES):\n"
        "    importlib.import_module(name)\n"
        "brought = {}\n"
        "for name in WORKSPACE_MODULES:\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(name)\n"
        "    brought[name] = sorted(set(sys.modules) - before - {name})\n"
        "print(json.dumps(brought))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-3000:]
    brought = json.loads(result.stdout)
    packages = {"ui.assessment"}  # a package's __init__ comes with its first module
    assert {name: extra for name, extra in brought.items() if set(extra) - packages} == {}


def test_a_lock_right_after_enter_imports_nothing_and_opens_no_case_behind_it(demo_profile_dir: Path,
                                                                            tmp_path: Path) -> None:
    """Fails on s24-memui dcefeaa: the lock imported the new-case and passphrase dialogs (and with them
    ``ibic.case_actions``) on the UI thread while the worker imported the models."""
    script = DRIVE.replace("{how}", ENTER_THEN_LOCK).replace("{watched}", repr(WATCHED))
    output = run_app_script(script, str(demo_profile_dir), PASSPHRASE, home=tmp_path / "home")
    assert tagged(output, "LOADED") == []
    assert tagged(output, "LOCK_IMPORTED") == []
    assert tagged(output, "PASSPHRASE") == "pw"
    assert tagged(output, "SHOWN") == [False, True]  # no workspace; the unlock page on screen


def test_keys_typed_while_the_first_case_is_awaited_go_to_the_case_not_the_search(demo_profile_dir: Path,
                                                                                 tmp_path: Path) -> None:
    """Fails on s24-memui dcefeaa: the search field took them ("axyz"), the case none. (Held by any widget the
    event went through, the search field's Enter, passed on to its page, was given to the case too.)"""
    script = DRIVE.replace("{how}", SEARCH_ENTER_THEN_TYPE).replace("{watched}", repr(WATCHED))
    output = run_app_script(script, str(demo_profile_dir), PASSPHRASE, home=tmp_path / "home")
    assert tagged(output, "LOADED") == []
    assert tagged(output, "SEARCH") == "a"
    assert tagged(output, "TO_THE_CASE") == ["x", "y", "z"]  # the Enter that asked for it is not given again


# The models' worker held inside its imports (a module of its own first in MODEL_MODULES that waits), then a UI path
# that imports modules of its own. The UI thread's first import of a module not yet loaded lets the worker go on
# (``released``) and is recorded if it reaches Python's import machinery before the worker's imports are done: two
# threads importing at once (PySide6's import hook lost or mixed, PYSIDE-3054; pydantic's "partially initialized
# module"; CPython's module locks). The path's outcome is printed as SHOWN, the worker's as WORKER (``FAILS``: its
# held import raises once let go), and what the gate's logger said as GAVE_WAY: its way out after ``LONGEST_WAIT_S``
# also lets the import through once the worker is done, so only the log tells a gate the worker never opened.
HELD_WORKER = """
import importlib._bootstrap as bootstrap, importlib.abc, importlib.machinery, logging, threading
import ui.case_opening as case_opening
entered, released, worker_done = threading.Event(), threading.Event(), threading.Event()
FAILS, worker, gave_way = False, [], []
class GaveWay(logging.Handler):
    def emit(self, record):
        gave_way.append(record.getMessage())
logging.getLogger("ui.import_gate").addHandler(GaveWay())
class Held(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        return importlib.machinery.ModuleSpec(name, self) if name == "held_models_import" else None
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        entered.set()
        released.wait()
        if FAILS:
            raise ImportError("held_models_import failed")
sys.meta_path.insert(0, Held())
case_opening.MODEL_MODULES = ("held_models_import", *case_opening.MODEL_MODULES)
models = case_opening._import_models
def import_models():
    try:
        models()
        worker.append("done")
    except ImportError:
        worker.append("failed")
        raise
    finally:
        worker_done.set()
case_opening._import_models = import_models
beside = []
def on_the_ui_thread():
    return threading.current_thread() is threading.main_thread()
def recording(under):
    def find_and_load(name, import_):
        if on_the_ui_thread() and name not in sys.modules and entered.is_set() and not worker_done.is_set():
            beside.append(name)
        return under(name, import_)
    return find_and_load
def releasing(under):
    def find_and_load(name, import_):
        if on_the_ui_thread():
            released.set()
        return under(name, import_)
    return find_and_load
def HOW():
    bootstrap._find_and_load = recording(bootstrap._find_and_load)  # under what the opening may put in place
    QTest.keyClick(page.table, Qt.Key.Key_Down)  # the first touch: the worker starts
    entered.wait()
    bootstrap._find_and_load = releasing(bootstrap._find_and_load)
    print("SHOWN", json.dumps(ACT()))
    print("BESIDE", json.dumps(sorted(set(beside))))
    worker_done.wait()
    print("WORKER", json.dumps(worker))
    print("GAVE_WAY", json.dumps(gave_way))
    QApplication.instance().quit()
"""
ABOUT = """
def ACT():
    window.action_about.trigger()
    return [type(widget).__name__ for widget in QApplication.topLevelWidgets() if widget.isVisible()
            and type(widget).__name__ == "AboutDialog"]
"""
REPORT = """
def ACT():
    next(iter(window.reports.actions.values())).trigger()
    return type(window.reports.dialog).__name__
"""
MODAL = """
def modal_shown(open_it):
    seen = []
    def close_it():  # on the dialog's own event loop
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.objectName() if dialog is not None else None)
        if dialog is not None:
            dialog.reject()
    QTimer.singleShot(0, close_it)
    open_it()
    return seen
"""
CONFLICTS = MODAL + """
def ACT():
    return modal_shown(window.action_conflicts.trigger)
"""
FAILING = """
FAILS = True
"""
# Nytt ärende by its keys (its own wait for the worker gave way to the gate).
NEW_CASE = MODAL + """
def ACT():
    return modal_shown(lambda: QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier))
"""
SYNC_FAILED = """
def ACT():
    from sync.errors import Offline  # the test's own: loaded before the window's
    window.sync.controller.sync_failed.emit(Offline("unreachable"))
    return [bool(window.statusBar().currentMessage()), "PySide6.QtNetwork" in sys.modules]
"""


def test_a_ui_path_that_imports_while_the_models_worker_imports_waits_for_it(demo_profile_dir: Path,
                                                                              tmp_path: Path) -> None:
    """Om Hembesök, a report and the sync's conflicts (their menu actions), a failed sync (the controller's signal as
    the window receives it) and Nytt ärende (Ctrl+N), each while the first opening's worker is inside its imports:
    their modules come in once the worker's imports are done, and each path still does what it does. Fails on main
    (ae9fd3e): the UI thread imported ``ui.about``, the report dialog's modules, ``ibic.field_labels`` and the
    conflicts' dialog, ``PySide6.QtNetwork`` beside the worker. (Nytt ärende waited there for the worker before any
    import, so that the worker held here was never let go: the child hangs on main.) The worker opens the gate
    itself, its imports ok or failed: not the gate's way out after 30 s, which would let the import through as late
    and pass the rest unseen (s25-rimports: checked by taking ``gate.open()`` out of the worker)."""
    outcomes = {"about": (ABOUT, ["AboutDialog"]), "report": (REPORT, "ReportDialog"),
                "conflicts": (CONFLICTS, ["conflictDialog"]), "sync failed": (SYNC_FAILED, [True, True]),
                "new case": (NEW_CASE, ["newCaseDialog"]),
                "about, the worker failing": (FAILING + ABOUT, ["AboutDialog"])}
    for name, (act, shown) in outcomes.items():
        script = DRIVE.replace("{how}", HELD_WORKER + act).replace("{watched}", repr(WATCHED))
        output = run_app_script(script, str(demo_profile_dir), PASSPHRASE, home=tmp_path / name)
        assert tagged(output, "LOADED") == [], name
        assert tagged(output, "SHOWN") == shown, name
        assert tagged(output, "BESIDE") == [], name
        assert tagged(output, "WORKER") == ["failed" if act.startswith(FAILING) else "done"], name
        assert tagged(output, "GAVE_WAY") == [], name  # the worker opened the gate, ok or not: no 30 s fallback
