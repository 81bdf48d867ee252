"""The first case opened after the unlock, in fresh main.py processes: the UI thread's share and the wait (issue 14).

``python3 -m bench.first_opening [REPETITIONS] [--tree DIR ...]``: a profile holding ``ibic.demo.fully_filled_case``
(and the demo cases) is unlocked through the real page in a fresh ``main.py`` process; once the window is idle (its
day's upkeep done, no worker left) the full case's row is made current and Enter pressed in the case table, as a
person does. Timed from the key press until the workspace is on screen: the wall time, the UI thread's CPU time
(``time.thread_time``), the longest the UI thread was away from its event loop (the largest gap between the
turns of a 1 ms timer: a key pressed meanwhile waits that long; on a loaded machine it counts the waits for a core
and for the GIL, which the models' worker holds while it imports) and the UI thread's CPU in its busiest turn (the
same gaps by ``thread_time``: what the machine's load does not inflate). ``bench_switch``'s row "opening a full
case" times the openings after this first one. With several ``--tree``, their runs alternate (A/B on a shared
machine); medians and ranges.

``--then about``: instead of Enter, an arrow in the case table (the first touch: the models' worker starts) and at
once Om Hembesök's action, whose modules (``ui.about``, ``importlib.metadata``...) are not imported yet: how long its
``trigger()`` keeps the UI thread (wall and CPU), beside the worker's imports or, with ``ui.import_gate``, after them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from datetime import date
from pathlib import Path

from bench.bench_start import PRESS_RETURN, ROOT, VMRSS, _run_python, _tagged, child_environment

PASSPHRASE = "bänk-mätning-första-ärendet"
CHILD = VMRSS + PRESS_RETURN + """
import json, os, sys, time, traceback
def _fail(*exc_info):  # an error in a Qt callback must end the run, not leave it waiting forever
    traceback.print_exception(*exc_info)
    os._exit(1)
sys.excepthook = _fail
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication
CASE_ID = sys.argv[3]
def press_down(widget):  # as press_return: the Enter runs build no Qt enum more than before
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier))
original_exec = QApplication.exec
figures = {}
def idle(window):  # the day's upkeep started and done, no worker left
    return (window._upkeep_job is not None and not window._upkeep_job.running
            and QThreadPool.globalInstance().activeThreadCount() == 0)
def when_idle(window, then):
    QTimer.singleShot(20, lambda: then() if idle(window) else when_idle(window, then))
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def listed():
        figures["listed_rss"] = vmrss()
        page = window.case_list
        row = page.shown.row_of(CASE_ID)
        page.table.setFocus()
        page.table.selectRow(row)
        ticks, cpus = [], []
        timer = QTimer(window)
        def tick():
            ticks.append(time.perf_counter())
            cpus.append(time.thread_time())
            if window.workspace is not None and window.stack.currentWidget() is window.workspace:
                timer.stop()
                figures["wall_ms"] = (ticks[-1] - started) * 1000
                figures["ui_cpu_ms"] = (time.thread_time() - cpu) * 1000
                figures["longest_ms"] = max(b - a for a, b in zip([started, *ticks], ticks)) * 1000
                figures["longest_cpu_ms"] = max(b - a for a, b in zip([cpu, *cpus], cpus)) * 1000
                figures["opened"] = window.workspace.opened.case.id == CASE_ID
                figures["opened_rss"] = vmrss()
                QApplication.instance().quit()
        timer.timeout.connect(tick)
        timer.start(1)
        if sys.argv[4] == "about":
            timer.deleteLater()
            press_down(page.table)  # the first touch: the models' worker starts
            started, cpu = time.perf_counter(), time.thread_time()
            window.action_about.trigger()
            figures["about_ms"] = (time.perf_counter() - started) * 1000
            figures["about_cpu_ms"] = (time.thread_time() - cpu) * 1000
            figures["opened"] = any(type(w).__name__ == "AboutDialog" and w.isVisible()
                                    for w in QApplication.topLevelWidgets())
            QThreadPool.globalInstance().waitForDone()
            QApplication.instance().quit()
            return
        started, cpu = time.perf_counter(), time.thread_time()
        press_return(page.table)
    window.unlocked.connect(lambda: when_idle(window, listed))
    def enter():
        window.unlock_panel.passphrase_edit.insert(sys.argv[2])
        press_return(window.unlock_panel.passphrase_edit)
    QTimer.singleShot(300, enter)
