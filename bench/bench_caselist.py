"""Case list at 50,000 cases: search keystroke (in the first order and in name order), back to the list, sort,
filter on the UI thread; memory per case.

A real profile (SQLCipher) holds ``ibic.demo.bulk_cases(50_000)``; the real main window lists it. Each action is
done as the user does it — a key event into the search field, Ctrl+E on the window from an open case with an
edit, a mouse click on a column header, the search field's text replaced or cleared — and timed from the event
to the moment the event queue is empty again (the table repainted). The floor is one frame, 16 ms (quality.md:
"≤ 16 ms on the UI thread"), so each row's goal is 1.0. The figure is the UI thread's CPU time (time.thread_time):
on a shared machine the wall clock also counts other processes' turns; wall times are in the note. A repetition is
one sequence of actions; its figure is the slowest action in it (the frame the user would see drop), and the row
is the median over repetitions.
Memory per case: what the list's models keep after a listing (tracemalloc), against the same rows' shown text
as Python strings (what the list shows). Nothing is asserted.
Run: python3 -m bench.run caselist   (or python3 -m bench.bench_caselist [count] [repetitions])
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.rows import goal_row  # noqa: E402

COUNT = 50_000
REPETITIONS = 7
FRAME_MS = 16.0
PASSPHRASE = "bänk-mätning-hembesök-lista"
QUERY = "testperson 0004"  # every name matches the first letters, then the rows narrow to a handful


def _profile(folder: Path, count: int) -> Path:
    from ibic.demo import bulk_cases
    from storage.kdf import KdfParameters
    from storage.profile import create_profile

    directory = folder / "profile"
    profile = create_profile(directory, PASSPHRASE, user_id="Bänk", kdf=KdfParameters())
    people, cases = bulk_cases(count, date.today())
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return directory


WALL: list[float] = []  # every action's wall time, for the notes
TABLE: list[Any] = []  # the case table, painted after each action
CELLS_PAINTED = [0]  # cells the delegate painted, counted by _count_painted_cells
PAINTS: list[int] = []  # cells painted by each action, for the notes


def _timed(app: Any, action: Callable[[], None], painted: Any = None) -> float:
    """The UI thread's CPU milliseconds from the event until the case table has painted the result once.

    The posted events are processed as the event loop would (``processEvents``); when they did not paint the table
    yet (Qt may leave the paint to its next frame timer), the bench paints it at once (``repaint``), so each action
    pays for exactly one paint of what it changed — never two (a forced repaint before the posted events would
    paint a switched page twice). The paints are counted in the cell delegate's ``paint``. CPU time, not wall
    time: on this shared 2-core machine the wall clock also counts the turns other processes get; the wall figure
    goes in the note. (No event filter counts the paints: with PySide6 6.12 on Python 3.11 a Python event filter
    that sees paint events loses a reference to None per event and the process aborts after some thousands.)"""
    wall, started = time.perf_counter(), time.thread_time()
    before = CELLS_PAINTED[0]
    action()
    app.processEvents()  # what the action posted: the page switch, the count label, the rows' repaint
    if CELLS_PAINTED[0] == before:  # not painted yet: paint now, as the frame timer would
        (painted or TABLE[0].viewport()).repaint()
        app.processEvents()
    WALL.append((time.perf_counter() - wall) * 1000)
    PAINTS.append(CELLS_PAINTED[0] - before)
    return (time.thread_time() - started) * 1000


def _count_painted_cells() -> None:
    """Wrap the cell delegate's ``paint`` with a counter (one Python call a cell, as the app paints)."""
    from ui.cases.cell_delegate import CellDelegate

    paint = CellDelegate.paint

    def counted(self: Any, painter: Any, option: Any, index: Any) -> None:
        CELLS_PAINTED[0] += 1
        paint(self, painter, option, index)

    CellDelegate.paint = counted  # type: ignore[method-assign]


def _key(widget: Any, key: Any, text: str = "", modifiers: Any = None) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    modifiers = modifiers if modifiers is not None else Qt.KeyboardModifier.NoModifier
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


def _type_char(widget: Any, char: str) -> None:
    from PySide6.QtCore import Qt

    _key(widget, ord(char.upper()) if char.isalnum() else Qt.Key.Key_Space, char)


def _wait_idle(app: Any, page: Any) -> None:
    """Let the idle turns compute the column orders (the user reads the list meanwhile)."""
    deadline = time.perf_counter() + 30
    ready = getattr(page.model, "orders_ready", lambda: True)  # an older list (for a before/after run) has none
    while not ready() and time.perf_counter() < deadline:
        app.processEvents()


def _search(app: Any, page: Any) -> list[float]:
    """Type the query key by key, then erase it with Backspace: each key is one figure."""
    from PySide6.QtCore import Qt

    page.search.clear()
    app.processEvents()
    times = [_timed(app, lambda c=char: _type_char(page.search, c)) for char in QUERY]
    times += [_timed(app, lambda: _key(page.search, Qt.Key.Key_Backspace)) for _ in QUERY]
    return times


