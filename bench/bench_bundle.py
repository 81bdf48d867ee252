"""The PyInstaller bundle: its size on disk, and its cold start as a ratio to the same app started from source.

Size: every file of the one-folder bundle (unpacked, symlinks not followed), with the largest parts; the goal
(issue 15) is under 120 MB on Linux. Start: a fresh process that shows the unlock window and quits on the first
turn of the event loop (``--quit-when-shown``), offscreen, on an empty profile folder and throwaway settings;
bundle and source alternate, and which goes first alternates too, so the machine's drift hits both alike. The
floor is the source start (`python3 main.py`, the same code and Qt); the ratio is the median of the per-round
ratios with its min–max. Both run with a warm file cache (dropping the cache would disturb the shared machine).

The bundle: ``python3 -m bench.bench_bundle [DIST_DIR] [ROUNDS]``; without DIST_DIR (or with ``build``) it is built
first with installer/build.sh into a temporary folder, and the build time is printed too.
Nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000
BUDGET_MB = 120


def build(out: Path) -> Path:
    started = time.perf_counter()
    subprocess.run(["bash", str(ROOT / "installer" / "build.sh"), str(out)], check=True, capture_output=True)
    print(f"build (fresh venv + PyInstaller): {time.perf_counter() - started:.0f} s")
    return out / "dist" / "Hembesok"


def size_report(bundle: Path) -> None:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    print(f"bundle size: {total / MB:.1f} MB in {len(files)} files (goal < {BUDGET_MB} MB: "
          f"{'met' if total < BUDGET_MB * MB else 'NOT met'})")
    parts: dict[str, int] = {}
    internal = bundle / "_internal"
    for path in files:
        relative = path.relative_to(internal if internal in path.parents else bundle).parts
        key = "/".join(relative[:4]) if relative[:3] == ("PySide6", "Qt", "lib") else relative[0]
        parts[key] = parts.get(key, 0) + path.stat().st_size
    for name, size in sorted(parts.items(), key=lambda item: -item[1])[:12]:
        print(f"  {size / MB:6.1f} MB  {name}")


def _start_once(command: list[str], home: Path) -> float:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
                   "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
                   "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache")}
    profile = tempfile.mkdtemp(dir=home)
    started = time.perf_counter()
    subprocess.run([*command, "--quit-when-shown", "--profile", profile], check=True, env=environment,
                   capture_output=True, cwd=home)
    return time.perf_counter() - started


def start_report(bundle: Path, rounds: int) -> None:
    commands = {"source": [sys.executable, str(ROOT / "main.py")], "bundle": [str(bundle / "Hembesok")]}
    times: dict[str, list[float]] = {"source": [], "bundle": []}
    ratios = []
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-") as folder:
        home = Path(folder)
        for command in commands.values():
            _start_once(command, home)  # once each unmeasured: page the files in, as a second start would
        for index in range(rounds):
            order = ("source", "bundle") if index % 2 == 0 else ("bundle", "source")
            for name in order:
                times[name].append(_start_once(commands[name], home))
            ratios.append(times["bundle"][-1] / times["source"][-1])
    for name, values in times.items():
        print(f"start to unlock window, {name}: median {statistics.median(values) * 1000:.0f} ms "
              f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, {rounds} fresh processes)")
    print(f"ratio bundle / source: median {statistics.median(ratios):.2f}x "
          f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x)")


def main() -> None:
    arguments = sys.argv[1:]
    target = arguments[0] if arguments else "build"
    rounds = int(arguments[1]) if len(arguments) > 1 else 9
    with tempfile.TemporaryDirectory(prefix="hembesok-bundle-") as out:
        bundle = build(Path(out)) if target == "build" else Path(target)
        size_report(bundle)
        start_report(bundle, rounds)


if __name__ == "__main__":
    main()
