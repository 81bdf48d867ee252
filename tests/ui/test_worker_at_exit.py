"""A process that ends with a background job still running (a script, a test run, the layout probe; the app itself
waits in ``ui.app.run``) delivers the job before PySide's exit clean-up: it raised "RuntimeError: Signal source has
been deleted" on the worker thread, and the result's ``unclaimed`` (an unlock's store, closed) never ran (s23)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import atexit, sys, threading
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from ui.common.worker import run_in_background

app = QApplication(sys.argv[:1])
owner = QObject()
exiting = threading.Event()
# The job lets go only once the process is exiting, so it is still running at exit however slow the machine is.
run_in_background(owner, lambda: exiting.wait(60) and "store", print, print,
                  unclaimed=lambda value: print(f"unclaimed {value} closed", flush=True))
atexit.register(exiting.set)  # registered last, so it runs first of the exit handlers
sys.exit(0)  # no event loop ran: the job is delivered at exit or never
"""


def test_a_job_running_at_exit_is_delivered_to_unclaimed_and_raises_nothing() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["unclaimed store closed"]
