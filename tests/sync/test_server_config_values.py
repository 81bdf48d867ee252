"""Server settings that started a server serving something nobody wrote, or failing later in a traceback: each is
one line on stderr and exit status 2 before anything serves (s23-probesrv; every case but the control fails on
main: started, or stopped in uvicorn's traceback or its "Name or service not known")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sync_support import REPO

SECRET = "f" * 64


def serve(**variables: str | bytes) -> subprocess.CompletedProcess[bytes]:
    """``python -m sync.server`` with a database URL (never reached), a secret and ``variables`` (bytes as given)."""
    env = {key: value for key, value in os.environb.items() if not key.startswith(b"HEMBESOK_SYNC_")}
    settings: dict[str, str | bytes] = {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
                                        "TOKEN_SECRET": SECRET, **variables}
    for name, value in settings.items():
        env[f"HEMBESOK_SYNC_{name}".encode()] = value if isinstance(value, bytes) else value.encode()
    return subprocess.run([sys.executable, "-m", "sync.server"], cwd=REPO, env=env, capture_output=True,
                          timeout=120, check=False)


def error_line(done: subprocess.CompletedProcess[bytes]) -> str:
    text = done.stderr.decode("utf-8", "replace")
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


@pytest.mark.parametrize(("variables", "expected"), [
    # int("1_0_0_0_0") is 10000, int("８４４３") 8443: a port nobody wrote.
    ({"PORT": "1_0_0_0_0"}, "port must be int written with the digits 0-9, not '1_0_0_0_0'"),
    ({"PORT": "８４４３"}, "port must be int written with the digits 0-9"),
    ({"RATE_PER_SECOND": "5_0.0"}, "rate_per_second must be float written with the digits 0-9"),
    # Served on every interface.
    ({"HOST": ""}, "host must name an address to listen on"),
    ({"HOST": "   "}, "host must name an address to listen on"),
    # uvicorn's "[Errno -2] Name or service not known", exit status 3.
    ({"HOST": "no-such-host.invalid"}, "host 'no-such-host.invalid' is not an address of this machine's network"),
    # Every request 500 (1 / rate overflows PostgreSQL's float8); 5e-324 per minute: each worker's traceback.
    ({"RATE_PER_SECOND": "1e-320"}, "rate_per_second must be at least 0.001, not 1e-320"),
    ({"ENROLL_PER_MINUTE": "5e-324"}, "enroll_per_minute must be at least 0.001, not 5e-324"),
    # Beyond a float: every worker's start ended in an OverflowError traceback.
    ({"RATE_BURST": "1" + "0" * 400}, "rate_burst must be at most 1000000000"),
    ({"ENROLL_BURST": "9" * 310}, "enroll_burst must be at most 1000000000"),
    # Bytes that are not UTF-8 (read as lone surrogates): the server started, and every enrollment was a 500.
    ({"TOKEN_SECRET": b"\xff" * 40}, "token_secret holds a control character or bytes that are not UTF-8"),
    ({"DATABASE_URL": b"postgresql://nobody@127.0.0.1:1/none\x01"}, "database_url holds a control character"),
    # uvicorn kept these as names no connection has: the proxy silently untrusted.
    ({"FORWARDED_ALLOW_IPS": "10.0.0.0/33"}, "forwarded_allow_ips must be \"*\" or list addresses or networks"),
    ({"FORWARDED_ALLOW_IPS": "10.0.0.1, proxy.kommun.local"}, "not 'proxy.kommun.local'"),
    ({"FORWARDED_ALLOW_IPS": "10.0.0.5/24"}, "not '10.0.0.5/24'"),
    ({"FORWARDED_ALLOW_IPS": "10.0.0.1, *"}, "not '*'"),
])
def test_a_setting_no_server_can_use_is_one_line_and_exit_status_2(variables: dict[str, str | bytes],
                                                                   expected: str) -> None:
    done = serve(**variables)
    assert done.returncode == 2 and expected in error_line(done)


@pytest.mark.parametrize("content", ["not a certificate\n", None])
def test_a_certificate_that_cannot_be_loaded_is_one_line_not_each_workers_traceback(tmp_path: Path,
                                                                                    content: str | None) -> None:
    # A text file, or a folder: os.access found both readable, and uvicorn's ssl context failed in a traceback.
    if content is None:
        cert = tmp_path / "certs"
        cert.mkdir()
    else:
        cert = tmp_path / "server.pem"
        cert.write_text(content, encoding="utf-8")
    done = serve(TLS_CERT=str(cert), TLS_KEY=str(cert), WORKERS="2")
    line = error_line(done)
    assert done.returncode == 2
    assert f"tls_cert {cert} and tls_key {cert} cannot be loaded as a PEM certificate chain" in line


@pytest.mark.parametrize("variables", [{"FORWARDED_ALLOW_IPS": "10.0.0.1, 10.1.0.0/16, ::1,"},
                                       {"FORWARDED_ALLOW_IPS": " * "}, {"PORT": " 8443 ", "RATE_PER_SECOND": "0.001"},
                                       # A no-break space and a soft hyphen (pasted from a document) serve as
                                       # written: refused as "a control character" (s23-rprobesrv).
                                       {"TOKEN_SECRET": SECRET + "\u00a0lång\u00adhemlighet"}])
def test_settings_a_server_can_use_pass_the_checks_and_reach_the_database(variables: dict[str, str]) -> None:
    # The control: the same command gets past every check to the (unreachable) database, exit status 1.
    done = serve(**variables)
    assert done.returncode == 1 and "cannot connect to the database" in error_line(done)
