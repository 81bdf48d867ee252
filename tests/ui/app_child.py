"""main.py in a fresh interpreter, as started from a desktop: a script drives the window and prints tagged JSON lines.

Tests that ask what a new process does (what it imports, on which thread, what it keeps in memory) cannot ask the
test process, which has imported everything already. The child gets config, data, state and cache folders of its
own under ``home`` and the offscreen platform.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FOLDERS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")
# ``when_idle(window, then)``: ``then()`` once the unlocked window's day's upkeep is done and no worker is left.
WHEN_IDLE = """
def when_idle(window, then):
    from PySide6.QtCore import QThreadPool, QTimer
    job = window._upkeep_job
    if job is not None and not job.running and QThreadPool.globalInstance().activeThreadCount() == 0:
        then()
    else:
        QTimer.singleShot(20, lambda: when_idle(window, then))
"""
# The end of a script's ``drive()`` (inside it, after its ``listed()``): the passphrase (sys.argv[2]) typed into the
# unlock page and Enter pressed once the event loop runs (``ENTER_PASSPHRASE``, which the script includes);
# ``listed()`` once the unlocked window is idle. The script imports sys and QTimer.
ENTER_THEN_LISTED = """
    window.unlocked.connect(lambda: when_idle(window, listed))
    QTimer.singleShot(300, lambda: enter_passphrase(window, sys.argv[2]))
"""
# ``when_held(held, released, then)``: ``then()`` once the script's ``held`` event is set (a thread it holds part-way
# until it sets ``released``); after a minute it prints NEVER_HELD instead, releases the thread and quits.
WHEN_HELD = """
def when_held(held, released, then):
    import json, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    deadline = time.monotonic() + 60
    def poll():
        if held.is_set():
            then()
        elif time.monotonic() > deadline:
            print("NEVER_HELD", json.dumps(True))
            released.set()
            QApplication.instance().quit()
        else:
            QTimer.singleShot(10, poll)
    poll()
"""
# ``enter_passphrase(window, passphrase)``: typed into the unlock page, then Enter, as a person unlocks.
ENTER_PASSPHRASE = """
def enter_passphrase(window, passphrase):
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    edit = window.unlock_panel.passphrase_edit
    edit.insert(passphrase)
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier))
"""
# The end of a script that drives the window: its ``drive()`` runs once main.py's event loop has started
# (``original_exec`` is QApplication.exec, kept by the script before it is replaced), the profile in sys.argv[1].
RUN_MAIN_THEN_DRIVE = """
def exec_and_drive():
    QTimer.singleShot(0, drive)
    return original_exec()
QApplication.exec = staticmethod(exec_and_drive)
import main
main.main(["--profile", sys.argv[1]])
"""

# main.py as started from a desktop, left running (``start_app``): says when its window is up (the profile held),
# and quits when told to (a line on stdin), then prints main's exit code.
APP_UNTIL_TOLD = """
import sys
from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
def exec_and_wait():
    app = QApplication.instance()
    QTimer.singleShot(0, lambda: print("SHOWN", flush=True))
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(app.quit)
    return original_exec()
QApplication.exec = staticmethod(exec_and_wait)
import main
print("RC", main.main(["--profile", sys.argv[1]]), flush=True)
"""


def start_app(profile: Path, home: Path, script: str = APP_UNTIL_TOLD) -> subprocess.Popen[str]:
    """``script`` (by default ``APP_UNTIL_TOLD``) started on ``profile``, returned once its window is up."""
    folders = {name: str(home / name.lower()) for name in FOLDERS}
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(profile)], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True, env={**os.environ, **folders, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "SHOWN"
    return child


def run_app_script(script: str, *arguments: str, home: Path) -> str:
    """Run ``script`` (it imports main and calls main.main) with ``arguments`` as sys.argv[1:]; its standard output.
    A child that fails fails the test with the end of its standard error."""
    return run_app_script_streams(script, *arguments, home=home)[0]


def run_app_script_streams(script: str, *arguments: str, home: Path, x11: bool = False) -> tuple[str, str]:
    """``run_app_script``'s standard output and standard error, for a test of what the child writes to the latter.
    ``x11``: on the xcb platform in a virtual X server (``xvfb-run``, as ``tests/installer`` does), for what the
    offscreen platform lacks (the X11 selection that a middle-click pastes)."""
    folders = {name: str(home / name.lower()) for name in FOLDERS}
    command = [sys.executable, "-c", script, *arguments]
    try:
        result = subprocess.run(
            ["xvfb-run", "-a", *command] if x11 else command, cwd=REPO, capture_output=True, text=True, timeout=120,
            env={**os.environ, **folders, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "xcb" if x11 else "offscreen"},
        )
    except subprocess.TimeoutExpired as hung:  # the end of its standard error, not the script cut to a few lines
        stderr = hung.stderr.decode("utf-8", "replace") if isinstance(hung.stderr, bytes) else hung.stderr or ""
        raise AssertionError(f"the child hung for {hung.timeout} s; its stderr ends:\n{stderr[-3000:]}") from None
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, result.stderr


def tagged(output: str, tag: str) -> Any:
    """The JSON value of the one line the child printed as ``TAG value``."""
    [line] = [line for line in output.splitlines() if line.startswith(tag + " ")]
    return json.loads(line.removeprefix(tag + " "))


def verified_audit_entries(directory: Path, passphrase: str) -> int:
    """How many audit entries the profile holds, its chain verified in this process (OpenSSL's hashes, where a child
    started through main.py hashes with Python's built-in ones: the two must agree)."""
    from storage.profile import unlock_profile

    profile = unlock_profile(directory, passphrase, backup=False)
    try:
        verification = profile.audit.verify()
        assert verification.ok, verification
        return verification.checked
    finally:
        profile.lock()
