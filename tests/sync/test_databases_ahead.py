"""The sync tests' databases made one test ahead on a thread (``tests/sync/databases_ahead.py``)."""

from __future__ import annotations

import psycopg
import pytest
from databases_ahead import DatabasesAhead

from sync.server.pgcluster import PgCluster


def test_a_drop_that_failed_on_the_thread_is_raised_not_lost(pg_cluster: PgCluster) -> None:
    """Dropped in a test's teardown, a database that could not be dropped failed that test; dropped on the thread,
    the error stayed in a future nobody read. PostgreSQL refuses to drop the database the drop is connected to."""
    databases = DatabasesAhead(pg_cluster)
    name, _ = databases.take()
    databases.drop(name)
    databases.drop("postgres")
    with pytest.raises(psycopg.Error, match="currently open database"):
        databases.close()
    with psycopg.connect(pg_cluster.url(), autocommit=True) as connection:
        assert connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None
