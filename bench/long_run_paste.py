"""A pasted blob without spaces in a life area's text (s32-edges): the process CPU of Ctrl+V of 200,000 characters
with no space (a code, an encoded file) until Qt has laid it out, of one key typed at its end, and of a change of the
window's width, each against the same paste of words of the same length (the floor, in the same process); and the
same for a text of words with the blob in the middle of it ("mixed": 100,000 characters of each, one paragraph). Qt's
word-boundary wrap searched the rest of an unbroken run at every line it broke (quadratic in the run's length);
``ui.common.text_area`` lays such a run out wrapped anywhere and, since s33, the words around it at word
boundaries, line by line. Not a goal row.

Each measurement is a fresh process over the real window holding the fully filled case (``bench_autosave``'s), the
code under test given by the trees named (``PYTHONPATH``), run alternately A B B A ...; CPU by
``time.process_time`` (the machine is shared: CPU resolves better than wall).

Run: QT_QPA_PLATFORM=offscreen python3 -m bench.long_run_paste [--runs N] [TREE ...]   (default: this tree)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LENGTH = 200_000
BLOB = ("QUJDRGVmZ2hpams0NTY3" * (LENGTH // 20 + 1))[:LENGTH]
WORDS = ("Hon går i trappan med stöd av ledstången. " * (LENGTH // 42 + 1))[:LENGTH]
MIXED = WORDS[: LENGTH // 4 - 1] + " " + BLOB[: LENGTH // 2] + " " + WORDS[: LENGTH // 4 - 1]  # 200,000


def _cpu_ms(action: Any, app: Any) -> float:
    started = time.process_time()
    action()
    app.processEvents()  # what the paste leaves for the event loop (the layout of a resized field) is part of it
    return (time.process_time() - started) * 1000


def _child() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import ui.workspace.workspace  # noqa: F401  (the first opening waits for the models otherwise)
    from bench.bench_autosave import filled_case_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-longrun-") as name:
        window, case, _profile = filled_case_window(Path(name))
        window.resize(1200, 800)
        window.workspace.go_to("areas", case.investigation.assessments[3].area_id)
        field = window.workspace.area_form.need
        field.setFocus()
        app.processEvents()
        for label, text in (("words", WORDS), ("blob", BLOB), ("mixed", MIXED)):
            QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            QGuiApplication.clipboard().setText(text)
            figures[f"paste {label}"] = _cpu_ms(
                lambda: QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier), app)
            figures[f"key {label}"] = _cpu_ms(lambda: QTest.keyClick(field, Qt.Key.Key_X), app)
            figures[f"width {label}"] = _cpu_ms(lambda: window.resize(1100, 800), app)
            window.resize(1200, 800)
            app.processEvents()
            QTest.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the key and paste undone
            QTest.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            app.processEvents()
        window.session.lock()
    print(json.dumps(figures))


def _run(tree: Path) -> dict[str, float]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child"], cwd=tree, env=environment,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the measuring process failed ({done.returncode}) on {tree}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    arguments = sys.argv[1:]
    runs = 4
    if arguments[:1] == ["--runs"]:
        runs, arguments = int(arguments[1]), arguments[2:]
    trees = [Path(tree).resolve() for tree in arguments] or [ROOT]
    measured: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
    for run in range(runs):  # A B B A ...: neither tree always first under a changing load
        for tree in trees if run % 2 == 0 else reversed(trees):
            measured[tree].append(_run(tree))
    print(f"-- a pasted run of {LENGTH} characters without a space in a life area's text, against words of the same"
          f" length (the floor); process CPU, median of {runs} fresh processes; load {os.getloadavg()[0]:.2f}")
    for tree, figures in measured.items():
        print(f"{tree}:")
        for what in ("paste", "key", "width"):
            blob = statistics.median(f[f"{what} blob"] for f in figures)
            mixed = statistics.median(f[f"{what} mixed"] for f in figures)
            words = statistics.median(f[f"{what} words"] for f in figures)
            print(f"    {what:5}  blob {blob:8.1f} ms   mixed {mixed:8.1f} ms   words {words:6.1f} ms"
                  f"   {blob / words:6.1f}x {mixed / words:6.1f}x")


if __name__ == "__main__":
    if sys.argv[1:] == ["--child"]:
        _child()
    else:
        main()
