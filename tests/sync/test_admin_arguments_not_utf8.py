"""IT's commands given an argument that is not UTF-8 (a script saved in Latin-1, a terminal in another encoding) say
which argument, exit status 2, before anything reaches the database (s23-probesrv). Before, the admin and report
commands ended in the codec's "'utf-8' codec can't encode character '\\udcff' in position 9: surrogates not allowed"
with exit status 1, naming neither the argument nor the cause. Each fails on main."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sync_support import REPO

LATIN1_UNIT = "enhet-söder".encode("latin-1")  # ö as one byte: no UTF-8


def command(database_url: str, module: str, *arguments: bytes) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environb.items() if not key.startswith(b"HEMBESOK_SYNC_")}
    env[b"HEMBESOK_SYNC_DATABASE_URL"] = database_url.encode()
    return subprocess.run([sys.executable.encode(), b"-m", module.encode(), *arguments], cwd=REPO, env=env,
                          capture_output=True, timeout=120, check=False)


@pytest.mark.parametrize(("arguments", "name"), [
    ((b"create-user", b"handlaggare-1", LATIN1_UNIT), "unit_id"),
    ((b"enrollment-code", b"handl\xe4ggare"), "user_id"),
    ((b"revoke-device", b"laptop-\xe5", b"lost"), "device_id"),
    ((b"assign-case", b"case-1", LATIN1_UNIT), "unit_id"),
    ((b"set-role", b"samordnare-\xf6", b"unit_reports"), "user_id"),
])
def test_an_admin_argument_that_is_not_utf8_is_named_in_one_usage_error(database_url: str,
                                                                          arguments: tuple[bytes, ...],
                                                                          name: str) -> None:
    done = command(database_url, "sync.server.admin", *arguments)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert err.strip().splitlines()[-1].endswith(
        f"error: argument {name} is not UTF-8 text (the terminal's or the script's encoding)")
    assert "codec" not in err and "Traceback" not in err


def test_a_report_unit_that_is_not_utf8_is_named_in_one_line(database_url: str) -> None:
    done = command(database_url, "sync.server.reports", b"--unit", LATIN1_UNIT, b"--from", b"2026-01-01",
                   b"--to", b"2026-01-31", b"--report", b"continuity")
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().strip() == (
        "error: argument unit is not UTF-8 text (the terminal's or the script's encoding)")
