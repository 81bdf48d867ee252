"""IT's admin commands with odd but possible values: each refused in one line on stderr with exit status 1 and
nothing stored, never a traceback. Before, an empty, blank, 1,000-character or control-character unit or user id was
stored (a user id no laptop profile can hold: profiles take 1-64 characters), a user in an unknown unit or a second
unit with a taken id ended in a psycopg traceback, a code valid for 10^9 hours in an OverflowError and a missing JSON
file in a FileNotFoundError."""

from __future__ import annotations

import pytest

from sync.server import admin
from sync.server.db import connect


def _counts(database_url: str) -> tuple[int, int, int]:
    with connect(database_url) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM units) AS u, (SELECT count(*) FROM users) AS s,"
            " (SELECT count(*) FROM enrollment_codes) AS c"
        ).fetchone()
        assert row is not None
        return int(row["u"]), int(row["s"]), int(row["c"])


@pytest.mark.parametrize("command", [
    ["create-unit", "", "Enhet"],
    ["create-unit", "   ", "Enhet"],
    ["create-unit", " u2", "Enhet"],
    ["create-unit", "u\x01", "Enhet"],
    ["create-unit", "u" * 65, "Enhet"],
    ["create-unit", "u2", ""],
    ["create-unit", "u2", "E" * 501],
    ["create-unit", "u1", "Samma id igen"],
    ["create-user", "", "u1"],
    ["create-user", "   ", "u1"],
    ["create-user", "hl\x00", "u1"],
    ["create-user", "h" * 65, "u1"],
    ["create-user", "hl2", "no-such-unit"],
    ["create-user", "hl1", "u1"],
    ["enrollment-code", "hl1", "--hours", "0"],
    ["enrollment-code", "hl1", "--hours", "-1"],
    ["enrollment-code", "hl1", "--hours", "1000000000"],
    ["enrollment-code", "hl1", "--hours", str(10**20)],
    ["register-case", "/nonexistent/case.json", "/nonexistent/person.json", "u1"],
    ["register-decision", "c1", "/nonexistent/decision.json"],
])
def test_an_odd_value_is_refused_in_one_line_and_nothing_is_stored(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    assert admin.main(["create-unit", "u1", "Enhet 1"]) == 0
    assert admin.main(["create-user", "hl1", "u1"]) == 0
    before = _counts(database_url)
    capsys.readouterr()
    assert admin.main(command) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and error.count("\n") == 1, error
    assert _counts(database_url) == before


def test_the_ids_a_laptop_can_hold_are_taken(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    assert admin.main(["create-unit", "Biståndsenheten Öst", "Biståndsenheten Öst"]) == 0
    assert admin.main(["create-user", "Åsa Öberg-Ängström", "Biståndsenheten Öst"]) == 0
    assert admin.main(["create-user", "a" * 64, "Biståndsenheten Öst"]) == 0
    assert admin.main(["enrollment-code", "a" * 64, "--hours", "1"]) == 0
    assert _counts(database_url) == (1, 2, 1)
