"""The change log's ordering lock: every seq (a field change or a withdrawal) is taken under it, in one transaction
at a time, so seqs become visible in commit order and a pull never skips one committed late."""

from __future__ import annotations

from sync.server.access import Conn

CHANGE_LOG_LOCK = 7302


def lock_change_log(conn: Conn) -> None:
    """Hold the ordering lock until the caller's transaction ends."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOG_LOCK,))
