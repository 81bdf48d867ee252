"""Where the unlocked window's steady memory goes (issue 14, the memory row): a diagnostic, not a goal row.

Fresh processes, each figure the median of REPETITIONS (VmRSS, MiB):
- the bare window (QApplication + QMainWindow shown), as ``bench_start``'s floor;
- the same window, then the unlock's modules imported one step at a time on top of each other (main.py, pydantic,
  the database, the audit log with the domain's change models, the rest of the store, the preload's other modules,
  the window's Qt modules): what each import adds, held as the app holds it (no module's source lines kept, which
  PySide6's import hook reads: ~8 MiB counted in these steps before session 18), anonymous and file-backed;
- ``main.py`` unlocked through the page (the passphrase typed once the preload is done, Enter) on a profile with
  0 and with COUNT bulk cases, and with COUNT at the day's first unlock (every deadline computed on an earlier day:
  the day's upkeep refreshes each open case, then lists them again), once the list is shown and the day's upkeep is
  done; then the same process with the first case opened (the workspace's modules imported, its widgets built). For
  each: the source lines ``linecache`` holds, the open SQLCipher connections (the profile's database file open), and
  where the RSS is: anonymous (heaps, objects) and file-backed (libraries' code, fonts); Python's small-object
  arenas and the bytes free in them; glibc's heaps (``mallinfo2``: their address space and the part free, most of
  which the day's upkeep already gave back to the system: free is not resident) and, at the end, the RSS
  ``malloc_trim`` still gives back (freed but kept, in fact).

``python3 -m bench.memory_split [COUNT] [REPETITIONS] [--tree DIR]``: ``--tree`` measures another checkout's app
(``main.py`` and its packages) with this script, e.g. a clone of main, run alternately with this one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench.bench_start import ENROLLED_CASES, PRESS_RETURN, _enrolled_server, child_environment
from bench.bench_start import PASSPHRASE as ENROLLED_PASSPHRASE

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bänk-mätning-hembesök-minne"
TYPING_MS = 1500  # the passphrase goes in once the preload is done, as after a person's typing

# Python's small-object allocator, read from ``sys._debugmallocstats`` (it writes to the C stderr): its arenas, the
# bytes in allocated blocks, in free blocks of the pools in use, and in empty pools (kept inside arenas that other
# blocks keep; an arena goes back to the system only when all its pools are empty).
PYMALLOC = """
import os, sys, tempfile
def pymalloc_stats():
    with tempfile.TemporaryFile() as out:
        saved = os.dup(2)
        sys.stderr.flush()
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read().decode(errors="replace").splitlines()
    def field(label):
        line = next(line for line in text if line.startswith("# " + label))
        return int(line.split("=")[1].replace(",", ""))
    empty_pools = int(next(line for line in text if "unused pools" in line).split()[0])
    return {"arenas": field("arenas allocated current"), "allocated_mib": field("bytes in allocated blocks") / 2**20,
            "free_mib": field("bytes in available blocks") / 2**20, "empty_pools_mib": empty_pools * 16384 / 2**20}
"""
MEASURE = PYMALLOC + """
import ctypes, gc, json, linecache, os, sys
class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]
_libc = ctypes.CDLL(None)
_libc.mallinfo2.restype = _Mallinfo2
def vmrss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
def database_files_open(directory):
    found = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if directory and target.startswith(directory) and target.endswith(".db"):
            found += 1
    return found
def resident():
    # VmRSS split: anonymous (heaps, Python's objects) and file-backed (libraries' code, fonts), MiB.
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            name = line.split(":")[0]
            if name in ("RssAnon", "RssFile"):
                found[name] = int(line.split()[1]) / 1024
    return found
def small_objects():
    # Python's own allocator (objects up to 512 bytes): its arenas (1 MiB each, given back only when empty) and
    # the bytes free inside them.
    stats = pymalloc_stats()
    return {"pymalloc_arenas": stats["arenas"], "pymalloc_free_mib": stats["free_mib"]}
