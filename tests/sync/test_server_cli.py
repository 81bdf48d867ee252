"""The server's command lines as IT and a service manager start them: one clear line when something is missing."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sync_support import REPO, ProcessServer, new_config

from sync.server.config import load_config
from sync.server.pgcluster import free_port

SAMPLE = REPO / "installer" / "server" / "sync.toml"
SECRET = "f" * 64


def run(module: str, *arguments: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE ARGS`` with no HEMBESOK_SYNC_* variable but ``variables``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEMBESOK_SYNC_")}
    env.update(variables)
    return subprocess.run([sys.executable, "-m", module, *arguments], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    return lines[0]


def test_without_configuration_the_server_names_what_is_missing_and_how_to_set_it() -> None:
    done = run("sync.server")
    line = one_error_line(done)
    assert done.returncode == 2
    for wanted in ("database URL", "HEMBESOK_SYNC_DATABASE_URL", "database_url", "token secret",
                   "HEMBESOK_SYNC_TOKEN_SECRET", "token_secret", "--config"):
        assert wanted in line


def test_the_sample_configuration_still_needs_a_token_secret_of_the_admins_own(tmp_path: Path) -> None:
    # The sample names every key but ships no secret: a copied sample never runs with a secret others know.
    done = run("sync.server", "--config", str(SAMPLE))
    line = one_error_line(done)
    assert done.returncode == 2 and "token secret" in line and "database URL" not in line
    short = run("sync.server", "--config", str(SAMPLE), HEMBESOK_SYNC_TOKEN_SECRET="s3cret")
    assert short.returncode == 2 and "at least 32 characters" in one_error_line(short)


@pytest.mark.parametrize(("content", "expected"), [
    ('[server]\ndatbase_url = "postgresql:///x"\n', "unknown configuration keys: ['datbase_url']"),
    ("[server\n", "is not valid TOML"),
    ('[server]\nport = "eighty"\n', "port must be int"),
    ('[server]\ndatabase_url = "postgresql:///x"\ntls_cert = "/srv/c.pem"\n',
     "tls_cert and tls_key must be set together"),
    ('[server]\ndatabase_url = "postgresql:///x"\ntls_cert = "/srv/none/c.pem"\ntls_key = "/srv/none/k.pem"\n',
     "tls_cert /srv/none/c.pem does not exist or is not readable"),
    ('[server]\ndatabase_url = "postgresql:///x"\nworkers = 0\n', "workers must be 1..64, not 0"),
    ('[server]\ndatabase_url = "postgresql:///x"\nenroll_per_minute = 0.0\n',
     "enroll_per_minute must be a positive number, not 0.0"),
    # Each taken before (s20-probesrv): truncated or coerced without a word, or a server refusing every request.
    ('[server]\ndatabase_url = "postgresql:///x"\nport = 8443.9\n', "port must be int, not 8443.9"),
    ('[server]\ndatabase_url = "postgresql:///x"\nworkers = true\n', "workers must be int, not True"),
    ('[server]\ndatabase_url = "postgresql:///x"\nhost = 127\n', "host must be str, not 127"),
    ('[server]\ndatabase_url = "postgresql:///x"\nport = 70000\n', "port must be 1..65535, not 70000"),
    ('[server]\ndatabase_url = "postgresql:///x"\nrate_per_second = nan\n',
     "rate_per_second must be a positive number, not nan"),
    ('[server]\ndatabase_url = "postgresql:///x"\nrate_burst = 0\n', "rate_burst must be at least 1, not 0"),
    ('[server]\ndatabase_url = "postgresql:///x"\npool_size = 0\n', "pool_size must be at least 1, not 0"),
    ('[server]\ndatabase_url = "postgresql:///x"\nmax_body_bytes = 0\n',
     "max_body_bytes must be at least 8388608 (the largest request a laptop sends), not 0"),
    # Under a laptop's largest request (8 MiB), the largest pushes met 413 at every sync (session 24).
    ('[server]\ndatabase_url = "postgresql:///x"\nmax_body_bytes = 1048576\n',
     "max_body_bytes must be at least 8388608 (the largest request a laptop sends), not 1048576"),
    ('[server]\ndatabase_url = "postgresql:///x"\nenrollment_code_hours = 0\n',
     "enrollment_code_hours must be 1..8760, not 0"),
    ('[server]\ndatabase_url = "postgresql:///x"\ntoken_lifetime_seconds = 0\n',
     "token_lifetime_seconds must be 60..86400, not 0"),
    ('[server]\ndatabase_url = "postgresql:///x"\nlog_level = "chatty"\n',
     "log_level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'chatty'"),
])
def test_a_wrong_configuration_file_is_one_line_not_a_traceback(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "sync.toml"
    path.write_text(content, encoding="utf-8")
    done = run("sync.server", "--config", str(path), HEMBESOK_SYNC_TOKEN_SECRET=SECRET)
    assert done.returncode == 2 and expected in one_error_line(done)
    missing = run("sync.server", HEMBESOK_SYNC_CONFIG=str(tmp_path / "nowhere.toml"))
    assert missing.returncode == 2 and "cannot read configuration file" in one_error_line(missing)


def test_an_unreachable_database_is_one_line_without_the_password() -> None:
    done = run("sync.server", HEMBESOK_SYNC_DATABASE_URL="postgresql://hembesok:pa55word@127.0.0.1:1/hembesok_sync",
               HEMBESOK_SYNC_TOKEN_SECRET=SECRET)
    line = one_error_line(done)
    assert done.returncode == 1
    assert "cannot connect to the database" in line and "hembesok_sync on 127.0.0.1:1" in line
    assert "pa55word" not in line


def test_the_sample_configuration_serves_once_the_admin_sets_database_and_secret(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_config(SAMPLE, {}).port == 8443  # every key of the sample is one the server knows
    # As the systemd unit starts it: the file named by HEMBESOK_SYNC_CONFIG; here its TLS files and host overridden.
    monkeypatch.setenv("HEMBESOK_SYNC_CONFIG", str(SAMPLE))
    monkeypatch.setenv("HEMBESOK_SYNC_HOST", "127.0.0.1")
    server = ProcessServer(new_config(database_url, token_secret=SECRET)).start()
    try:
        assert httpx.get(f"http://127.0.0.1:{server.config.port}/health").json()["database"] is True
    finally:
        server.stop()


def test_help_describes_the_command_its_configuration_file_and_variables() -> None:
    done = run("sync.server", "--help")
    assert done.returncode == 0
    text = done.stdout
    for wanted in ("central sync server", "PostgreSQL", "--config FILE", "HEMBESOK_SYNC_CONFIG",
                   "installer/server/sync.toml", "python -m sync.server.dev", "docs/deployment.md"):
        assert wanted in text
    for key in ("database_url", "token_secret", "tls_cert", "forwarded_allow_ips", "log_level"):
        assert f"HEMBESOK_SYNC_{key.upper()}" in text and key in text


def test_dev_server_help_explains_its_port_and_needs() -> None:
    done = run("sync.server.dev", "--help")
    assert done.returncode == 0
    port_line = next(line for line in done.stdout.splitlines() if line.strip().startswith("--port"))
    assert "TCP port on 127.0.0.1" in port_line and "8765" in done.stdout
    assert "postgresql" in done.stdout and "deleted on exit" in done.stdout


def test_dev_server_without_postgresql_says_what_to_install(tmp_path: Path) -> None:
    done = run("sync.server.dev", HEMBESOK_PG_BIN=str(tmp_path))
    line = one_error_line(done)
    assert done.returncode == 2 and "install the postgresql package" in line and "HEMBESOK_PG_BIN" in line


def test_admin_without_a_database_url_says_so_in_one_line() -> None:
    done = run("sync.server.admin", "list-devices")
    line = one_error_line(done)
    assert done.returncode == 2 and "HEMBESOK_SYNC_DATABASE_URL" in line and "token secret" not in line


def test_the_report_command_without_a_database_url_says_so_in_one_line() -> None:
    # It said "cannot connect to the database": IT looked for a database fault when no database was named.
    done = run("sync.server.reports", "--municipality", "--from", "2026-01-01", "--to", "2026-12-31", "--report",
               "continuity")
    line = one_error_line(done)
    assert done.returncode == 2 and line.startswith("error: missing configuration: database URL"), line
    assert "HEMBESOK_SYNC_DATABASE_URL" in line and "token secret" not in line


def test_dev_server_prints_its_codes_at_once_serves_and_stops_cleanly() -> None:
    # Started as the README's server command does, its output a pipe (a terminal log, `| tee`, a service manager).
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEMBESOK_SYNC_")}
    process = subprocess.Popen([sys.executable, "-m", "sync.server.dev", "--port", str(port)], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = read_lines_until(process, "integration key", deadline_seconds=120)
        assert lines[0].startswith(f"Sync server (dev) on http://127.0.0.1:{port}")
        assert any("enrollment code for demo-user" in line for line in lines)
        assert wait_for_health(f"http://127.0.0.1:{port}/health", deadline_seconds=60)["database"] is True
    finally:
        process.terminate()  # as a service manager or `timeout` stops it: the throwaway cluster goes too
        assert process.wait(timeout=60) == 0
    with pytest.raises(ConnectionRefusedError):  # the throwaway PostgreSQL is gone with it
        socket.create_connection(("127.0.0.1", int(cluster_port(lines[0]))), timeout=10).close()


def wait_for_health(url: str, deadline_seconds: float,
                    process: subprocess.Popen[bytes] | None = None) -> dict[str, object]:
    """The server's /health answer once it listens (the codes are printed just before it starts serving); polls
    the port, failing at the deadline or as soon as ``process`` (when given) has exited."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        try:
            return dict(httpx.get(url, timeout=5).json())
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"nothing answered at {url}"
            assert process is None or process.poll() is None, "the server exited at start"
            time.sleep(0.1)  # the port is not open yet


