"""A throwaway PostgreSQL cluster in a temporary folder (dev mode and tests), via initdb and pg_ctl.

When running as root, PostgreSQL refuses to start, so the binaries run as ``postgres`` via runuser on a folder
that user owns.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg


def _default_pg_bin() -> Path:
    """The newest Debian/Ubuntu PostgreSQL server binaries (15 on Debian 12, 16 on Ubuntu 24.04)."""
    found = [p for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if p.parts[-3].isdigit()]
    versions = sorted(found, key=lambda p: int(p.parts[-3]))
    return versions[-1].parent if versions else Path("/usr/lib/postgresql/15/bin")


PG_BIN = Path(os.environ.get("HEMBESOK_PG_BIN") or _default_pg_bin())


def missing_postgresql() -> str:
    """Why a throwaway cluster cannot start here (one line), or "" when it can."""
    if not (PG_BIN / "initdb").exists():
        return (f"PostgreSQL's server programs are not in {PG_BIN}: install the postgresql package"
                " (bash installer/system-deps.sh server) or set HEMBESOK_PG_BIN to their folder")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root needs runuser (util-linux) to start PostgreSQL as the postgres user"
    return ""


START_ATTEMPTS = 5  # ports tried when the one found free was taken before the server bound it


def _port_was_taken(log: Path, offset: int) -> bool:
    """Whether the server's log, from ``offset`` on, says its port was in use."""
    try:
        with log.open("rb") as file:
            file.seek(offset)
            return b"Address already in use" in file.read()
    except OSError:
        return False


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgCluster:
    """initdb + pg_ctl start on 127.0.0.1:<port> with trust auth; ``stop()`` removes everything."""

    def __init__(self, port: int | None = None) -> None:
        self._port_given = port is not None
        self.port = port or free_port()  # found again as the server starts (see start)
        self.root = Path(tempfile.mkdtemp(prefix="hembesok-pg-"))
        self.data = self.root / "data"
        self._as_root = os.geteuid() == 0
        self._started = False

    def _run(self, *args: str) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.root)

    def start(self) -> PgCluster:
        """Create and start the cluster; fsync off because it is thrown away (tests measure logic, not disks)."""
        if self._as_root:
            shutil.chown(self.root, "postgres", "postgres")
            os.chmod(self.root, 0o700)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        log = self.root / "server.log"
        for attempt in range(1, START_ATTEMPTS + 1):
            if not self._port_given:
                # Found free now, not when the cluster was made: initdb takes seconds, in which any process on the
                # machine (an outgoing connection's local port too) may take a port nobody listened on then.
                self.port = free_port()
            logged = log.stat().st_size if log.exists() else 0
            options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root}" \
                      " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")
                break
            except subprocess.CalledProcessError:
                # Taken between free_port and the server's bind (no port can be held for another process): another.
                if self._port_given or attempt == START_ATTEMPTS or not _port_was_taken(log, logged):
                    raise
        self._started = True
        return self

    def url(self, database: str = "postgres") -> str:
        """Connection URL for ``database``."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A fresh empty database; returns its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Remove ``name`` and its files at once, closing any connection still open to it."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server and delete the folder."""
        if self._started:
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            finally:
                self._started = False
        shutil.rmtree(self.root, ignore_errors=True)
