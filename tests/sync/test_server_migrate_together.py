"""Two server processes (or a server and the admin command) starting together on a new database: the second waits
for the first's migrations instead of failing at start (s23-probesrv)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest

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
