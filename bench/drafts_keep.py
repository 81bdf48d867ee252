"""The drafts' debounced keep (``ui.workspace.drafts.DraftKeeper.keep``, s21-drafts): what it costs each debounce
with nothing pending (the page walk and the encoding, no write), and with an add form's text changed (one durable
write of the case's draft). A fully filled case, every step's page built. Not a goal row: the keystroke itself only
restarts the timer, which ``bench.run autosave`` never lets run out.

Run: QT_QPA_PLATFORM=offscreen python3 -m bench.drafts_keep
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

REPETITIONS = 60


def _figure(values: list[float]) -> str:
    ordered = sorted(values)
    tenth = len(ordered) // 10
    return (f"median {statistics.median(values):.3f} ms (p10 {ordered[tenth]:.3f}, "
            f"p90 {ordered[-tenth - 1]:.3f})")


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from bench.bench_autosave import filled_case_window

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-drafts-") as name:
        window, _case, _profile = filled_case_window(Path(name))
        workspace = window.workspace
        for step in ("case", "visit", "proposal", "follow_up", "areas"):
            workspace.go_to(step)
        app.processEvents()
        keeper, field = workspace.drafts_keeper, workspace.area_form.others.text
        idle: list[float] = []
        typed: list[float] = []
        for repetition in range(REPETITIONS):
            started = time.perf_counter()
            keeper.keep()  # the same text as the last write: nothing written
            idle.append((time.perf_counter() - started) * 1000)
            field.setPlainText(f"x{repetition}")
            started = time.perf_counter()
            keeper.keep()
            typed.append((time.perf_counter() - started) * 1000)
        field.clear()
        keeper.keep()
        print("keep, nothing changed since the last write:", _figure(idle))
        print("keep, an add form's text changed (one durable write):", _figure(typed))
        window.session.lock()


if __name__ == "__main__":
    main()
