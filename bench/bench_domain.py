"""Domain benchmark: validating and serialising 10,000 cases (ibic.demo.bulk_cases).

Figures: the total and per-case time of each step, and the ratio of pydantic's JSON round trip to a plain
``json.dumps``/``json.loads`` of the same dicts, measured in the same run (the floor). Nothing is asserted.
Run: python3 -m bench.run domain   (or python3 -m bench.bench_domain [count])
"""

from __future__ import annotations

import gc
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pydantic  # noqa: E402

from ibic.cases import Case  # noqa: E402
from ibic.demo import bulk_cases  # noqa: E402

COUNT = 10_000
REPEATS = 3
TODAY = date(2026, 11, 23)


def timed(step: Callable[[], Any], repeats: int = REPEATS, *, with_gc: bool = False) -> tuple[float, Any]:
    """Median seconds over ``repeats`` runs, and the last result.

    The collector is off while a step runs (as in ``timeit``): with 10,000 live cases, the cyclic collector's
    full passes scale with the heap and would dominate every figure. ``with_gc`` measures with it on.
    """
    durations: list[float] = []
    result: Any = None
    for _ in range(repeats):
        result = None
        gc.collect()
        if not with_gc:
            gc.disable()
        try:
            started = time.perf_counter()
            result = step()
            durations.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return statistics.median(durations), result


def report(label: str, seconds: float, count: int) -> None:
    print(f"  {label:<46} {seconds * 1000:9.1f} ms total  {seconds / count * 1e6:8.1f} µs/case")


def round_trip_pairs(cases: list[Case], dicts: list[dict[str, Any]], *, with_gc: bool) -> tuple[float, float, float]:
    """Pydantic round trip and its floor, timed alternately in each repeat so that drift hits both alike.

    Returns the median pydantic time, the median floor time and the median of the per-repeat ratios.
    """
    def pydantic_round_trip() -> list[Case]:
        return [Case.model_validate_json(c.model_dump_json()) for c in cases]

    def plain_round_trip() -> list[Any]:
        return [json.loads(json.dumps(d)) for d in dicts]

    ours: list[float] = []
    floors: list[float] = []
    for _ in range(REPEATS):
        ours.append(timed(pydantic_round_trip, 1, with_gc=with_gc)[0])
        floors.append(timed(plain_round_trip, 1, with_gc=with_gc)[0])
    ratios = [a / b for a, b in zip(ours, floors, strict=True)]
    return statistics.median(ours), statistics.median(floors), statistics.median(ratios)


def main(count: int = COUNT) -> None:
    print(f"Python {platform.python_version()}, pydantic {pydantic.VERSION}, {count:,} cases, median of {REPEATS}")
    build_seconds, (_, cases) = timed(lambda: bulk_cases(count, TODAY), repeats=1)
    dicts = [case.model_dump(mode="json") for case in cases]
    texts = [case.model_dump_json() for case in cases]
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"  average case document: {size / count / 1024:.1f} KiB JSON, "
          f"{sum(len(c.investigation.assessments) for c in cases) / count:.1f} life areas")
    report("build (constructors, incl. validation) once", build_seconds, count)

    validate, _ = timed(lambda: [Case.model_validate(d) for d in dicts])
    report("validate from dicts (model_validate)", validate, count)
    dump_dicts, _ = timed(lambda: [c.model_dump(mode="json") for c in cases])
    report("serialise to dicts (model_dump mode=json)", dump_dicts, count)
    dump_json, _ = timed(lambda: [c.model_dump_json() for c in cases])
    report("serialise to JSON (model_dump_json)", dump_json, count)
    load_json, loaded = timed(lambda: [Case.model_validate_json(t) for t in texts])
    report("parse + validate JSON (model_validate_json)", load_json, count)
    unchanged = loaded == cases
    del loaded

    ours, floor, ratio = round_trip_pairs(cases, dicts, with_gc=False)
    report("pydantic JSON round trip", ours, count)
    report("floor: json.dumps + json.loads, same dicts", floor, count)
    print(f"  ratio pydantic round trip / plain json round trip: {ratio:.2f}x")
    ours, floor, ratio = round_trip_pairs(cases, dicts, with_gc=True)
    report("pydantic JSON round trip, collector on", ours, count)
    report("floor, collector on", floor, count)
    print(f"  ratio with the collector on: {ratio:.2f}x")
    print(f"  (round trip unchanged: {'yes' if unchanged else 'NO'})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else COUNT)
