"""The admin's ``enrollment-code --hours`` takes decimal digits only, as the report routes take a number: Python's
``int`` read ``1_0`` as 10 (digit grouping) and ``٧٢`` as 72 (Arabic-Indic digits) and issued a code for that long.
Refused now as argparse refuses a bad argument (exit status 2, the reason on stderr) and no code is made; fails on
main (a code was issued, exit status 0)."""

from __future__ import annotations

import pytest

from sync.server import admin
from sync.server.db import connect


def _codes(database_url: str) -> int:
    with connect(database_url) as conn:
        row = conn.execute("SELECT count(*) AS n FROM enrollment_codes").fetchone()
        assert row is not None
        return int(row["n"])


@pytest.fixture()
def handlaggare(database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The database, named by the variable IT sets, with one handläggare ``hl1`` in a unit."""
    monkeypatch.setenv("HEMBESOK_SYNC_DATABASE_URL", database_url)
    assert admin.main(["create-unit", "u1", "Enhet 1"]) == 0
    assert admin.main(["create-user", "hl1", "u1"]) == 0
    return database_url


@pytest.mark.parametrize("hours", ["1_0", "٧٢", "+5", " 5"])
def test_hours_not_written_in_decimal_digits_issue_no_code(
    handlaggare: str, capsys: pytest.CaptureFixture[str], hours: str
) -> None:
    database_url = handlaggare
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        admin.main(["enrollment-code", "hl1", "--hours", hours])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.rstrip("\n").endswith("error: argument --hours: write it as decimal digits")
    assert _codes(database_url) == 0
    assert admin.main(["enrollment-code", "hl1", "--hours", "10"]) == 0 and _codes(database_url) == 1
