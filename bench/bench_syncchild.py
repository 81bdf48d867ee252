"""The CPU one sync costs the laptop: on a thread of the window's process (before s21-syncproc) against a child
process of its own (``sync.child``, which starts Python, imports the store, pydantic, httpx and the engine each time).

Against ``bench_start``'s local server and enrolled profile of 10,000 cases (every sync pulls nothing and sends the
unlock's audit entries): fresh processes, the two ways alternated; in each, two syncs one after the other (the first
on a thread pays the engine's imports, which the window then keeps; a child pays them at every run). CPU is user +
system of the process and its children (``getrusage``), wall time beside it.

Run: ``python3 -m bench.bench_syncchild [REPETITIONS]`` (needs PostgreSQL for the local sync server).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_start import ENROLLED_CASES, PASSPHRASE, ROOT, _enrolled_server, _run_python, child_environment

TWO_SYNCS = """
import json, resource, sys, time
from pathlib import Path
from storage.profile import unlock_profile
profile = unlock_profile(Path(sys.argv[1]), sys.argv[2], backup=False)
def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
session = None
def on_thread():
    global session
    from sync.client.engine import open_session, sync_now
    session = session or open_session(profile)
    return sync_now(session, profile)
def in_child():
    from sync.child import ChildSync
    return ChildSync().run(profile, lambda _step: None)
runs = []
for _ in range(2):
    before, started = cpu(), time.perf_counter()
    report = (in_child if sys.argv[3] == "child" else on_thread)()
    runs.append({"cpu_ms": (cpu() - before) * 1000, "wall_ms": (time.perf_counter() - started) * 1000,
                 "audit": report.audit_uploaded})
profile.lock()
print("RUNS", json.dumps(runs))
"""


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-syncchild-") as name:
        _measure(Path(name), int(arguments[0]) if arguments else 3)
    print(f"tree {ROOT}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")


def _measure(folder: Path, repetitions: int) -> None:
    """Alternated fresh processes, each two syncs on a thread or in children; the medians printed."""
    env = child_environment(folder / "home")
    with _enrolled_server(folder, env) as enrolled_env:
        if enrolled_env is None:
            print("sync CPU: not measured (no PostgreSQL for the local sync server)")
            return
        profile = folder / f"enrolled-{ENROLLED_CASES}"
        figures: dict[str, list[list[dict[str, float]]]] = {"thread": [], "child": []}
        for _ in range(repetitions):
            for way in ("thread", "child"):
                _wall, output = _run_python(TWO_SYNCS, [str(profile), PASSPHRASE, way], enrolled_env)
                line = next(line for line in output.splitlines() if line.startswith("RUNS "))
                figures[way].append(json.loads(line.removeprefix("RUNS ")))
        for way, runs in figures.items():
            for index, label in ((0, "first sync"), (1, "second sync")):
                cpu = [run[index]["cpu_ms"] for run in runs]
                wall = [run[index]["wall_ms"] for run in runs]
                print(f"sync CPU, {way}, {label}: median {statistics.median(cpu):.0f} ms CPU "
                      f"(min {min(cpu):.0f}, max {max(cpu):.0f}), wall median {statistics.median(wall):.0f} ms "
                      f"(min {min(wall):.0f}, max {max(wall):.0f}), n={len(runs)}", flush=True)
