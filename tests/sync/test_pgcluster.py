"""The throwaway PostgreSQL cluster of the sync tests, the benches and dev mode (``sync/server/pgcluster.py``)."""

from __future__ import annotations

import socket

import psycopg
import pytest

from sync.server import pgcluster
from sync.server.pgcluster import PgCluster


def test_a_port_taken_after_it_was_found_free_is_not_the_one_the_cluster_starts_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No port can be held for another process: on a shared machine (other engineers' tests, a CI run) the port
    found free when the cluster was made was taken during initdb's seconds, and every sync test of the run errored
    at its first fixture. Here it is taken on purpose: the cluster starts on the next port found free."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        taken_port = taken.getsockname()[1]
        found = iter([taken_port])
        real_free_port = pgcluster.free_port
        monkeypatch.setattr(pgcluster, "free_port", lambda: next(found, None) or real_free_port())
        cluster = PgCluster()
        try:
            cluster.start()
            assert cluster.port != taken_port
            with psycopg.connect(cluster.url(), autocommit=True) as connection:
                assert connection.execute("SELECT 1").fetchone() == (1,)
        finally:
            cluster.stop()
