"""Keystroke to durable (issue 14): the autosave of one life-area edit against a raw SQLCipher upsert of the same bytes.

Measured as the user meets it, in a fresh process: the real main window over a real profile holding a fully filled
case (``ibic.demo.fully_filled_case``, ~16 KB of JSON), one key typed into a life area's text field through Qt, then
the debounce timer's ``timeout`` fires and the time until the workspace reports the save (``saved``, emitted right
after the COMMIT) is the figure. The floor is one upsert of a document of the same size into a table of its own in a
separate SQLCipher file with the same key kind, cipher settings and pragmas (synchronous=FULL), in its own
transaction. App save and floor alternate repetition by repetition (which goes first alternates too), and the ratio
is the median of the per-repetition ratios.

Also printed, not a goal row: the same save when the workspace does not know what changed (the whole-document
diff, what every save did before), interleaved the same way; the time the keystroke itself takes (the binder
writing the model); and the SQL statements of one save, counted with SQLite's trace callback.

Run: python3 -m bench.run autosave   (or python3 -m bench.bench_autosave 30 for a small count)
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.rows import goal_row  # noqa: E402

PASSPHRASE = "bänk-mätning-autospar"
REPETITIONS = 80
WARM_UP = 10


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else REPETITIONS
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "bench.bench_autosave", "--child", str(count)], cwd=ROOT,
                          env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the measuring process failed ({done.returncode})")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    document_bytes = figures["document_bytes"]
    print(f"-- keystroke to durable: one life-area edit of a fully filled case ({document_bytes} bytes of JSON), "
          f"{count} repetitions, fresh process")
    for label, statements in (("autosave", figures["statements"]), ("whole-diff save", figures["whole_statements"])):
        print(f"SQL statements in one {label}, BEGIN to COMMIT: {len(statements)}")
        for statement, times in Counter(statements).items():
            print(f"    {times} x {statement} ...")
    print(f"pages written to the WAL by one save: {figures['frames']} (the raw upsert: {figures['raw_frames']})")
    print(f"keystroke handled (key event, binder, model): median {statistics.median(figures['keystroke']):.3f} ms")
    whole = [w / r for w, r in zip(figures["whole"], figures["raw_whole"], strict=True)]
    print(f"whole-document diff save (as before): median {statistics.median(figures['whole']):.3f} ms, "
          f"{statistics.median(whole):.2f}x its interleaved raw upsert")
    goal_row("keystroke to durable (after the debounce)", figures["save"], figures["raw"], unit="ms", goal=2.0,
             floor_label=f"raw SQLCipher upsert of the same {document_bytes} bytes")


def filled_case_window(folder: Path) -> tuple[Any, Any, Any]:
    """The main window over a new profile in ``folder`` holding the fully filled case, opened: (window, case,
    profile). Also used by ``bench.drafts_keep``."""
    from ibic.demo import fully_filled_case
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    profile = create_profile(folder / "profile", PASSPHRASE, user_id="Bänk", kdf=KdfParameters())
    person, case = fully_filled_case(date.today())
    profile.people.save_many([person])
    profile.cases.save_many([case])
    window = MainWindow(AppSettings(str(folder / "settings.ini")), StartOptions(folder / "profile"))
    window.show()
    window._opened(profile)
    window.open_case(case.id)
    return window, case, profile


def _child(count: int) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-autosave-") as name:
        folder = Path(name)
        window, case, profile = filled_case_window(folder)
        workspace = window.workspace
        area = case.investigation.assessments[3].area_id
        workspace.go_to("areas", area)
        field = workspace.area_form.need
        field.setFocus()
        app.processEvents()
        raw = RawUpsert(folder / "raw.db")
        saved_at = _durable_moments(profile)

        def type_key() -> float:
            started = time.perf_counter()
            _press(field, "x")
            elapsed = (time.perf_counter() - started) * 1000
            raw.text = workspace.opened.case.model_dump_json()  # the floor stores the very bytes the app stores
            return elapsed

        def save(whole: bool = False) -> float:
            if whole:
                workspace._changes.unknown()  # as every save was before the workspace knew what changed
            started = time.perf_counter()
            workspace.autosave.timeout.emit()  # the debounce ran out
            assert saved_at and saved_at[-1] >= started and not workspace.has_unsaved_changes, "no save happened"
            return (saved_at[-1] - started) * 1000

        for _ in range(WARM_UP):
            type_key()
            save()
            raw.upsert()
        figures: dict[str, Any] = {"document_bytes": len(raw.text.encode("utf-8")), "save": [], "raw": [],
                                   "whole": [], "raw_whole": [], "keystroke": []}
        for repetition in range(count):
            figures["keystroke"].append(type_key())
            if repetition % 2:
                figures["raw"].append(raw.upsert())
                figures["save"].append(save())
            else:
                figures["save"].append(save())
                figures["raw"].append(raw.upsert())
            type_key()
            figures["whole"].append(save(whole=True))
            figures["raw_whole"].append(raw.upsert())
        with profile._db.reading() as connection:
            figures["frames"] = _frames(connection, lambda: (type_key(), save()))
        figures["raw_frames"] = _frames(raw.connection, lambda: (type_key(), raw.upsert()))
        figures["statements"] = _statements(workspace, profile, type_key, save, whole=False)
        figures["whole_statements"] = _statements(workspace, profile, type_key, save, whole=True)
        raw.close()
        window.session.lock()
    print(json.dumps(figures))


def _frames(connection: Any, step: Any) -> int:
    """How many pages (WAL frames) one ``step`` writes: the WAL emptied first, then counted by a passive checkpoint."""
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    step()
    return int(connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])


def _durable_moments(profile: Any) -> list[float]:
    """The moments a save became durable: right after its COMMIT returned (the status bar's refresh, which the
    workspace's ``saved`` signal starts, comes after and is not part of the figure)."""
    moments: list[float] = []
    counter = profile._db._saves
    committed = counter.committed

    def record(**options: Any) -> None:
        committed(**options)
        moments.append(time.perf_counter())

    counter.committed = record
    return moments


def _statements(workspace: Any, profile: Any, type_key: Any, save: Any, *, whole: bool) -> list[str]:
    """The first words of every SQL statement one save runs, up to its COMMIT."""
    type_key()
    statements: list[str] = []
    with profile._db.reading() as connection:
        connection.set_trace_callback(lambda sql: statements.append(" ".join(sql.split()[:3])))
    try:
        save(whole=whole)
    finally:
        with profile._db.reading() as connection:
            connection.set_trace_callback(None)
    return statements[:statements.index("COMMIT") + 1]


def _press(widget: Any, char: str) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, ord(char.upper()), Qt.KeyboardModifier.NoModifier, char))


class RawUpsert:
    """The floor: the document the app stores, upserted in its own transaction, SQLCipher with the app's settings."""

    def __init__(self, path: Path) -> None:
        from storage.database import PRAGMAS, connect

        self._connection = self.connection = connect(path, bytearray(secrets.token_bytes(32)))
        for pragma in PRAGMAS:
            self._connection.execute(pragma)
        self._connection.execute("CREATE TABLE document (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
        self.text = ""

    def upsert(self) -> float:
        body = self.text
        started = time.perf_counter()
        self._connection.execute("BEGIN IMMEDIATE")
        self._connection.execute(
            "INSERT INTO document (id, body) VALUES ('case', ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            (body,),
        )
        self._connection.execute("COMMIT")
        return (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self._connection.close()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]))
    else:
        main()
