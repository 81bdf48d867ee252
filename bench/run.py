"""Run the benchmarks: ``python -m bench.run [name ...]`` runs all ``bench/bench_*.py`` or the named ones.

A name is the part after ``bench_`` (``domain`` for ``bench_domain.py``). Each benchmark module exposes
``main() -> None`` that prints its figures. Each runs in its own Python process, so that one benchmark's imports
and caches never flatter or burden the next (start-up figures depend on it). ``--same-process`` runs them in
this process instead, for a debugger. ``--list`` prints the names.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from pathlib import Path

from bench.rows import GoalRow, parse, summary

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PREFIX = "bench_"


def discover() -> dict[str, str]:
    """Benchmark name -> module name, for every bench/bench_*.py."""
    return {path.stem[len(PREFIX) :]: f"bench.{path.stem}" for path in sorted(BENCH_DIR.glob(f"{PREFIX}*.py"))}


def _normalise(name: str) -> str:
    name = name.removesuffix(".py").rsplit("/", 1)[-1]
    return name[len(PREFIX) :] if name.startswith(PREFIX) else name


def run_one(module: str, *, same_process: bool, rows: list[GoalRow]) -> int:
    """Run one benchmark's ``main()``, echoing its output and collecting its goal rows; returns its exit status."""
    if same_process:
        importlib.import_module(module).main()
        return 0
    code = f"import {module} as bench_module; bench_module.main()"
    with subprocess.Popen([sys.executable, "-u", "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                          encoding="utf-8") as child:
        assert child.stdout is not None
        for line in child.stdout:
            row = parse(line)
            if row is None:
                print(line, end="", flush=True)
            else:
                rows.append(row)
    return child.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--list", action="store_true", help="print the benchmark names and exit")
    parser.add_argument("--same-process", action="store_true", help="run in this process (for debugging)")
    args = parser.parse_args(argv)
    available = discover()
    if args.list:
        print("\n".join(available))
        return 0
    wanted = [_normalise(n) for n in args.names] or list(available)
    unknown = [n for n in wanted if n not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}", file=sys.stderr)
        return 2
    failed: list[str] = []
    collected: list[tuple[str, GoalRow]] = []
    for name in wanted:
        print(f"== {name} ({available[name]})", flush=True)
        started = time.perf_counter()
        rows: list[GoalRow] = []
        status = run_one(available[name], same_process=args.same_process, rows=rows)
        collected.extend((name, row) for row in rows)
        print(f"-- {name}: {'done' if status == 0 else f'FAILED (exit {status})'} "
              f"in {time.perf_counter() - started:.1f} s\n", flush=True)
        if status != 0:
            failed.append(name)
    if collected:
        print("== every goal row, as measured in this run\n" + summary(collected), flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
