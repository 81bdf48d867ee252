"""Issue 14, cold start: what is left until after the unlock page is shown still works when it is needed.

The unlock page comes up without Qt's namespace enums built, without tomllib (the catalogue is read from its
cached copy), without logging.handlers and without the idle filter on the application; the idle lock still sees
every key press from the first unlocked moment, whichever way the profile was opened. Nor are the Qt classes it
does not show created (the binding creates a class, with its enums, when a name is first used): its menus still
have their shortcuts.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from app_child import REPO, run_app_script, tagged
from PySide6.QtCore import Qt
from uihelpers import CASEWORKER, PASSPHRASE, type_text, unlock

# main.py as started from a desktop; when its event loop starts (the unlock page is shown) it says what was done.
STATE_WHEN_SHOWN = """
import json, sys
import PySide6.QtCore as QtCore
from PySide6.QtWidgets import QApplication
def report_then_quit():
    from PySide6 import QtGui, QtWidgets
    # Read first: the shortcuts below create QKeySequence.
    classes = sorted(name for module in (QtCore, QtGui, QtWidgets) for name, value in vars(module).items()
                     if isinstance(value, type))
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    shortcuts = sorted(key.toString() for action in window.findChildren(QtGui.QAction) for key in action.shortcuts())
    print("STATE", json.dumps({"modules": sorted(sys.modules), "qt_enums_built": "Qt" in vars(QtCore),
                               "heading": window.unlock_panel.heading.text(),
                               "idle_filter": window.idle.watching, "qt_classes": classes,
                               "shortcuts": shortcuts}))
    return 0
QApplication.exec = staticmethod(report_then_quit)
import main
main.main(["--profile", sys.argv[1]])
"""
# main.py as started from a desktop (nothing loads PySide6 before it does); at exit, the source files read so far,
# those the preload's first clearing of ``linecache`` dropped too: a start slower than PRELOAD_DELAY_MS (a busy
# machine) runs the preload in the event loop's first turn, beside --quit-when-shown's quit, and it left nothing.
SOURCES_READ = """
import atexit, json, linecache, sys
read = set()
clear = linecache.clearcache
def clear_after_noting():  # the preload drops the lines it finds, PRELOAD_DELAY_MS after the window is made
    read.update(linecache.cache)
    clear()
linecache.clearcache = clear_after_noting
atexit.register(lambda: print("READ", json.dumps(sorted(read | set(linecache.cache)))))
import main
sys.exit(main.main(["--profile", sys.argv[1], "--quit-when-shown"]))
"""
# main.py from a desktop; when the unlock page is shown, and again once the collector runs (polled, then quit).
COLLECTOR = """
import gc, json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
seen = {}
original_exec = QApplication.exec
def exec_and_watch():
    seen["enabled_when_shown"] = gc.isenabled()
    seen["frozen_when_shown"] = gc.get_freeze_count()
    def check():
        if gc.isenabled():
            seen["frozen_later"] = gc.get_freeze_count()
            QApplication.instance().quit()
    timer = QTimer(QApplication.instance())
    timer.timeout.connect(check)
    timer.start(5)
    return original_exec()
