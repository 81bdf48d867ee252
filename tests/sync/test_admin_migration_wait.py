"""IT's admin command while another process holds the migrations' lock (a sync server applying migrations at its
start, or a session left holding it): the command says on stderr what it waits for, and gives up at its
``--migration-wait`` with one line and exit status 1, nothing changed; let go in time, it runs. On main it waited
without a word and without an end (s32-edges), as did the report command. Run as IT runs them: ``python -m
sync.server.admin`` (and ``.reports``) on real PostgreSQL, the lock held by another connection."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sync_support import REPO

from sync.server.db import MIGRATION_LOCK, connect
from sync.server.pgcluster import free_port
from sync.server.report_service import REPORT_NAMES

WAITING = "python -m sync.server.admin: waiting for another process (a sync server starting) to finish applying the" \
          " database's migrations (PostgreSQL session {pid} holds the migrations' lock); giving up after {limit} s" \
          " (--migration-wait)"


def _started(url: str, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "sync.server.admin", *arguments], cwd=REPO, text=True,
                            env={**os.environ, "HEMBESOK_SYNC_DATABASE_URL": url}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


@contextmanager
def _lock_held(url: str) -> Iterator[tuple[psycopg.Connection[Any], int]]:
    """The migrations' lock held by a session of the test's (as a server applying migrations holds it), its pid."""
    with connect(url) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        row = holder.execute("SELECT pg_backend_pid() AS pid").fetchone()
        holder.commit()
        assert row is not None
        yield holder, int(str(row["pid"]))


def _units(url: str, unit_id: str) -> int:
    with connect(url) as conn:
        row = conn.execute("SELECT count(*) AS n FROM units WHERE id = %s", (unit_id,)).fetchone()
        return int(str(row["n"])) if row else -1


def test_a_command_says_it_waits_for_the_migrations_and_gives_up_at_its_limit(database_url: str) -> None:
    with _lock_held(database_url) as (_holder, pid):
        command = _started(database_url, "--migration-wait", "1", "create-unit", "enhet-vänta", "Enhet Vänta")
        try:  # held until the command has ended: it ends by its own limit (the test's 120 s is only a guard)
            out, error = command.communicate(timeout=120)
        finally:
            command.kill()
    assert command.returncode == 1, error
    assert out == "" and "Traceback" not in error
    assert error.splitlines() == [
        WAITING.format(pid=pid, limit=1),
        f"python -m sync.server.admin: error: gave up after 1 s waiting for another process to finish applying the"
        f" database's migrations (PostgreSQL session {pid} holds the migrations' lock); nothing was changed: run it"
        " again once the server has started (its log says migrations_applied), or give a longer --migration-wait",
    ]
    assert _units(database_url, "enhet-vänta") == 0


def test_a_lock_let_go_within_the_limit_lets_the_command_run(database_url: str) -> None:
    with _lock_held(database_url) as (holder, pid):
        command = _started(database_url, "--migration-wait", "120", "create-unit", "enhet-vänta", "Enhet Vänta")
        try:
            assert command.stderr is not None
            said = command.stderr.readline()  # it says it waits (or, on main, never: the guard below ends it)
            holder.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
            holder.commit()
            _out, error = command.communicate(timeout=120)
        finally:
            command.kill()
    assert said.rstrip("\n") == WAITING.format(pid=pid, limit=120)
    assert (command.returncode, error) == (0, "")
    assert _units(database_url, "enhet-vänta") == 1


def test_a_wait_limit_out_of_range_is_refused_before_any_wait(database_url: str) -> None:
    with _lock_held(database_url):
        done = subprocess.run([sys.executable, "-m", "sync.server.admin", "--migration-wait", "0", "list-devices"],
                              cwd=REPO, text=True, env={**os.environ, "HEMBESOK_SYNC_DATABASE_URL": database_url},
                              capture_output=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].endswith("error: argument --migration-wait: whole seconds from 1 to 86400")


def test_the_report_command_says_it_waits_and_gives_up_alike(database_url: str) -> None:
    # IT's other command applies migrations the same way (python -m sync.server.reports): on main it waited as long.
    with _lock_held(database_url) as (_holder, pid):
        command = subprocess.Popen(
            [sys.executable, "-m", "sync.server.reports", "--municipality", "--from", "2026-01-01", "--to",
             "2026-01-31", "--report", REPORT_NAMES[0], "--migration-wait", "1"], cwd=REPO, text=True,
            env={**os.environ, "HEMBESOK_SYNC_DATABASE_URL": database_url}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        try:
            out, error = command.communicate(timeout=120)
        finally:
            command.kill()
    assert (command.returncode, out) == (1, "")
    assert error.splitlines() == [
        WAITING.format(pid=pid, limit=1).replace("sync.server.admin", "sync.server.reports"),
        f"error: gave up after 1 s waiting for another process to finish applying the database's migrations"
        f" (PostgreSQL session {pid} holds the migrations' lock); nothing was changed: run it again once the server"
        " has started (its log says migrations_applied), or give a longer --migration-wait",
    ]


def test_a_server_start_says_it_waits_for_the_migrations_then_starts(database_url: str) -> None:
    """The server's start waits as long as it takes (a server must not give up on its own schema), but says so once
    in its log with the holder's pid: it waited without a word, and the journal showed a start that hung."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEMBESOK_SYNC_")}
    env.update({"HEMBESOK_SYNC_DATABASE_URL": database_url, "HEMBESOK_SYNC_PORT": str(free_port()),
                "HEMBESOK_SYNC_HOST": "127.0.0.1", "HEMBESOK_SYNC_TOKEN_SECRET": "f" * 64})
    with _lock_held(database_url) as (holder, pid):
        server = subprocess.Popen([sys.executable, "-m", "sync.server"], cwd=REPO, env=env, text=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            events = _events(server)
            waiting = _next_event(events, "migrations_waiting")
            assert (waiting["level"], waiting["holder_pid"]) == ("WARNING", pid)
            holder.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
            holder.commit()
            assert _next_event(events, "migrations_applied")["level"] == "INFO"
        finally:
            server.terminate()
            server.wait(timeout=60)


def _events(process: subprocess.Popen[str]) -> queue.Queue[dict[str, Any]]:
    """The process's JSON log lines as they come, read by a thread of their own (a start that never logs must fail
    the test at its guard, not hang it)."""
    lines: queue.Queue[dict[str, Any]] = queue.Queue()
    stream = process.stderr
    assert stream is not None

    def pump() -> None:
        for line in stream:
            if line.startswith("{"):
                lines.put(json.loads(line))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _next_event(events: queue.Queue[dict[str, Any]], event: str) -> dict[str, Any]:
    """The next log line of ``event``, within a guard of 120 s (only the durability warning may come between)."""
    while True:
        found = events.get(timeout=120)
        assert found["event"] in (event, "database_durability_off"), found
        if found["event"] == event:
            return found