def measure(directory=""):
    info = _libc.mallinfo2()
    return {"rss": vmrss(), "linecache_files": len(linecache.cache),
            "linecache_mib": sum(len(line) for entry in linecache.cache.values() if len(entry) == 4
                                 for line in entry[2]) / 2**20,
            "heap_free_mib": info.fordblks / 2**20, "mmapped_mib": info.hblkhd / 2**20,
            "heap_mib": info.arena / 2**20,
            "python_blocks": sys.getallocatedblocks(), "objects": len(gc.get_objects()),
            "connections": database_files_open(directory), **resident(), **small_objects()}
def trimmed():
    before = vmrss()
    _libc.malloc_trim(0)
    return before - vmrss()
"""
BARE_THEN_IMPORTS = MEASURE + """
import importlib
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1]); window = QMainWindow(); window.show()
QTimer.singleShot(0, app.quit); app.exec()
steps = json.loads(sys.argv[1])
figures = {"bare window": vmrss(), "bare split": resident()}
# As the app imports them: the preload keeps no module's source lines (PySide6's import hook reads every module's
# source; before session 18 these steps counted ~8 MiB of lines the app never keeps), and main.py, the entry point,
# is in before any model is built (it says which pydantic plugins load: none).
import ui.unlock.preload
ui.unlock.preload.keep_no_module_sources()
kept = []
for label, modules, code in steps:
    for name in modules:
        importlib.import_module(name)
    if "main" in modules and hasattr(sys.modules["main"], "load_no_pydantic_plugins"):
        sys.modules["main"].load_no_pydantic_plugins()
    if code:
        kept.append(eval(code))
    linecache.clearcache()
    figures[label] = vmrss()
    figures["split " + label] = resident()
print("FIGURES", json.dumps(figures))
"""
UNLOCKED = MEASURE + PRESS_RETURN + """
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication
PROFILE, PASSPHRASE, TYPING_MS = sys.argv[1], sys.argv[2], int(sys.argv[3])
original_exec = QApplication.exec
figures = {}
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def idle():
        status = window.sync.controller.status  # an enrolled profile: its first sync done too
        synced = status.state == "not_enrolled" or (status.state == "idle" and status.last_synced_at is not None)
        return window._upkeep_job is not None and synced and QThreadPool.globalInstance().activeThreadCount() == 0
    def when_idle(then):
        if idle():
            QTimer.singleShot(200, then)  # the turn of the event loop that ends the upkeep, and deferred deletes
        else:
            QTimer.singleShot(20, lambda: when_idle(then))
    def unlocked():
        figures["unlocked"] = measure(PROFILE)
        figures["cases"] = window.case_list.model.rowCount()
        if figures["cases"]:
            window.open_case(window.case_list.model.row(0).case_id)
        QTimer.singleShot(0, lambda: when_idle(opened))
    def opened():
        figures["case opened"] = measure(PROFILE)
        figures["trim_gives_back_mib"] = trimmed()
        QApplication.instance().quit()
    window.unlocked.connect(lambda: when_idle(unlocked))
    def enter():
        window.unlock_panel.passphrase_edit.insert(PASSPHRASE)
        press_return(window.unlock_panel.passphrase_edit)
    QTimer.singleShot(TYPING_MS, enter)
def exec_and_drive():
    QTimer.singleShot(0, drive)
    return original_exec()
QApplication.exec = staticmethod(exec_and_drive)
import main
try:
    main.main(["--profile", PROFILE])
except SystemExit:
    pass
