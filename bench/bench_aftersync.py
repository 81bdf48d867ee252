"""The memory row's enrolled figure after a sync that pushed an edit (issue 14): ``bench_start``'s enrolled child,
steady after its first sync (which pulls nothing), then one case saved and the window told what a sync that pushed it
tells it (``WindowSync.data_changed``: the list read again), VmRSS once every worker is done. Alternates this tree
with each ``TREE`` (other checkouts, e.g. a clone of main) when given, each child a fresh copy of the enrolled profile.
Not a second real sync: a copy of the enrolled profile run before has moved the server's audit chain on.

Run: ``python3 -m bench.bench_aftersync [REPETITIONS] [TREE...]`` (needs PostgreSQL for the local sync server).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_start import ENROLLED_CASES, ROOT, _enrolled_server, _unlock_figures, child_environment


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    repetitions = int(arguments[0]) if arguments else 3
    trees = [ROOT, *(Path(a).resolve() for a in arguments[1:])]
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-aftersync-") as name:
        folder = Path(name)
        env = child_environment(folder / "home")
        started = time.perf_counter()
        with _enrolled_server(folder, env) as enrolled_env:
            if enrolled_env is None:
                print("not measured: no PostgreSQL for the local sync server")
                return
            print(f"ready in {time.perf_counter() - started:.0f} s", flush=True)
            template = folder / f"enrolled-{ENROLLED_CASES}"
            figures: dict[Path, list[tuple[float, float]]] = {tree: [] for tree in trees}
            for tree in trees:  # warm: each tree's compiled modules
                _unlock_figures(template, folder, {**enrolled_env, **_tree(folder, tree), "BENCH_PUSH_EDIT": "1"})
            for repetition in range(repetitions):
                for tree in trees if repetition % 2 == 0 else trees[::-1]:
                    run = _unlock_figures(template, folder,
                                          {**enrolled_env, **_tree(folder, tree), "BENCH_PUSH_EDIT": "1"})
                    if run["cases"] != ENROLLED_CASES or run["cases_pushed"] != ENROLLED_CASES:
                        raise RuntimeError(f"the child did not list, push or list again: {run}")
                    figures[tree].append((run["rss"], run["rss_pushed"]))
                    print(f"{tree}: steady {run['rss']:.1f} MiB, after a sync that pushed an edit "
                          f"{run['rss_pushed']:.1f} MiB", flush=True)
            for tree, runs in figures.items():
                print(f"{tree}: median steady {statistics.median(r[0] for r in runs):.1f} MiB, after the push "
                      f"{statistics.median(r[1] for r in runs):.1f} MiB ({len(runs)} children)", flush=True)


def _tree(folder: Path, tree: Path) -> dict[str, str]:
    return {"PYTHONPATH": str(tree), "PYTHONPYCACHEPREFIX": str(folder / "home" / "pycache" / tree.name)}


if __name__ == "__main__":
    main()