def cluster_port(first_line: str) -> str:
    """The throwaway PostgreSQL's port from the dev server's first line (``... database postgresql://...:PORT/...``)."""
    return first_line.rsplit(":", 1)[1].split("/", 1)[0]


def read_lines_until(process: subprocess.Popen[str], marker: str, deadline_seconds: float) -> list[str]:
    """Lines of the process's stdout up to the one containing ``marker``; fails if it does not come in time."""
    # A reader thread, because a buffered text stream and select() on its descriptor disagree about what is left.
    assert process.stdout is not None
    stream = process.stdout
    received: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            received.put(line)

    threading.Thread(target=pump, daemon=True).start()
    lines: list[str] = []
    deadline = time.monotonic() + deadline_seconds
    while not lines or marker not in lines[-1]:
        try:
            lines.append(received.get(timeout=max(deadline - time.monotonic(), 0.001)).rstrip("\n"))
        except queue.Empty:
            raise AssertionError(f"no {marker!r} line in time; got {lines}") from None
    return lines


def test_a_server_process_keeps_the_garbage_collector_off_what_it_holds_for_its_whole_life() -> None:
    # What uvicorn calls in each server process; the pool (and so the database) is only reached once it serves.
    probe = ("import gc; from sync.server.__main__ import worker_app; worker_app();"
             " print(gc.get_freeze_count(), gc.get_threshold()[0])")
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEMBESOK_SYNC_")}
    env.update(HEMBESOK_SYNC_DATABASE_URL="postgresql://nobody@127.0.0.1:9/none", HEMBESOK_SYNC_TOKEN_SECRET=SECRET)
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    frozen, young = (int(word) for word in done.stdout.split())
    assert frozen > 10_000  # modules, routes and models: never walked by a collection again
    assert young == 100_000  # above a push's working set: its batches set off no collection (bench/README, s25-pushsrv)