def _search_in_name_order(app: Any, page: Any) -> list[float]:
    """The same keys with the list in name order, the order a search costs most in: the found rows are picked
    out of an order whose row indices lie scattered in memory (the deadline order, the first listing's, is
    built over rows read in about that order). The list goes back to the deadline order afterwards."""
    from PySide6.QtCore import Qt

    from ui.cases.list_rows import COLUMNS

    page.table.sortByColumn(COLUMNS.index("name"), Qt.SortOrder.AscendingOrder)
    app.processEvents()
    try:
        return _search(app, page)
    finally:
        page.table.sortByColumn(COLUMNS.index("deadline"), Qt.SortOrder.AscendingOrder)
        app.processEvents()


def _filter(app: Any, page: Any) -> list[float]:
    """A whole new query at once (pasted over the selected text) and the search cleared: not narrowing."""
    times = []
    for query in ("00042", "testperson 1", "19121212", "bench-0123"):
        page.search.selectAll()
        times.append(_timed(app, lambda q=query: page.search.insert(q)))
        times.append(_timed(app, page.search.clear))
    return times


def _sort(app: Any, page: Any) -> list[float]:
    """Click each column header twice (ascending, descending), with and without a query."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    header = page.table.horizontalHeader()
    times = []
    for query in ("", "testperson 00"):
        page.search.setText(query)
        app.processEvents()
        for section in range(header.count()):
            for _ in range(2):
                where = QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
                               header.height() // 2)
                times.append(_timed(app, lambda w=where: QTest.mouseClick(header.viewport(),
                                                                          Qt.MouseButton.LeftButton, pos=w)))
    page.search.clear()
    return times


def _back_to_list(app: Any, window: Any, page: Any, repetition: int) -> list[float]:
    """Open a case from the search, change it, Ctrl+E: the save on leaving and the list shown again."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    times = []
    for n in range(3):
        page.search.setText(f"testperson {(repetition * 3 + n) * 97 % COUNT + 1:05d}")  # Enter opens the first
        app.processEvents()
        _key(page.search, Qt.Key.Key_Return)
        workspace = _opened(app, window)
        workspace.opened.case.origin_note = f"Ändrad i mätning {repetition}.{n}"
        workspace.mark_dirty()
        app.processEvents()  # the user's pause before the key: the idle filter is back on after the Enter (ui/idle.py)
        # QTest goes through the window system like a real key press, so the shortcut map sees Ctrl+E.
        times.append(_timed(app, lambda: QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
                            page))  # the whole page appears
        if window.stack.currentWidget() is not page:
            raise RuntimeError("Ctrl+E did not show the case list")
    return times


def _opened(app: Any, window: Any) -> Any:
    """The case Enter opened, once shown: the case is read on a worker (ui/case_opening.py) and shown at the event
    loop's later turn, so the workspace was still None right after Enter (the bench stopped there; not timed)."""
    deadline = time.perf_counter() + 30
    while window.workspace is None or window.stack.currentWidget() is not window.workspace:
        if time.perf_counter() > deadline:
            raise RuntimeError("the case did not open")
        app.processEvents()
        time.sleep(0.001)  # the worker reads the case meanwhile
    return window.workspace


def _bare_repaint(app: Any, size: Any) -> float:
    """The UI-thread ms to repaint a bare QTableView of the same size over a model of constant text: what any
    frame of such a table costs on this machine now, whatever the model (given in the notes, not the floor)."""
    from PySide6.QtCore import QAbstractTableModel, QModelIndex
    from PySide6.QtWidgets import QTableView

    class Constant(QAbstractTableModel):
        def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else COUNT

        def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
            return 0 if parent.isValid() else 8

        def data(self, index: Any, role: int = 0) -> Any:
            return "Testperson 00042 (fiktiv)" if role == 0 else None

    table, model = QTableView(), Constant()
    table.setModel(model)
    table.resize(size)
    table.show()
    app.processEvents()
    times = [_timed(app, lambda: (model.beginResetModel(), model.endResetModel()), table.viewport())
             for _ in range(15)]
    table.close()
    return statistics.median(times)


def _listing_handover(app: Any, page: Any, summaries: list[Any], ref: Any) -> tuple[float, float, int]:
    """A whole listing as the unlock and the daily refresh fill it: both lists' rows built (on their worker in the
    app, CPU ms), then handed to the page (UI-thread CPU ms); and the work list's rows."""
    from ui.cases.case_list import prepared_listing

    started = time.thread_time()
    listing = prepared_listing(summaries, ref, date.today())
    built = (time.thread_time() - started) * 1000
    started = time.thread_time()
    page.set_rows(listing)
    app.processEvents()
    return built, (time.thread_time() - started) * 1000, page.work.model.rowCount()


def _memory_per_case(ref: Any, profile: Any, app: Any) -> tuple[float, float]:
    """Bytes a case the list's models keep, and the bytes of the same rows' shown text as Python strings."""
    from ui.cases.case_list import CaseListPage

    gc.collect()
    tracemalloc.start()
    page = CaseListPage(ref, today=date.today)
    rows = profile.cases.list_summaries()
    page.set_rows(rows)
    del rows
    _wait_idle(app, page)
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    model = page.model
    count = model.rowCount()
    shown = sum(sys.getsizeof(model.data(model.index(r, c))) for r in range(count)
                for c in range(model.columnCount()))
    page.deleteLater()
    return kept / count, shown / count


