"""The goal rows a benchmark prints reach bench.run's summary table unchanged."""

from __future__ import annotations

import pytest

from bench.rows import goal_row, parse, summary


def test_a_printed_row_is_parsed_back_and_summarised(capsys: pytest.CaptureFixture[str]) -> None:
    row = goal_row("autosave", [2.0, 3.0, 4.0], [1.0, 1.0, 4.0], unit="ms", goal=2.0, floor_label="raw upsert")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("autosave: 3 ms vs raw upsert 1 ms = 2.00x (per-repetition 1.00–3.00)")
    assert parse(lines[0]) is None
    parsed = parse(lines[1])
    assert parsed == row
    assert parsed.met and parsed.ratio == 2.0
    table = summary([("storage", parsed)])
    assert "| storage | autosave | 3 ms | raw upsert 1 ms | 2.00× (1.00–3.00) | ≤ 2× | yes |" in table


def test_a_ratio_over_its_goal_is_not_met() -> None:
    row = goal_row("sort", [40.0], [16.0], unit="ms", goal=1.0, floor_label="one frame")
    assert not row.met and "NOT met" in row.readable()
