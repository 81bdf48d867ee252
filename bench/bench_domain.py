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


def main(count: int = COUNT) -> None:
    print(f"Python {platform.python_version()}, pydantic {pydantic.VERSION}, {count:,} cases, median of {REPEATS}")
    build_seconds, (_, cases) = timed(lambda: bulk_cases(count, TODAY), repeats=1)
    dicts = [case.model_dump(mode="json") for case in cases]
    texts = [case.model_dump_json() for case in cases]
    plain_texts = [json.dumps(d) for d in dicts]
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"  average case document: {size / count / 1024:.1f} KiB JSON, "
          f"{sum(len(c.investigation.assessments) for c in cases) / count:.1f} life areas")
    report("build (constructors, incl. validation) once", build_seconds, count)

    validate, _ = timed(lambda: [Case.model_validate(d) for d in dicts])
    dump_dicts, _ = timed(lambda: [c.model_dump(mode="json") for c in cases])
    dump_json, _ = timed(lambda: [c.model_dump_json() for c in cases])
    load_json, loaded = timed(lambda: [Case.model_validate_json(t) for t in texts])
    plain_dump, _ = timed(lambda: [json.dumps(d) for d in dicts])
    plain_load, _ = timed(lambda: [json.loads(t) for t in plain_texts])

    report("validate from dicts (model_validate)", validate, count)
    report("serialise to dicts (model_dump mode=json)", dump_dicts, count)
    report("serialise to JSON (model_dump_json)", dump_json, count)
    report("parse + validate JSON (model_validate_json)", load_json, count)
    pydantic_round_trip = dump_json + load_json
    plain_round_trip = plain_dump + plain_load
    report("pydantic JSON round trip", pydantic_round_trip, count)
    report("floor: json.dumps + json.loads, same dicts", plain_round_trip, count)
    print(f"  ratio pydantic round trip / plain json round trip: {pydantic_round_trip / plain_round_trip:.2f}x")
    gc_pydantic, _ = timed(lambda: [Case.model_validate_json(c.model_dump_json()) for c in cases], with_gc=True)
    gc_plain, _ = timed(lambda: [json.loads(json.dumps(d)) for d in dicts], with_gc=True)
    report("pydantic JSON round trip, collector on", gc_pydantic, count)
    report("floor, collector on", gc_plain, count)
    print(f"  ratio with the collector on: {gc_pydantic / gc_plain:.2f}x")
    print(f"  (round trip unchanged: {'yes' if loaded == cases else 'NO'})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else COUNT)
