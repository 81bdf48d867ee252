"""IT's commands (``python -m sync.server.admin …``, ``python -m sync.server.reports …``) with each argument odd
but possible: U+0000, a lone surrogate (bytes that are not UTF-8), far and impossible days, huge numbers, NaN,
empty and 100,000-character text. Each ends with exit status 0, or 1 or 2 and an English message on stderr; never a
traceback."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from odd_requests import RTL
from sync_support import REPO, new_case_document, new_config, new_person_document

from sync.server import admin, central, devices, reports
from sync.server.db import connect
from sync.server.dev import DEMO_UNIT, DEMO_USER, seed_demo

ODD_ARGUMENTS = ("", " ", "a\x00b", "\udced\udca0\udc80", "å" * 100_000, RTL, "0001-01-01", "9999-12-31",
                 "2024-02-29", "2025-02-29", "0", "-1", str(2**31), str(2**63), str(10**30), "1.0", "1e308", "nan",
                 "inf", "-0")


@pytest.fixture()
def commands(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Every admin and report command as IT runs it, each valid (``reports`` first for the report command)."""
    seed_demo(database_url)
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)  # an odd value in place of --output's file names a file here
    with connect(database_url) as conn:
        code = central.issue_enrollment_code(conn, DEMO_USER)
        devices.enroll(conn, new_config(database_url), code, "d9", "Laptop", DEMO_USER)
        case_id = conn.execute("SELECT case_id FROM case_access ORDER BY case_id LIMIT 1").fetchone()["case_id"]
        decided = conn.execute("SELECT record_id, document FROM record_documents WHERE record_type = 'case' AND"
                               " jsonb_array_length(document->'decisions') > 0 LIMIT 1").fetchone()
    person_id = f"p{uuid.uuid4().hex}"
    (tmp_path / "case.json").write_text(json.dumps(new_case_document(person_id)))
    (tmp_path / "person.json").write_text(json.dumps(new_person_document(person_id)))
    (tmp_path / "decision.json").write_text(json.dumps({**decided["document"]["decisions"][0], "id": "d-new"}))
    yield [
        ["create-unit", "u9", "Enhet"], ["create-user", "h9", DEMO_UNIT],
        ["assign-case", case_id, DEMO_UNIT, "--user", DEMO_USER],
        ["register-case", str(tmp_path / "case.json"), str(tmp_path / "person.json"), DEMO_UNIT, "--user", DEMO_USER],
        ["register-decision", decided["record_id"], str(tmp_path / "decision.json")],
        ["enrollment-code", DEMO_USER, "--hours", "5"], ["list-devices"], ["revoke-device", "d9", "retire"],
        ["readmit-device", "d9", "--hours", "3"], ["create-integration", "i9", "Namn"], ["list-integrations"],
        ["revoke-integration", "i9"], ["set-role", DEMO_USER, "unit_reports"],
        ["--by", "Kim Svensson", "set-role", DEMO_USER, "handlaggare"], ["audit-export", "d9"],
        ["list-admin-actions", "--limit", "5"], ["--migration-wait", "120", "list-devices"],
        ["reports", "--unit", DEMO_UNIT, "--from", "2026-01-01", "--to", "2026-12-31", "--report", "all", "--format",
         "json", "--threshold-hours", "100", "--sample-size", "4", "--seed", "2"],
        ["reports", "--municipality", "--from", "2026-01-01", "--to", "2026-12-31", "--report", "checklist",
         "--output", str(tmp_path / "out.csv")],
    ]


def _run(argv: list[str]) -> tuple[Any, str]:
    """(exit status, stderr) of one command run as ``python -m`` runs it (main, then SystemExit)."""
    module = reports if argv[0] == "reports" else admin
    arguments = argv[1:] if argv[0] == "reports" else argv
    stderr, stdout = io.StringIO(), io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            status: Any = module.main(arguments)
    except SystemExit as exit_:
        status = exit_.code
    return status, stderr.getvalue()


def test_every_argument_of_every_command_takes_an_odd_value_without_a_traceback(
    commands: list[list[str]],
) -> None:
    for command in commands:  # each valid as written
        assert _run(command)[0] == 0, command

    @settings(max_examples=300, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(commands), st.integers(0, 100), st.sampled_from(ODD_ARGUMENTS))
    def sweep(command: list[str], place: int, odd: str) -> None:
        places = [i for i, word in enumerate(command) if i > 0 and not word.startswith("--")]
        if not places:
            return
        argv = list(command)
        argv[places[place % len(places)]] = odd
        status, error = _run(argv)
        assert status in (0, 1, 2), (argv[:2], status)
        assert "Traceback" not in error and "Error:" not in error.replace("error:", ""), error[-300:]
        if status != 0:
            assert "error" in error.rstrip("\n").splitlines()[-1], error[-300:]

    sweep()


def test_the_commands_as_processes_refuse_odd_values_in_one_english_line(database_url: str) -> None:
    seed_demo(database_url)
    env = {"HEMBESOK_SYNC_DATABASE_URL": database_url, "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    for module, argv in (
        ("sync.server.reports", ["--unit", DEMO_UNIT, "--from", "0001-01-01", "--to", "9999-12-31",
                                 "--report", "continuity", "--format", "json"]),
        ("sync.server.reports", ["--municipality", "--from", "2025-02-29", "--to", "2026-01-01",
                                 "--report", "continuity"]),
        ("sync.server.reports", ["--municipality", "--from", "2026-01-01", "--to", "2026-12-31",
                                 "--report", "checklist", "--seed", str(10**30)]),
        ("sync.server.admin", ["enrollment-code", DEMO_USER, "--hours", str(2**63)]),
        ("sync.server.admin", ["create-unit", "", ""]),
        ("sync.server.admin", ["assign-case", "x" * 100_000, DEMO_UNIT]),
    ):
        done = subprocess.run([sys.executable, "-m", module, *argv], cwd=REPO, env=env, capture_output=True,
                              timeout=120, check=False)
        error = done.stderr.decode("utf-8")
        assert done.returncode in (1, 2), (module, argv[:3], done.returncode, error)
        assert error.count("\n") == 1 and "error" in error and "Traceback" not in error, error
