"""Desktop app benchmarks: start-up, unlock with many cases, opening a case, switching area, autosave.

Every figure is printed next to a floor measured in the same run (quality.md): a bare PySide6 window, the
Argon2id derivation alone, a raw SQLCipher upsert of the same bytes. Nothing here is asserted.
Run: python3 -m bench.run ui   (or python3 bench/bench_ui.py)
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSPHRASE = "bänk-mätning-hembesök-ui"
BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1]); window = QMainWindow(); window.show()
QTimer.singleShot(0, app.quit); app.exec()
"""
APP_WINDOW = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
original = QApplication.exec
def exec_once():
    QTimer.singleShot(0, QApplication.instance().quit)
    return original()
QApplication.exec = staticmethod(exec_once)
import main
main.main(["--profile", {profile!r}])
"""
LIST_WINDOW = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from storage.profile import unlock_profile
from ui.main_window import MainWindow, StartOptions
from ui.settings import AppSettings
window = MainWindow(AppSettings({settings!r}), StartOptions(Path({profile!r})))
window.show()
window._opened(unlock_profile(Path({profile!r}), {passphrase!r}))
app.processEvents()
window.case_list.search.setText("00042")
app.processEvents()
"""


def _run(code: str, repeats: int) -> tuple[float, float]:
    """Median wall time (ms) and peak RSS (MiB) of a fresh Python process running ``code``."""
    times, peaks = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, check=False)
        times.append((time.perf_counter() - started) * 1000)
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-2000:])
        peaks.append(_peak_of(code))
    return statistics.median(times), statistics.median(peaks)


def _peak_of(code: str) -> float:
    """Peak resident memory (MiB) of a child process running ``code``."""
    wrapper = ("import resource, subprocess, sys\n"
               f"subprocess.run([sys.executable, '-c', {code!r}], check=True, capture_output=True)\n"
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    output = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, check=True).stdout
    return int(output.strip()) / 1024


def _profile_with(count: int, folder: Path) -> Path:
    from ibic.demo import bulk_cases
    from storage.kdf import calibrate
    from storage.profile import create_profile

    directory = folder / f"profile-{count}"
    profile = create_profile(directory, PASSPHRASE, user_id="Bänk", kdf=calibrate())
    people, cases = bulk_cases(count, date.today())
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return directory


def start_up(folder: Path) -> None:
    bare_ms, bare_mib = _run(BARE_WINDOW, 5)
    app_ms, app_mib = _run(APP_WINDOW.format(root=str(ROOT), profile=str(folder / "none")), 5)
    print(f"cold start to unlock window: {app_ms:.0f} ms vs bare window {bare_ms:.0f} ms "
          f"= {app_ms / bare_ms:.2f}x (goal <= 1.3x); peak {app_mib:.0f} MiB vs {bare_mib:.0f} MiB")


def unlock_and_list(folder: Path, count: int) -> None:
    from PySide6.QtWidgets import QApplication

    from storage.kdf import time_derivation
    from storage.keyfile import read_key_file
    from storage.profile import key_file_path, unlock_profile
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    directory = _profile_with(count, folder)
    argon = time_derivation(read_key_file(key_file_path(directory)).kdf) * 1000
    bare_ms, _ = _run(BARE_WINDOW, 3)
    window = MainWindow(AppSettings(str(folder / "s.ini")), StartOptions(directory))
    window.show()
    started = time.perf_counter()
    window._opened(unlock_profile(directory, PASSPHRASE))
    app.processEvents()
    elapsed = (time.perf_counter() - started) * 1000
    goal = 1.5 * argon + 0.2 * bare_ms
    print(f"unlock to main window with {count} cases listed: {elapsed:.0f} ms; Argon2id alone {argon:.0f} ms, "
          f"bare start {bare_ms:.0f} ms; goal <= 1.5x Argon2id + 0.2x bare = {goal:.0f} ms "
          f"({elapsed / goal:.2f} of the goal)")
    window.session.lock() if window.session else None
    window.close()