def exec_and_drive():
    QTimer.singleShot(0, drive)
    result = original_exec()
    print("FIGURES", json.dumps(figures), flush=True)
    return result
QApplication.exec = staticmethod(exec_and_drive)
sys.argv[0] = "main.py"
import main
main.main(["--profile", sys.argv[1]])
"""


ENTER_ROWS = (("wall_ms", "Enter to the case on screen, ms"), ("ui_cpu_ms", "UI thread's CPU, ms"),
              ("longest_ms", "longest gap between UI-thread turns, ms"),
              ("longest_cpu_ms", "UI thread's CPU in its longest turn, ms"),
              ("listed_rss", "VmRSS listed, MiB"), ("opened_rss", "VmRSS case opened, MiB"))
ABOUT_ROWS = (("about_ms", "Om Hembesök's trigger() right after the first arrow (wall), ms"),
              ("about_cpu_ms", "the UI thread's CPU in it, ms"))


def _make_profile(directory: Path) -> str:
    from ibic.demo import demo_cases, fully_filled_case
    from storage.kdf import KdfParameters
    from storage.profile import create_profile

    profile = create_profile(directory, PASSPHRASE, user_id="Bänk", kdf=KdfParameters())
    people, cases = demo_cases(date.today())
    person, case = fully_filled_case(date.today())
    profile.people.save_many([*people, person])
    profile.cases.save_many([*cases, case])
    profile.lock()
    return case.id


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repetitions", nargs="?", type=int, default=5)
    parser.add_argument("--tree", type=Path, action="append", help="a checkout to measure (again for A/B)")
    parser.add_argument("--then", choices=("enter", "about"), default="enter",
                        help="after the row is made current: Enter (the default), or an arrow and Om Hembesök")
    options = parser.parse_args(argv)
    trees = [tree.resolve() for tree in options.tree or [ROOT]]
    results: dict[Path, list[dict[str, float]]] = {tree: [] for tree in trees}
    with tempfile.TemporaryDirectory(prefix="hembesok-first-opening-") as name:
        folder = Path(name)
        case_id = _make_profile(folder / "template")
        for tree in trees:  # a warming run each: the compiled modules cached, as in an installation
            _once(folder, tree, case_id, options.then)
        for _ in range(options.repetitions):
            for tree in trees:
                results[tree].append(_once(folder, tree, case_id, options.then))
    rows = ABOUT_ROWS if options.then == "about" else ENTER_ROWS
    for tree, runs in results.items():
        print(f"tree {tree}: {len(runs)} fresh processes")
        for key, label in rows:
            values = [run[key] for run in runs]
            print(f"  {label}: median {statistics.median(values):.1f} (range {min(values):.1f}-{max(values):.1f}); "
                  + " ".join(f"{value:.1f}" for value in values))


def _once(folder: Path, tree: Path, case_id: str, then: str) -> dict[str, float]:
    copy, home = folder / "run", folder / "home"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(folder / "template", copy)
    env = child_environment(home, tree)
    _, output = _run_python(CHILD, [str(copy), PASSPHRASE, case_id, then], env)
    figures = json.loads(_tagged(output, "FIGURES"))
    if not figures.get("opened"):
        raise RuntimeError(f"the child did not show what it was asked for ({then})")
    return figures  # type: ignore[no-any-return]


if __name__ == "__main__":
    main()
