"""IT's report command takes its dates and numbers written as the report routes take them (YYYY-MM-DD, decimal
digits, a decimal number) and answers anything else in one line (exit status 2). Python's own readers ran the report
on another value: ``--from 2026-W01-1`` (an ISO week date) as 2025-12-29, ``--sample-size 1_0`` as 10,
``--threshold-hours 1_00`` as 100, ``--seed ١٢`` (Arabic-Indic digits) as 12. Each fails on main, where the report
is written (exit status 0)."""

from __future__ import annotations

import sys

import pytest

from sync.server import reports

DAYS = ["--from", "2026-01-01", "--to", "2026-03-31"]


@pytest.mark.parametrize(("arguments", "reason"), [
    (["--from", "2026-W01-1", "--to", "2026-03-31", "--report", "continuity"],
     "argument --from: write it as YYYY-MM-DD"),
    (["--from", "2026-01-01", "--to", "20260331", "--report", "continuity"], "argument --to: write it as YYYY-MM-DD"),
    (["--from", "2025-02-29", "--to", "2026-03-31", "--report", "continuity"],
     "argument --from: not a date (YYYY-MM-DD)"),
    ([*DAYS, "--report", "checklist", "--sample-size", "1_0"], "argument --sample-size: write it as decimal digits"),
    ([*DAYS, "--report", "checklist", "--seed", "١٢"], "argument --seed: write it as decimal digits"),
    ([*DAYS, "--report", "internal-control", "--threshold-hours", "1_00"],
     "argument --threshold-hours: write it as a decimal number"),
    ([*DAYS, "--report", "internal-control", "--threshold-hours", "inf"],
     "argument --threshold-hours: write it as a decimal number"),
])
def test_a_date_or_number_not_written_as_the_routes_take_it_is_one_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], arguments: list[str],
    reason: str,
) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    with pytest.raises(SystemExit) as stopped:
        sys.exit(reports.main(["--municipality", *arguments]))
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"error: {reason}\n"


def test_the_same_values_written_as_the_routes_take_them_run_the_report(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    assert reports.main(["--municipality", "--from", "2024-02-29", "--to", "2026-03-31", "--report", "checklist",
                         "--sample-size", "10", "--seed", "12"]) == 0
    assert reports.main(["--municipality", *DAYS, "--report", "internal-control", "--threshold-hours", "1e2"]) == 0
    assert capsys.readouterr().err == ""
