"""A language put in while a background job translates (ui.i18n.install_language).

Qt holds its translators' lock while it asks each of them, and the app's own translator answers in Python, so a job
on the pool translating a list's sentences held that lock while it waited for the interpreter, and the UI thread,
holding the interpreter, waited in ``removeTranslator`` for the lock: both stopped for good (a whole test run hung
at its last test, in the fixture that puts the English back, beside the closed window's kept listing still being
made). Run in a child process: a hang is a timeout there, not a stuck suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from ui.common.worker import run_in_background
from ui.i18n import install_language, tr

app = QApplication([])
install_language("sv")
owner = QObject()
said = []

def translate_a_listing():
    for _ in range(20_000):  # a work list's sentences, as the kept listing makes them on the pool
        said.append(tr("Case list"))

for language in ("en", "sv") * 10:
    run_in_background(owner, translate_a_listing, lambda _result: None, lambda _error: None)
    install_language(language)
install_language("sv")  # waits for the last job
print("done", len(said))
"""


def test_a_language_put_in_beside_a_translating_job_does_not_hang() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["done", str(20 * 20_000)]
