"""The server's connection pool and the one-statement (autocommitted) device check, on a real PostgreSQL."""

from __future__ import annotations

import pytest

from sync.server.db import Pool, autocommitted


def test_a_connection_given_back_in_autocommit_is_never_lent_again(database_url: str) -> None:
    pool = Pool(database_url, 1)
    try:
        with pool.connection() as conn:
            conn.autocommit = True  # as if autocommitted() had been left without switching back
            first = conn
        with pool.connection() as conn:
            # Lent again, it would commit each statement of the next request's implicit transaction on its own.
            assert conn is not first
            assert not conn.autocommit
            assert first.closed
    finally:
        pool.close()


def test_autocommitted_commits_alone_when_idle_and_joins_an_open_transaction(database_url: str) -> None:
    pool = Pool(database_url, 1)
    try:
        with pool.connection() as conn:
            conn.execute("CREATE TABLE t (n int)")
            conn.commit()
            with autocommitted(conn):
                conn.execute("INSERT INTO t VALUES (1)")
            conn.rollback()  # nothing to undo: the insert was its own transaction
            assert not conn.autocommit
            conn.execute("INSERT INTO t VALUES (2)")  # opens a transaction...
            with autocommitted(conn):
                conn.execute("INSERT INTO t VALUES (3)")  # ...which this joins
            conn.rollback()
            assert [row["n"] for row in conn.execute("SELECT n FROM t ORDER BY n")] == [1]
    finally:
        pool.close()


def test_a_failing_statement_in_autocommitted_leaves_the_connection_usable_and_not_autocommit(
        database_url: str) -> None:
    pool = Pool(database_url, 1)
    try:
        with pool.connection() as conn:
            with pytest.raises(Exception, match="division by zero"), autocommitted(conn):
                conn.execute("SELECT 1 / 0")
            assert not conn.autocommit
            first = conn
        with pool.connection() as conn:
            assert conn is first  # still good: lent again
            assert conn.execute("SELECT 2 AS n").fetchone() == {"n": 2}
    finally:
        pool.close()