def test_a_server_process_lets_a_waiting_thread_in_after_a_millisecond() -> None:
    # A batch validated on the event loop starts in its worker thread without waiting Python's 5 ms for the loop or
    # the other batch's thread to let go of the interpreter.
    probe = "import sys; from sync.server.__main__ import worker_app; worker_app(); print(sys.getswitchinterval())"
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEMBESOK_SYNC_")}
    env.update(HEMBESOK_SYNC_DATABASE_URL="postgresql://nobody@127.0.0.1:9/none", HEMBESOK_SYNC_TOKEN_SECRET=SECRET)
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    assert float(done.stdout) == 0.001


@pytest.mark.parametrize("module", ["sync.server", "sync.server.admin"])
@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_a_configuration_file_not_in_utf8_is_one_line_not_a_traceback(tmp_path: Path, module: str,
                                                                      encoding: str) -> None:
    # Fails on main: a UnicodeDecodeError traceback (exit status 1).
    path = tmp_path / "sync.toml"
    path.write_text('# Hembesök, Vårdvägen\n[server]\ndatabase_url = "postgresql:///x"\n', encoding=encoding)
    done = run(module, "--config", str(path), *(["list-devices"] if module.endswith("admin") else []),
               HEMBESOK_SYNC_TOKEN_SECRET=SECRET)
    assert done.returncode == 2
    assert one_error_line(done).endswith(f"configuration file {path} is not UTF-8 text: save it as UTF-8")


def test_a_configuration_file_with_a_byte_order_mark_is_read(tmp_path: Path, database_url: str) -> None:
    # Fails on main: "is not valid TOML: Invalid statement (at line 1, column 1)", as Notepad saves UTF-8.
    path = tmp_path / "sync.toml"
    path.write_text(f'# Hembesök\n[server]\ndatabase_url = "{database_url}"\n', encoding="utf-8-sig")
    done = run("sync.server.admin", "--config", str(path), "create-unit", "vardvagen", "Vårdvägen")
    assert done.returncode == 0, done.stderr
    assert run("sync.server.admin", "--config", str(path), "create-unit", "vardvagen", "Vårdvägen").returncode == 1