QApplication.exec = staticmethod(exec_and_watch)
import main
main.main(["--profile", sys.argv[1]])
print("SEEN", json.dumps(seen))
"""
# Standard library modules the unlock page's modules name in their imports after PySide6 is loaded.
NAMED_BY_THE_PAGE = ("typing", "logging", "pathlib", "os", "functools", "contextlib")
LEFT_FOR_LATER = ("tomllib", "logging.handlers", "platformdirs", "dataclasses", "datetime")
# Classes the unlock page does not draw with, each up to a few ms (QEvent's enum has ~180 members, QIcon's ~150,
# QKeySequence's ~70); the passphrase rules are for creating a profile, the preload starts after the page is up.
CLASSES_FOR_LATER = ("QEvent", "QIcon", "QKeySequence", "QMessageBox", "QDialog", "QPlainTextEdit", "QScrollArea",
                     "QProxyStyle")
# The menus' walkable style builds QStyle's enums (~7 ms): at a menu's first opening (s31).
MODULES_FOR_LATER = ("storage.passphrase", "unicodedata", "ui.unlock.preload", "ui.common.menu_style")
MENU_SHORTCUTS = [
    "Ctrl+,", "Ctrl+E", "Ctrl+L", "Ctrl+N", "Ctrl+P", "Ctrl+Q", "Ctrl+Shift+F", "Ctrl+Shift+P", "Ctrl+Shift+S",
    "Ctrl+T", "F1",
]


def _state_when_shown(profile: Path, home: Path) -> dict[str, object]:
    state: dict[str, object] = tagged(run_app_script(STATE_WHEN_SHOWN, str(profile), home=home), "STATE")
    return state


def test_the_unlock_page_leaves_enums_catalogue_parser_log_file_and_idle_filter_for_later(
    demo_profile_dir: Path, tmp_path: Path
) -> None:
    first = _state_when_shown(demo_profile_dir, tmp_path / "home")  # parses the catalogue and caches it
    assert first["heading"] == "Hembesök" and "tomllib" in first["modules"]  # type: ignore[operator]
    again = _state_when_shown(demo_profile_dir, tmp_path / "home")
    assert again["heading"] == "Hembesök"  # Swedish, from the cached catalogue
    assert sorted(name for name in LEFT_FOR_LATER if name in again["modules"]) == []  # type: ignore[operator]
    assert again["qt_enums_built"] is False and again["idle_filter"] is False


def test_the_unlock_page_creates_no_qt_class_it_does_not_draw_and_its_menus_keep_their_shortcuts(
    demo_profile_dir: Path, tmp_path: Path
) -> None:
    state = _state_when_shown(demo_profile_dir, tmp_path / "home")
    assert state["heading"] == "Hembesök"
    assert sorted(set(CLASSES_FOR_LATER) & set(state["qt_classes"])) == []  # type: ignore[arg-type]
    assert "QMainWindow" in state["qt_classes"]  # type: ignore[operator]
    assert sorted(set(MODULES_FOR_LATER) & set(state["modules"])) == []  # type: ignore[arg-type]
    assert state["shortcuts"] == MENU_SHORTCUTS


def test_pyside_reads_no_standard_library_source_before_the_unlock_page(demo_profile_dir: Path, tmp_path: Path) -> None:
    """PySide's import hook reads the source of each module first named after it is loaded, looking for a
    ``__feature__`` import: the standard library's ~400 KB are not read (ui/binding.py), the app's own still are."""
    read = set(tagged(run_app_script(SOURCES_READ, str(demo_profile_dir), home=tmp_path / "home"), "READ"))
    named = {name: importlib.import_module(name).__file__ for name in NAMED_BY_THE_PAGE}
    assert sorted(name for name, path in named.items() if path in read) == []
    assert str(REPO / "ui" / "main_window.py") in read  # PySide still decides for the app's modules


def test_the_cycle_collector_waits_until_the_unlock_page_is_up(demo_profile_dir: Path, tmp_path: Path) -> None:
    """The start's objects live as long as the process: no collection walks them before the page is shown; then
    they are frozen (as after a listing) and the collector runs again while the passphrase is typed."""
    seen = tagged(run_app_script(COLLECTOR, str(demo_profile_dir), home=tmp_path / "home"), "SEEN")
    assert seen["enabled_when_shown"] is False and seen["frozen_when_shown"] == 0
    assert seen["frozen_later"] > 10_000


def _activity_restarts_the_idle_timer(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Right after unlock: a key press in the list's search field starts the countdown again."""
    window.idle.set_interval_ms(4_000)
    window.idle.start()
    # A quarter of the countdown gone (a coarse timer reads up to 5 % short right after a start).
    qtbot.waitUntil(lambda: 0 < window.idle.remaining_ms() < 3_000, timeout=10_000)
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_A)
    assert window.idle.remaining_ms() > 3_500  # started again by the key
    window.idle.set_interval_ms(300)
    window.idle.start()
    with qtbot.waitSignal(window.locked, timeout=10_000):
        pass  # and with nothing pressed it locks


def test_a_key_pressed_right_after_unlock_keeps_the_idle_lock_away(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    _activity_restarts_the_idle_timer(qtbot, demo_window)


def test_a_new_profile_is_watched_for_activity_too(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Creating a profile never passes through the unlock worker's start, where the filter is usually put."""
    panel = window.unlock_panel
    type_text(panel.name_edit, CASEWORKER)
    type_text(panel.passphrase_edit, PASSPHRASE)
    type_text(panel.confirm_edit, PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=30_000):
        qtbot.keyClick(panel.confirm_edit, Qt.Key.Key_Return)
    _activity_restarts_the_idle_timer(qtbot, window)