def main() -> None:
    from PySide6.QtWidgets import QApplication

    count = int(sys.argv[1]) if len(sys.argv) > 1 else COUNT
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else REPETITIONS
    app = QApplication.instance() or QApplication(sys.argv[:1])
    _count_painted_cells()
    from storage.profile import unlock_profile
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    with tempfile.TemporaryDirectory(prefix="hembesok-bench-caselist-") as name:
        folder = Path(name)
        started = time.perf_counter()
        directory = _profile(folder, count)
        print(f"profile with {count} bulk cases built in {time.perf_counter() - started:.0f} s")
        window = MainWindow(AppSettings(str(folder / "settings.ini")), StartOptions(directory))
        window.resize(1366, 768)
        window.show()
        profile = unlock_profile(directory, PASSPHRASE)
        from ibic.reference import load_reference_data
        from ui.cases.case_list import prepared_listing

        ref = load_reference_data()
        listing = prepared_listing(profile.cases.list_summaries(), ref, date.today())  # on the unlock worker in the app
        started = time.thread_time()
        window._opened(profile, listing, ref)
        app.processEvents()
        print(f"first listing shown from the unlock worker's rows (not a goal row here): "
              f"{(time.thread_time() - started) * 1000:.0f} ms UI-thread CPU")
        page = window.case_list
        _wait_idle(app, page)
        TABLE.append(page.table)
        built_ms, shown_ms, work_rows_count = _listing_handover(app, page, profile.cases.list_summaries(),
                                                               window.session.ref)
        print(f"case list and work list ({work_rows_count} rows) refilled from {count} summaries as at unlock: rows "
              f"built in {built_ms:.0f} ms CPU on the worker, then {shown_ms:.0f} ms UI-thread CPU to show them "
              f"(a frame is {FRAME_MS:.0f} ms; the idle turns after it sort the other columns)")
        figures: dict[str, list[float]] = {"search": [], "search_name": [], "back": [], "sort": [], "filter": []}
        every: dict[str, list[float]] = {k: [] for k in figures}
        walls: dict[str, list[float]] = {k: [] for k in figures}
        cells: dict[str, list[int]] = {k: [] for k in figures}
        bare: list[float] = []
        for repetition in range(repetitions):
            bare.append(_bare_repaint(app, page.table.size()))
            window.activateWindow()  # back from the bare table's window: shortcuts need the active window
            app.processEvents()
            for what, run in (("search", lambda: _search(app, page)),
                              ("search_name", lambda: _search_in_name_order(app, page)),
                              ("sort", lambda: _sort(app, page)),
                              ("filter", lambda: _filter(app, page)),
                              ("back", lambda r=repetition: _back_to_list(app, window, page, r))):
                WALL.clear()
                PAINTS.clear()
                times = run()
                cells[what].extend(PAINTS)
                figures[what].append(max(times))
                every[what].extend(times)
                walls[what].extend(WALL)
        labels = {"search": f"case list search, per keystroke, {count} cases",
                  "search_name": f"case list search in name order, per keystroke, {count} cases",
                  "back": f"back to the list from an edited case (Ctrl+E), {count} cases",
                  "sort": f"case list sort by a header click, {count} cases",
                  "filter": f"case list filter replaced or cleared, {count} cases"}
        for what, label in labels.items():
            p95 = statistics.quantiles(every[what], n=20)[-1]
            goal_row(label, figures[what], [FRAME_MS] * len(figures[what]), unit="ms", goal=1.0,
                     floor_label="one frame",
                     note=f"UI-thread CPU time of the slowest action per repetition; over all {len(every[what])} "
                          f"actions median {statistics.median(every[what]):.1f} ms, p95 {p95:.1f} ms; wall time "
                          f"median {statistics.median(walls[what]):.1f} ms, max {max(walls[what]):.1f} ms; "
                          f"cells painted an action median {statistics.median(cells[what]):.0f}; a bare "
                          f"table of the same size repainting after a reset: {statistics.median(bare):.1f} ms")
        ref = window.session.ref
        window.close()
        # The quit keeps the lists for the next unlock on a worker, in a write transaction as long as a full
        # listing; the memory step's listing refreshes the deadlines first, a write of its own, which met "database
        # is locked" when it came before the keeping ended (at 50,000 cases). Waited for as ``ui.app.run`` does.
        from ui.common.worker import deliver_finished_jobs

        deliver_finished_jobs()
        kept, shown = _memory_per_case(ref, unlock_profile(directory, PASSPHRASE), app)
        goal_row(f"case list models, memory per case, {count} cases", [kept], [shown], unit="bytes", goal=1.0,
                 floor_label="the shown cells' text as Python strings",
                 note="tracemalloc after a listing, the column orders computed; the issue measured ~1.8 KiB before")


if __name__ == "__main__":
    main()
