"""IT's admin commands with odd but possible values: each refused in one line on stderr with exit status 1 and
nothing stored, never a traceback. Before, an empty, blank, 1,000-character or control-character unit or user id was
stored (a user id no laptop profile can hold: profiles take 1-64 characters), a user in an unknown unit or a second
unit with a taken id ended in a psycopg traceback, a code valid for 10^9 hours in an OverflowError and a missing JSON
file in a FileNotFoundError."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ibic.demo import demo_cases
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
    # s25-odd: an id differing from one there only in case ("HL1" beside "hl1": two accounts nobody could tell
    # apart by reading them; device ids are one device compared ignoring case, docs/sync.md). Fails on main.
    ["create-unit", "U1", "Enhet ett igen"],
    ["create-user", "HL1", "u1"],
    ["create-user", "Hl1", "u1"],
    ["enrollment-code", "hl1", "--hours", "0"],
    ["enrollment-code", "hl1", "--hours", "-1"],
    ["enrollment-code", "hl1", "--hours", "1000000000"],
    ["enrollment-code", "hl1", "--hours", str(10**20)],
    ["register-case", "/nonexistent/case.json", "/nonexistent/person.json", "u1"],
    ["register-decision", "c1", "/nonexistent/decision.json"],
    # s27-srv: U+0000 in an id the command looks up (a script's subprocess call can pass it) ended in psycopg's
    # DataError traceback. Fails on main.
    ["assign-case", "c\x00", "u1"],
    ["assign-case", "c1", "u1\x00"],
    ["revoke-device", "laptop\x00", "lost"],
    ["revoke-integration", "i\x00"],
    ["enrollment-code", "hl1\x00"],
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


def _export(tmp_path: Path) -> tuple[Path, Path, dict[str, Any], dict[str, Any]]:
    """A fictitious demo case and its person as the integration's export writes them (UTF-8 JSON files)."""
    people, cases = demo_cases(date(2026, 11, 23))
    case = cases[0].model_dump(mode="json")
    person = next(p for p in people if p.id == cases[0].person_id).model_dump(mode="json")
    case.update(decisions=[], decision_statuses=[])
    case_file, person_file = tmp_path / "case.json", tmp_path / "person.json"
    case_file.write_text(json.dumps(case), encoding="utf-8")
    person_file.write_text(json.dumps(person), encoding="utf-8")
    return case_file, person_file, case, person


def _stored_records(database_url: str) -> int:
    with connect(database_url) as conn:
        row = conn.execute("SELECT count(*) AS n FROM records").fetchone()
        assert row is not None
        return int(row["n"])


