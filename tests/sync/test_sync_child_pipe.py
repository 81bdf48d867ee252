"""The sync child's pipes (``sync.child``): its standard input stays open for the run and its closing ends the
child, so a window that dies mid-sync takes its child along; only the child's answers reach its standard output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from child_faults import inject, marked
from sync_support import PASSPHRASE, Env, make_laptop
from test_main_window_sync import _alive, _unlock, _window

import sync.child
from sync.server.dev import DEMO_USER

REPO = Path(__file__).resolve().parents[2]
TESTS_UI = REPO / "tests" / "ui"
# main.py as started from a desktop, on the profile in sys.argv[1]; the passphrase (sys.argv[2]) typed and Enter
# pressed; every sync child started the way sys.argv[3] says (a fault of ``child_faults``). It runs until killed.
WINDOW_SYNCING = """
import sys
sys.path.insert(0, sys.argv[4])
from app_child import ENTER_PASSPHRASE, RUN_MAIN_THEN_DRIVE
exec(ENTER_PASSPHRASE)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import sync.child
sync.child._BOOT = sys.argv[3]
original_exec = QApplication.exec
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    QTimer.singleShot(300, lambda: enter_passphrase(window, sys.argv[2]))
exec(RUN_MAIN_THEN_DRIVE)
"""


def _until(condition: Any, what: str, limit_s: float = 90.0) -> None:
    deadline = time.monotonic() + limit_s
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_when_the_window_is_killed_mid_sync_its_sync_child_ends_too(env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """The window's process killed (SIGKILL: the system, a crash, Task Manager) while its sync child waits between
    two attempts on a dead network: the child ends as its standard input closes. Fails on main, where the child
    had read its input to the end and waited on (here ten minutes) with the store open, beside the next window."""
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.profile.lock()
    faults = tmp_path / "faults"
    inject(monkeypatch, faults, "refused_then_long_wait")
    machine = tmp_path / "machine-settings.toml"
    machine.write_text(f'[sync]\nserver_url = "{env.base_url}"\n', encoding="utf-8")
    home = tmp_path / "home"
    folders = {name: str(home / name.lower())
               for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")}
    window = subprocess.Popen(
        [sys.executable, "-c", WINDOW_SYNCING, str(tmp_path / "profile"), PASSPHRASE, sync.child._BOOT, str(TESTS_UI)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, **folders, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen",
             "HEMBESOK_MACHINE_SETTINGS": str(machine)})
    child = 0
    try:
        _until(lambda: marked(faults, "waiting") or window.poll() is not None, "the sync child never waited")
        assert window.poll() is None, window.communicate()[1][-3000:]
        [pid] = marked(faults, "pids")
        child = int(pid)
        window.kill()
        window.wait()
        _until(lambda: not _alive(child), "the sync child outlived its window")
    finally:
        if window.poll() is None:
            window.kill()
            window.wait()
        if child and _alive(child):
            os.kill(child, signal.SIGKILL)
        assert window.stderr is not None
        window.stderr.close()


def test_a_print_in_the_sync_child_does_not_break_its_answer(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """A line printed to standard output inside the child (a library's stray print) goes nowhere, not between the
    child's JSON answers: the sync succeeds. Fails on main: the run failed as "an answer that is not JSON"."""
    faults = tmp_path / "faults"
    inject(monkeypatch, faults, "prints_while_syncing")
    window = _window(qtbot, env, tmp_path)
    _unlock(qtbot, window)
    controller = window.sync.controller
    qtbot.waitUntil(lambda: not controller.running and (
        controller.status.state == "failed" or controller.status.last_synced_at is not None), timeout=60_000)
    assert marked(faults, "printed")
    assert controller.status.state == "idle" and controller.status.last_synced_at is not None
    window.session.lock() if window.session else None
