"""One goal row of the speed table: a figure, its floor from the same run, the ratio and the goal.

A benchmark calls :func:`goal_row` for each row of quality.md's table it measures. The row is printed twice over:
once readable, and once as a tagged JSON line that ``python -m bench.run`` collects from every benchmark process
and prints again as one summary table at the end, so the whole table can be read in one place.

Ratios follow quality.md: the floor and the app are measured interleaved, repetition by repetition, and the ratio
is the median of the per-repetition ratios with its spread (min–max). A goal that is not a plain ratio to one floor
(for example "≤ 1.5× the KDF + 0.2× bare start") is given as its composed floor with the goal 1.0.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass

TAG = "BENCH-ROW "


@dataclass(frozen=True)
class GoalRow:
    """One measured row: ``figure`` and ``floor`` in ``unit``; ``ratio`` ≤ ``goal`` is met."""

    what: str
    figure: float
    floor: float
    unit: str
    ratio: float
    goal: float
    floor_label: str
    spread: tuple[float, float] | None = None
    note: str = ""

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal

    def readable(self) -> str:
        spread = f" (per-repetition {self.spread[0]:.2f}–{self.spread[1]:.2f})" if self.spread else ""
        note = f"; {self.note}" if self.note else ""
        return (f"{self.what}: {self.figure:.3g} {self.unit} vs {self.floor_label} {self.floor:.3g} {self.unit} "
                f"= {self.ratio:.2f}x{spread}, goal <= {self.goal:g}x: {'met' if self.met else 'NOT met'}{note}")


def ratios(figures: Sequence[float], floors: Sequence[float]) -> tuple[float, tuple[float, float]]:
    """The median of per-repetition ratios and their min–max (figures and floors paired by repetition)."""
    per_repetition = [figure / floor for figure, floor in zip(figures, floors, strict=True) if floor > 0]
    return statistics.median(per_repetition), (min(per_repetition), max(per_repetition))


def goal_row(what: str, figures: Sequence[float], floors: Sequence[float], *, unit: str, goal: float,
             floor_label: str, note: str = "") -> GoalRow:
    """Print (and return) one row from paired repetitions of the app and its floor."""
    ratio, spread = ratios(figures, floors)
    row = GoalRow(what=what, figure=statistics.median(figures), floor=statistics.median(floors), unit=unit,
                  ratio=ratio, goal=goal, floor_label=floor_label, spread=spread, note=note)
    print(row.readable())
    print(TAG + json.dumps(asdict(row), ensure_ascii=False), flush=True)
    return row


def parse(line: str) -> GoalRow | None:
    """The row in one line of a benchmark's output, or None for any other line."""
    if not line.startswith(TAG):
        return None
    data = json.loads(line[len(TAG):])
    spread = data.pop("spread")
    return GoalRow(**data, spread=tuple(spread) if spread else None)


def summary(rows: Sequence[tuple[str, GoalRow]]) -> str:
    """The table of every collected row as Markdown, grouped by the benchmark that measured it."""
    lines = ["| benchmark | what | figure | floor | ratio (spread) | goal | met |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for bench, row in rows:
        spread = f" ({row.spread[0]:.2f}–{row.spread[1]:.2f})" if row.spread else ""
        lines.append(f"| {bench} | {row.what} | {row.figure:.3g} {row.unit} | {row.floor_label} {row.floor:.3g} "
                     f"{row.unit} | {row.ratio:.2f}×{spread} | ≤ {row.goal:g}× | {'yes' if row.met else 'no'} |")
    return "\n".join(lines)