def list_ten_thousand(folder: Path) -> None:
    directory = _profile_with(10_000, folder)
    bare_ms, bare_mib = _run(BARE_WINDOW, 3)
    code = LIST_WINDOW.format(root=str(ROOT), profile=str(directory), settings=str(folder / "s2.ini"),
                              passphrase=PASSPHRASE)
    list_ms, list_mib = _run(code, 3)
    print(f"main window with 10,000 cases, filtered: {list_ms:.0f} ms vs bare {bare_ms:.0f} ms = "
          f"{list_ms / bare_ms:.2f}x (goal <= 2.8x, includes the Argon2id unlock); peak {list_mib:.0f} MiB vs "
          f"{bare_mib:.0f} MiB = {list_mib / bare_mib:.2f}x (goal <= 2.0x)")


def workspace_figures(folder: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from ibic.demo import fully_filled_case
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    directory = folder / "profile-full"
    profile = create_profile(directory, PASSPHRASE, user_id="Bänk", kdf=KdfParameters())
    person, case = fully_filled_case(date.today())
    profile.people.save(person)
    profile.cases.save(case)
    window = MainWindow(AppSettings(str(folder / "s3.ini")), StartOptions(directory))
    window.show()
    window._opened(profile)
    opens = []
    for _ in range(10):
        started = time.perf_counter()
        window.open_case(case.id)
        app.processEvents()
        opens.append((time.perf_counter() - started) * 1000)
    workspace = window.workspace
    assert workspace is not None
    areas = [a.id for a in workspace.session.ref.life_areas]
    switches = []
    for index in range(60):
        started = time.perf_counter()
        workspace.go_to("areas", areas[index % len(areas)])
        app.processEvents()
        switches.append((time.perf_counter() - started) * 1000)
    print(f"opening a full case: median {statistics.median(opens):.1f} ms (goal <= 50 ms)")
    print(f"switching life area: median {statistics.median(switches):.1f} ms, max {max(switches):.1f} ms "
          f"(goal <= 16 ms)")
    autosave(app, workspace, folder, len(case.model_dump_json()))
    window.session.lock() if window.session else None


def autosave(app: object, workspace: object, folder: Path, document_bytes: int) -> None:
    """Keystroke to durable: one edit in a life area, then the save the debounce would trigger."""
    import sqlcipher3

    from storage.database import PRAGMAS, key_pragma

    form = workspace.area_form  # type: ignore[attr-defined]
    saves = []
    durable_at: list[float] = []
    # ``saved`` is emitted right after the commit: that moment is "durable"; the status-bar updates come after.
    workspace.saved.connect(lambda _at: durable_at.append(time.perf_counter()))  # type: ignore[attr-defined]
    for _ in range(50):
        form.own.insertPlainText("x")
        started = time.perf_counter()
        workspace.save_now()  # type: ignore[attr-defined]
        saves.append((durable_at[-1] - started) * 1000)
    key = bytearray(secrets.token_bytes(32))
    connection = sqlcipher3.connect(str(folder / "raw.db"), isolation_level=None)
    connection.execute(key_pragma(key))
    for pragma in PRAGMAS:
        connection.execute(pragma)
    connection.execute("CREATE TABLE doc (id TEXT PRIMARY KEY, body TEXT)")
    payload = "y" * document_bytes
    raw = []
    for index in range(50):
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.execute("INSERT INTO doc VALUES ('a', ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                           (payload + str(index),))
        connection.execute("COMMIT")
        raw.append((time.perf_counter() - started) * 1000)
    connection.close()
    ours, floor = statistics.median(saves), statistics.median(raw)
    print(f"autosave of one life-area edit (after the 800 ms debounce): median {ours:.2f} ms vs raw SQLCipher "
          f"upsert of the same {document_bytes} bytes {floor:.2f} ms = {ours / floor:.2f}x (goal <= 1.3x)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-ui-") as name:
        folder = Path(name)
        start_up(folder)
        workspace_figures(folder)
        unlock_and_list(folder, 5_000)
        list_ten_thousand(folder)


if __name__ == "__main__":
    main()