@pytest.mark.parametrize(("which", "content", "reason"), [
    ("person", "null", "the person file holds no JSON object"),
    ("person", "5", "the person file holds no JSON object"),
    ("case", '"text"', "the case file holds no JSON object"),
    ("person", "deep", "the person file: JSON nested deeper than 64 levels"),
    ("person", "65 levels", "the person file: JSON nested deeper than 64 levels"),
    ("person", "duplicate", "the person file: an object holds the same key twice"),
    ("case", "nan", "the case file: NaN and Infinity are not JSON numbers"),
    ("case", "{", "the case file: not valid JSON (line 1, column 2"),
    ("person", "latin-1", "the person file: not UTF-8, UTF-16 or UTF-32 text"),
    # Was "error: Exceeds the limit (4300 digits) for integer string conversion: ...; use
    # sys.set_int_max_str_digits() to increase the limit", naming neither the file nor the rule (s20-rprobesrv).
    ("case", "long number", "the case file: a number of more than 4300 digits"),
])
def test_an_export_file_that_is_no_json_object_or_holds_a_key_twice_is_refused_in_one_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    which: str, content: str, reason: str,
) -> None:
    # Before: null or a number as the person ended in a TypeError traceback and a deep file in a RecursionError;
    # a given name written twice (the export's bug) was stored with the second value, NaN was taken as a number.
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    assert admin.main(["create-unit", "u1", "Enhet 1"]) == 0
    case_file, person_file, case, person = _export(tmp_path)
    odd = {
        "duplicate": json.dumps(person)[:-1] + ', "given_name": "Annan"}',
        "nan": json.dumps(case)[:-1] + ', "notes": NaN}',
        "deep": "[" * 100_000 + "]" * 100_000,
        "65 levels": "[" * 65 + "]" * 65,
        "long number": json.dumps(case)[:-1] + ', "notes": ' + "9" * 5000 + "}",
    }
    target = person_file if which == "person" else case_file
    if content == "latin-1":
        target.write_bytes(json.dumps({**person, "given_name": "Åsa"}, ensure_ascii=False).encode("latin-1"))
    else:
        target.write_text(odd.get(content, content), encoding="utf-8")
    capsys.readouterr()
    assert admin.main(["register-case", str(case_file), str(person_file), "u1"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"error: {reason}") and error.count("\n") == 1, error
    assert "Annan" not in error and "Åsa" not in error, "the reason, never a value"
    assert _stored_records(database_url) == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_an_export_file_with_a_byte_order_mark_or_in_utf16_is_registered(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, encoding: str
) -> None:
    # Windows tools write these (Notepad's "UTF-8 with BOM", PowerShell 5's Out-File); before, "Unexpected UTF-8 BOM".
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    assert admin.main(["create-unit", "u1", "Enhet 1"]) == 0
    case_file, person_file, case, person = _export(tmp_path)
    person["given_name"] = "Åsa"
    person_file.write_text(json.dumps(person, ensure_ascii=False), encoding=encoding)
    case_file.write_text(json.dumps(case, ensure_ascii=False), encoding=encoding)
    assert admin.main(["register-case", str(case_file), str(person_file), "u1"]) == 0
    with connect(database_url) as conn:
        row = conn.execute("SELECT document FROM record_documents WHERE record_type = 'person' AND record_id = %s",
                           (person["id"],)).fetchone()
    assert row is not None and row["document"]["given_name"] == "Åsa"


def test_a_decision_file_that_is_no_json_object_is_refused_in_one_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    decision_file = tmp_path / "decision.json"
    decision_file.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    capsys.readouterr()
    assert admin.main(["register-decision", "c1", str(decision_file)]) == 1
    error = capsys.readouterr().err
    assert error == "error: the decision file: JSON nested deeper than 64 levels\n", error


@pytest.mark.parametrize("name", ["", "   ", "V" * 501, "Verksamhets\nsystemet", "Lifecare\x01"])
def test_an_integration_without_a_printable_name_is_refused_and_no_key_is_made(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    # Before, each was stored and its key printed: a blank or 100,000-character name in list-integrations, and a line
    # break that split the listing's one line per integration in two.
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    capsys.readouterr()
    assert admin.main(["create-integration", "lifecare", name]) == 1
    output = capsys.readouterr()
    assert output.err == "error: an integration's name is 1-500 printable characters\n" and output.out == ""
    assert admin.main(["list-integrations"]) == 0
    assert capsys.readouterr().out == ""
    assert admin.main(["create-integration", "lifecare", "Lifecare – Östra"]) == 0


def test_an_enrollment_code_lasts_as_long_as_the_configuration_says(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # enrollment_code_hours (docs/sync.md, installer/server/sync.toml) was read by nothing: every code lasted 72 h.
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    monkeypatch.setenv("HEMBESOK_SYNC_ENROLLMENT_CODE_HOURS", "2")
    assert admin.main(["create-unit", "u1", "Enhet 1"]) == 0
    assert admin.main(["create-user", "hl1", "u1"]) == 0
    assert admin.main(["enrollment-code", "hl1"]) == 0
    assert admin.main(["enrollment-code", "hl1", "--hours", "5"]) == 0  # the option still decides when given
    with connect(database_url) as conn:
        rows = conn.execute("SELECT expires_at - now() AS valid FROM enrollment_codes ORDER BY expires_at").fetchall()
    hours = [round(row["valid"].total_seconds() / 3600) for row in rows]
    assert hours == [2, 5], hours


def test_a_log_level_named_as_logging_names_it_still_runs_the_commands(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # logging takes "WARN", "FATAL" and "NOTSET" too, and a configuration saying so served on main; the range check
    # of s20-probesrv refused them (exit 2), so such a deployment would not have started after the update.
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    for level in ("WARN", "FATAL", "NOTSET", "WARNING"):
        monkeypatch.setenv("HEMBESOK_SYNC_LOG_LEVEL", level)
        assert admin.main(["list-devices"]) == 0, capsys.readouterr().err
    monkeypatch.setenv("HEMBESOK_SYNC_LOG_LEVEL", "warn")  # logging refuses it: each worker ended in a ValueError
    assert admin.main(["list-devices"]) == 2
    assert "log_level must be one of" in capsys.readouterr().err


def test_a_whole_number_written_as_a_float_in_the_configuration_still_runs_the_commands(
    database_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # TOML reads 600.0 and 9e6 as floats; such whole numbers served as ints on main, and s20-probesrv's type check
    # refused them (exit 2), so such a deployment would not have started after the update. A fraction is refused.
    # (9e6: since session 24 the body limit is at least a laptop's largest request, 8 MiB.)
    path = tmp_path / "sync.toml"
    whole = f'[server]\ndatabase_url = "{database_url}"\ntoken_lifetime_seconds = 600.0\nmax_body_bytes = 9e6\n'
    path.write_text(whole, encoding="utf-8")
    assert admin.main(["--config", str(path), "list-devices"]) == 0, capsys.readouterr().err
    path.write_text(whole.replace("600.0", "600.5"), encoding="utf-8")
    assert admin.main(["--config", str(path), "list-devices"]) == 2
    assert "token_lifetime_seconds must be int, not 600.5" in capsys.readouterr().err