print("FIGURES", json.dumps(figures))
"""


def import_steps(tree: Path) -> list[tuple[str, list[str], str]]:
    """What the unlock imports, in steps whose cost is worth telling apart (read from the measured tree's preload)."""
    code = "import json, ui.unlock.preload as p; print(json.dumps([list(p.MODULES), list(p.WINDOW_MODULES)]))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                            capture_output=True, text=True, check=True)
    preload, window = json.loads(result.stdout)
    return [
        ("+ main.py (argparse)", ["main"], ""),
        ("+ pydantic", ["pydantic"], ""),
        ("+ storage.database (sqlcipher3)", ["storage.database"], ""),
        ("+ storage.audit (ibic.changes, the audit chain)", ["storage.audit"], ""),
        ("+ storage.profile (the rest of the store, the domain)", ["storage.profile"], ""),
        ("+ the preload's other modules", [name for name in preload if name != "storage.profile"], ""),
        ("+ the window's Qt modules", window, ""),
        # Not in bench_start's figure (its profile is not enrolled): what a sync adds before its first request.
        ("+ the sync client's modules (httpx, the protocol)", ["sync.client.engine"], ""),
        # Loaded once a sync has failed (ui.window_sync), before that on main: QtNetwork and its system backend.
        ("+ the network watch (QtNetwork, its backend)", ["PySide6.QtNetwork"],
         "__import__('PySide6.QtNetwork').QtNetwork.QNetworkInformation.loadDefaultBackend()"),
        # The first sync's transport to a plain-HTTP server (no CA store), then an HTTPS client (certifi's CAs).
        ("+ the sync transport to http://127.0.0.1", ["sync.client.transport"],
         "__import__('sync.client.transport').client.transport.Transport('http://127.0.0.1:9')"),
        ("+ one httpx client (TLS context, system CAs)", ["httpx"],
         "__import__('httpx').Client(base_url='https://127.0.0.1:9', verify=True)"),
    ]


def _child(code: str, arguments: list[str], tree: Path, env: dict[str, str]) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", code, *arguments], cwd=tree, env=env, capture_output=True,
                            text=True, check=False, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"child failed ({result.returncode}): {result.stderr[-3000:]}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("FIGURES "))
    figures: dict[str, object] = json.loads(line.removeprefix("FIGURES "))
    return figures


def _make_profile(directory: Path, count: int) -> None:
    """A profile with ``count`` bulk cases (made in a child: this process stays small)."""
    code = """
import sys
from datetime import date
from pathlib import Path
from ibic.demo import bulk_cases
from storage.kdf import KdfParameters
from storage.profile import create_profile
profile = create_profile(Path(sys.argv[1]), sys.argv[2], user_id="Bänk", kdf=KdfParameters())
if int(sys.argv[3]):
    people, cases = bulk_cases(int(sys.argv[3]), date.fromisoformat(sys.argv[4]))
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.cases.list_summaries(today=date.fromisoformat(sys.argv[4]))
profile.backup_now()
profile.lock()
"""
    subprocess.run([sys.executable, "-c", code, str(directory), PASSPHRASE, str(count), date.today().isoformat()],
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)


def _make_stale(source: Path, directory: Path) -> None:
    """A copy of ``source`` due its first unlock of a day: every case's deadlines computed on an earlier day, so that
    the day's upkeep refreshes each open case (``CaseRepository.refresh_deadlines``) and lists them again."""
    subprocess.run(["cp", "-a", str(source), str(directory)], check=True)
    code = """
import sys
from pathlib import Path
from storage.profile import unlock_profile
profile = unlock_profile(Path(sys.argv[1]), sys.argv[2], backup=False)
with profile._db.transaction() as connection:
    connection.execute("UPDATE cases SET deadline_checked_on = '2000-01-01'")
profile.lock()
"""
    subprocess.run([sys.executable, "-c", code, str(directory), PASSPHRASE], cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)


def _median(runs: list[dict[str, object]], *keys: str) -> float:
    values = []
    for run in runs:
        value: object = run
        for key in keys:
            value = value[key]  # type: ignore[index]
        values.append(float(value))  # type: ignore[arg-type]
    return statistics.median(values)


def parse_options(argv: list[str] | None, description: str, least: int = 0) -> argparse.Namespace:
    """``[COUNT] [REPETITIONS] [--tree DIR]``, as this diagnostic and ``bench.memory_list`` take them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("repetitions", nargs="?", type=int, default=3)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose app is measured")
    options = parser.parse_args(argv)
    if options.count < least:
        parser.error(f"count: at least {least}")
    return options


def main(argv: list[str] | None = None) -> None:
    options = parse_options(argv, __doc__.splitlines()[0])
    tree = options.tree.resolve()
    with tempfile.TemporaryDirectory(prefix="hembesok-memory-split-") as name:
        folder = Path(name)
        env = child_environment(folder / "home", tree)
        for count in (0, options.count):
            _make_profile(folder / f"cases-{count}", count)
        _make_stale(folder / f"cases-{options.count}", folder / "cases-first")
        steps = import_steps(tree)
        _child(BARE_THEN_IMPORTS, [json.dumps(steps)], tree, env)  # warm: compiled modules, files in the cache
        imports = [_child(BARE_THEN_IMPORTS, [json.dumps(steps)], tree, env) for _ in range(options.repetitions)]
        # 0 and COUNT cases unlocked again the same day, and COUNT cases at the day's first unlock ("first").
        unlocked: dict[int | str, list[dict[str, object]]] = {count: [] for count in (0, options.count, "first")}
        for _ in range(options.repetitions):
            for count in unlocked:
                copy = folder / f"run-{count}"
                subprocess.run(["rm", "-rf", str(copy)], check=True)
                subprocess.run(["cp", "-a", str(folder / f"cases-{count}"), str(copy)], check=True)
                unlocked[count].append(_child(UNLOCKED, [str(copy), PASSPHRASE, str(TYPING_MS)], tree, env))
        # As on a handläggare's laptop: enrolled, its first sync (127.0.0.1, pulling nothing) done (bench_start's).
        enrolled: list[dict[str, object]] = []
        with _enrolled_server(folder, env) as enrolled_env:
            for _ in range(options.repetitions if enrolled_env is not None else 0):
                assert enrolled_env is not None
                copy = folder / "run-enrolled"
                subprocess.run(["rm", "-rf", str(copy)], check=True)
                subprocess.run(["cp", "-a", str(folder / f"enrolled-{ENROLLED_CASES}"), str(copy)], check=True)
                enrolled.append(_child(UNLOCKED, [str(copy), ENROLLED_PASSPHRASE, str(TYPING_MS)], tree,
                                       enrolled_env))
    print(f"tree {tree}; medians of {options.repetitions} fresh processes (VmRSS, MiB)")
    bare = _median(imports, "bare window")
    previous = bare
    print(f"{'bare window':<58} {bare:7.1f}  (anonymous {_median(imports, 'bare split', 'RssAnon'):.1f}, "
          f"file-backed {_median(imports, 'bare split', 'RssFile'):.1f})")
    for label, _modules, _code in steps:
        figure = _median(imports, label)
        print(f"{label:<58} {figure:7.1f}  {figure - previous:+6.1f}  (anonymous "
              f"{_median(imports, 'split ' + label, 'RssAnon'):.1f}, file-backed "
              f"{_median(imports, 'split ' + label, 'RssFile'):.1f})")
        previous = figure
    for count, runs in unlocked.items():
        cases = f"{options.count:,} cases, first unlock of a day" if count == "first" else f"{count:,} cases"
        for moment in ("unlocked", "case opened"):
            if count == 0 and moment == "case opened":
                continue
            rss = _median(runs, moment, "rss")
            print(f"{f'main.py, {cases}, {moment}':<58} {rss:7.1f}  = {rss / bare:.2f}x bare; "
                  f"linecache {_median(runs, moment, 'linecache_mib'):.2f} MiB "
                  f"in {_median(runs, moment, 'linecache_files'):.0f} files, "
                  f"SQLCipher files open {_median(runs, moment, 'connections'):.0f}")
            print(f"{'':<4}anonymous {_median(runs, moment, 'RssAnon'):.1f} MiB, file-backed (libraries, fonts) "
                  f"{_median(runs, moment, 'RssFile'):.1f}; Python's small-object arenas "
                  f"{_median(runs, moment, 'pymalloc_arenas'):.0f} MiB, "
                  f"{_median(runs, moment, 'pymalloc_free_mib'):.1f} free in them; glibc's heaps "
                  f"{_median(runs, moment, 'heap_mib'):.1f} MiB of address space, "
                  f"{_median(runs, moment, 'heap_free_mib'):.1f} free (resident only as far as malloc_trim "
                  f"gives back), {_median(runs, moment, 'mmapped_mib'):.1f} in blocks of their own")
        print(f"{f'  malloc_trim then gives back ({cases})':<58} "
              f"{_median(runs, 'trim_gives_back_mib'):7.1f}")
    if enrolled:
        rss = _median(enrolled, "unlocked", "rss")
        print(f"{f'main.py, {ENROLLED_CASES:,} cases, enrolled, first sync done':<58} {rss:7.1f}  = "
              f"{rss / bare:.2f}x bare; free heap {_median(enrolled, 'unlocked', 'heap_free_mib'):.1f} MiB")
    else:
        print("enrolled: not measured (no PostgreSQL for the local sync server)")


if __name__ == "__main__":
    main()
