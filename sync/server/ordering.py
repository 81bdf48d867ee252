"""The change log's ordering lock: every seq (a field change or a withdrawal) is taken under it, in one transaction
at a time, so seqs become visible in commit order and a pull never skips one committed late."""

from __future__ import annotations

from sync.server.access import Conn

CHANGE_LOG_LOCK = 7302


# The same lock as the first part of a statement that takes seqs (``WITH ... INSERT``): one round trip instead of two.
# The lock's one row is joined to every inserted row, so no row (and no seq, taken as a row is inserted) comes before
# the lock is held; MATERIALIZED keeps the call out of the join's inner loop (taken once).
LOCKED = f"WITH ordering AS MATERIALIZED (SELECT pg_advisory_xact_lock({CHANGE_LOG_LOCK}))"


def lock_change_log(conn: Conn) -> None:
    """Hold the ordering lock until the caller's transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOG_LOCK,))
