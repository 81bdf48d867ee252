"""Switching life area and opening a full case, in the real main window (issue 14, quality.md).

A profile holds ``ibic.demo.fully_filled_case`` (every life area filled, delområden with and without a value). The
window unlocks it, opens the case from the list (Enter on its row, as a handläggare does) and goes to the
kartläggning. After one warm-up pass, each repetition walks every life area with Ctrl+PgDown to the last and
back with Ctrl+PgUp: every neighbouring pair in both directions, including the switches between scales (d9 →
b1528A → e398A). A switch is timed from the key press until the events it posted (layout, paint) are handled.

Rows: the slowest switch of a repetition and its 95th percentile against one frame (16 ms, goal 1.0), and opening
the full case against the 50 ms goal. Run: ``python3 -m bench.run switch`` (``python3 -m bench.bench_switch 3``
for fewer repetitions).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.rows import goal_row  # noqa: E402

PASSPHRASE = "bänk-mätning-byte-av-livsområde"
FRAME_MS = 16.0
OPEN_GOAL_MS = 50.0
REPETITIONS = 7


def _window(folder: Path) -> tuple[Any, Any, str]:
    from PySide6.QtWidgets import QApplication

    from ibic.demo import fully_filled_case
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    directory = folder / "profile"
    profile = create_profile(directory, PASSPHRASE, user_id="Bänk", kdf=KdfParameters())
    person, case = fully_filled_case(date.today())
    profile.people.save(person)
    profile.cases.save(case)
    window = MainWindow(AppSettings(str(folder / "settings.ini")), StartOptions(directory))
    window.show()
    window._opened(profile)  # the unlock itself is bench_start's row; here the window starts unlocked
    app.processEvents()
    return app, window, case.id


def _open_case(app: Any, window: Any, case_id: str) -> float:
    """Back to the list (Ctrl+E) and Enter on the case's row: ms until the workspace has handled its events."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    from ui.cases.table_model import SummaryRole

    if window.workspace is not None and window.workspace.isVisible():
        QTest.keySequence(window, QKeySequence("Ctrl+E"))
        app.processEvents()
    table = window.case_list.table
    model = table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(SummaryRole).case_id == case_id)
    table.setFocus()
    table.selectRow(row)
    started = time.perf_counter()
    QTest.keyClick(table, Qt.Key.Key_Return)
    app.processEvents()
    while window.stack.currentWidget() is not window.workspace:  # the first case waits for its models to be imported
        QTest.qWait(1)  # on a worker (ui.case_opening); every later opening is done by now
    return (time.perf_counter() - started) * 1000


def _switch(app: Any, window: Any, keys: str) -> float:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    started = time.perf_counter()
    QTest.keySequence(window, QKeySequence(keys))
    app.processEvents()
    return (time.perf_counter() - started) * 1000


def _walk(app: Any, window: Any) -> list[float]:
    """Every area forwards with Ctrl+PgDown, then back with Ctrl+PgUp: one time per switch."""
    workspace = window.workspace
    areas = [area.id for area in workspace.session.ref.life_areas]
    times: list[float] = []
    for keys, end in (("Ctrl+PgDown", areas[-1]), ("Ctrl+PgUp", areas[0])):
        while workspace.place().area_id != end:
            times.append(_switch(app, window, keys))
    return times


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(repetitions: int = REPETITIONS) -> None:
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-switch-") as name:
        app, window, case_id = _window(Path(name))
        opens = [_open_case(app, window, case_id) for _ in range(repetitions + 1)][1:]  # the first builds pages
        window.workspace.go_to_step("areas")
        app.processEvents()
        _walk(app, window)  # warm-up: every page and scale seen once
        maxima, p95s, every = [], [], []
        for _ in range(repetitions):
            times = _walk(app, window)
            every.extend(times)
            maxima.append(max(times))
            p95s.append(_percentile(times, 0.95))
        note = f"{len(every)} switches over {repetitions} walks; median switch {statistics.median(every):.1f} ms"
        goal_row("switching life area, max", maxima, [FRAME_MS] * repetitions, unit="ms", goal=1.0,
                 floor_label="one frame", note=note)
        goal_row("switching life area, p95", p95s, [FRAME_MS] * repetitions, unit="ms", goal=1.0,
                 floor_label="one frame")
        goal_row("opening a full case", opens, [OPEN_GOAL_MS] * repetitions, unit="ms", goal=1.0,
                 floor_label="the goal")
        if window.session is not None:
            window.session.lock()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else REPETITIONS)
