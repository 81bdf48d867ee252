"""The change log's ordering lock: seqs (field changes and withdrawals) are taken under it SHARED, so writers never
wait for each other, and a reader of the log by seq (a pull, the integration feed) passes a BARRIER first: the lock
taken EXCLUSIVE and let go at once. The barrier is granted only once every writer that had taken a seq before it
asked has committed or rolled back, so the reader never skips a seq committed late, whatever order writers commit in.

The reader's top (the highest seq it may send) is read in the barrier's own statement, from the snapshot taken
before its wait. Read after the barrier, in a later snapshot, it could be a seq taken after the barrier by a writer
that committed before another, still in flight, with a lower seq. Every seq at or below a top read before the wait
was taken before the wait, by a writer then holding the lock (the seq is taken under it), so that writer has ended
once the barrier is granted, and the reader's next statements, each a new snapshot (READ COMMITTED), see it.

PostgreSQL queues a new shared request behind a waiting exclusive one: a barrier waits only for the writers in
flight (their INSERT to their COMMIT). A writer in flight may be long (a bulk registration holds the lock from its
first chunk to its end) or stuck (a session left open by hand), so a barrier waits at most ``BARRIER_TIMEOUT``: then
the reader is told the server is busy (``ServerBusy``: 503 with Retry-After) and nothing is read. The locks are the
database's: every server process shares them.
"""

from __future__ import annotations

import psycopg
from psycopg import pq

from sync.server.access import Conn
from sync.server.db import autocommitted
from sync.server.errors import ServerBusy

CHANGE_LOG_LOCK = 7302

# How long a barrier waits for the writers in flight before the reader is answered 503 (docs/sync.md, "Every applied
# change"). The writers it waits for hold the lock from their INSERT to their COMMIT: milliseconds for a push (a
# 1,000-op batch's INSERT and COMMIT ~5-10 ms), so 5 s is hundreds of times the longest ordinary wait; and every push
# that arrives meanwhile queues behind the waiting barrier, so it is also how long a stuck writer can hold pushes up.
# Well under the laptop's 30-s request timeout: the laptop gets an answer, not a timeout it would retry six times.
BARRIER_TIMEOUT_SECONDS = 5
# What a reader told "busy" is asked to wait before it asks again (a bulk registration ends within minutes).
BUSY_RETRY_AFTER_SECONDS = 60


# The same lock as the first part of a statement that takes seqs (``WITH ... INSERT``): one round trip instead of two.
# The lock's one row is cross-joined to every inserted row, and a seq (the column's default) is computed on the rows
# the join yields: a join yields no row before both sides have one, so under any plan no row and no seq comes before
# the lock is held (checked with each join method, sort and materialize turned off, generic plans, forced parallel
# mode, JIT, 20,000 rows: s21-rpushsrv). MATERIALIZED: never inlined, the call runs once.
LOCKED = f"WITH ordering AS MATERIALIZED (SELECT pg_advisory_xact_lock_shared({CHANGE_LOG_LOCK}))"

# One statement, its own transaction (autocommitted): the exclusive lock goes with it, held for microseconds. The
# top comes from the statement's snapshot, taken before the wait (see above); withdrawals share the log's sequence,
# so the top covers both and neither is skipped nor held back.
# The lock timeout is set for the statement's own transaction (set_config's is_local) by the lock's argument, so it
# is in force before the lock is asked for (an argument is computed before its function is called): one statement
# still, where a SET LOCAL would make it a transaction of its own (two round trips more a pull).
_SETTLED_TOP = (
    "WITH barrier AS MATERIALIZED (SELECT pg_advisory_xact_lock("
    f"CASE WHEN set_config('lock_timeout', '{BARRIER_TIMEOUT_SECONDS}s', true) IS NOT NULL THEN {CHANGE_LOG_LOCK} END))"
    " SELECT greatest((SELECT coalesce(max(seq), 0) FROM change_log),"
    " (SELECT coalesce(max(seq), 0) FROM case_withdrawals)) AS top FROM barrier"
)


def lock_change_log(conn: Conn) -> None:
    """Hold the ordering lock (shared: writers side by side) until the caller's transaction ends; take seqs after."""
    conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (CHANGE_LOG_LOCK,))


def settled_top(conn: Conn) -> int:
    """Pass the barrier and return the highest seq a reader may send: every seq at or below it is final (committed
    or rolled back), and the caller's following statements see all of them. ``ServerBusy`` when a writer in flight
    holds it longer than ``BARRIER_TIMEOUT_SECONDS``. The connection must have no open transaction: a barrier inside
    one would hold every writer off until it ends."""
    if conn.info.transaction_status != pq.TransactionStatus.IDLE:
        raise RuntimeError("the change log's barrier needs a connection with no open transaction")
    with autocommitted(conn):
        try:
            row = conn.execute(_SETTLED_TOP).fetchone()
        except psycopg.errors.LockNotAvailable:  # a writer in flight for longer than BARRIER_TIMEOUT_SECONDS
            raise ServerBusy(BUSY_RETRY_AFTER_SECONDS) from None
    assert row is not None
    return int(row["top"])
