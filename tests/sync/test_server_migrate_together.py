"""Two server processes (or a server and the admin command) starting together on a new database: the second waits
for the first's migrations instead of failing at start (s23-probesrv)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sync_support import REPO

from sync.server.db import connect, migrate, migration_scripts
from sync.server.pgcluster import PgCluster

LOCK = 7301  # db.migrate's advisory lock


@pytest.fixture()
def new_database(pg_cluster: PgCluster) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield pg_cluster.create_database(name)
    pg_cluster.drop_database(name)


def waiting(conn: psycopg.Connection[dict[str, object]]) -> bool:
    """Whether a session waits on a lock (the migrations' own, or a catalog row as on main)."""
    row = conn.execute("SELECT count(*) AS n FROM pg_locks WHERE NOT granted").fetchone()
    return row is not None and int(str(row["n"])) > 0


def test_a_server_starting_while_another_creates_the_migration_table_waits_and_starts(new_database: str) -> None:
    # The other process is inside its first migration: it holds the migrations' lock and has created (not yet
    # committed) schema_migrations. On main, CREATE TABLE IF NOT EXISTS ran before the lock: it waited on the
    # uncommitted table's catalog row and then failed with a UniqueViolation, a traceback where the server should
    # start. Test fails on main.
    outcome: dict[str, object] = {}
    with connect(new_database) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (LOCK,))
        other.execute("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
                      " applied_at timestamptz NOT NULL DEFAULT now())")

        def start() -> None:
            try:
                outcome["applied"] = migrate(new_database)
            except Exception as exc:  # the failure is what the test reports
                outcome["error"] = exc

        starting = threading.Thread(target=start)
        starting.start()
        # Let go only once the starting process waits (on the lock, or on the table's catalog row as on main).
        deadline = time.monotonic() + 30
        while not waiting(other):
            assert time.monotonic() < deadline, "the starting process never waited"
            time.sleep(0.02)
        other.commit()  # the table is there; this process applied nothing (a crash, say) and lets go
        other.execute("SELECT pg_advisory_unlock(%s)", (LOCK,))
        other.commit()
        starting.join(timeout=60)
    assert "error" not in outcome, repr(outcome.get("error"))
    assert outcome["applied"] == [version for version, _, _ in migration_scripts()]


HOLD = 7399  # the test's own lock, which the migrating process's COMMIT waits for


def test_the_migration_lock_is_let_go_only_once_the_migrations_are_committed(new_database: str) -> None:
    """An upgrade with several processes starting (s29-rserver): the migrations ran as savepoints of one transaction
    committed after the lock was let go, so a process that took the lock then read them as not applied and applied
    0013 again ("column at_sent already exists", a traceback where the server should start; 1 in 4 admin processes
    started together on a filled database). The migrating process's commit is held here (a deferred trigger waits
    for the test's lock): while it waits, the migration lock must still be held."""
    with connect(new_database) as conn:  # the migrations before the last, and a commit that waits for HOLD
        scripts = migration_scripts()
        for _version, _name, sql in scripts[:-1]:
            conn.execute(sql.encode("utf-8"))
        conn.execute("CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now())")
        for version, name, _ in scripts[:-1]:
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
        conn.execute(f"CREATE FUNCTION held_commit() RETURNS trigger LANGUAGE plpgsql AS"
                     f" $$ BEGIN PERFORM pg_advisory_xact_lock({HOLD}); RETURN NULL; END; $$")
        conn.execute("CREATE CONSTRAINT TRIGGER held_commit AFTER INSERT ON schema_migrations DEFERRABLE INITIALLY"
                     " DEFERRED FOR EACH ROW EXECUTE FUNCTION held_commit()")
    with connect(new_database) as holder, connect(new_database) as other:
        holder.execute("SELECT pg_advisory_lock(%s)", (HOLD,))
        starting = subprocess.Popen([sys.executable, "-m", "sync.server.admin", "list-devices"], cwd=REPO,
                                    env={**os.environ, "HEMBESOK_SYNC_DATABASE_URL": new_database},
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while not waiting(holder):  # the last migration applied, its commit waiting for HOLD
                assert time.monotonic() < deadline and starting.poll() is None, "the commit never waited"
                time.sleep(0.02)
            taken = other.execute("SELECT pg_try_advisory_lock(%s) AS taken", (LOCK,)).fetchone()
            assert taken == {"taken": False}, "the migration lock was let go before its migrations were committed"
        finally:
            holder.execute("SELECT pg_advisory_unlock(%s)", (HOLD,))
            holder.commit()
            _, error = starting.communicate(timeout=120)
        assert starting.returncode == 0, error
        assert other.execute("SELECT max(version) AS v FROM schema_migrations").fetchone() == {"v": scripts[-1][0]}
