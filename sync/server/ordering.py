"""The change log's ordering lock: every seq (a field change or a withdrawal) is taken under it, in one transaction
at a time, so seqs become visible in commit order and a pull never skips one committed late."""

from __future__ import annotations

from sync.server.access import Conn

CHANGE_LOG_LOCK = 7302


# The same lock as the first part of a statement that takes seqs (``WITH ... INSERT``): one round trip instead of two.
# The lock's one row is cross-joined to every inserted row, and a seq (the column's default) is computed on the rows
# the join yields: a join yields no row before both sides have one, so under any plan no row and no seq comes before
# the lock is held (checked with each join method, sort and materialize turned off, generic plans, forced parallel
# mode, JIT, 20,000 rows: s21-rpushsrv). MATERIALIZED: never inlined, the call runs once.
LOCKED = f"WITH ordering AS MATERIALIZED (SELECT pg_advisory_xact_lock({CHANGE_LOG_LOCK}))"


def lock_change_log(conn: Conn) -> None:
    """Hold the ordering lock until the caller's transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOG_LOCK,))
