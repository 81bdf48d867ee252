"""Cases reassigned away from a handläggare: recorded at the reassignment, told to their laptops by the next pull.

A withdrawal takes its sequence number from the change log's sequence under the change log's lock, so the pull
cursor orders it among field changes and a reader never skips one committed late. A withdrawal is only told while
the case is still not the user's: assigned back before the laptop pulled, the case simply stays.
"""

from __future__ import annotations

from sync.server.access import Conn
from sync.server.push_service import CHANGE_LOG_LOCK


def record_withdrawal(conn: Conn, case_id: str, user_id: str) -> None:
    """Inside the caller's transaction: ``case_id`` no longer belongs to ``user_id``."""
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (CHANGE_LOG_LOCK,))
    conn.execute(
        "INSERT INTO case_withdrawals (seq, case_id, user_id)"
        " VALUES (nextval(pg_get_serial_sequence('change_log', 'seq')), %s, %s)",
        (case_id, user_id),
    )


def withdrawals_between(conn: Conn, user_id: str, after: int, upto: int) -> list[tuple[int, str]]:
    """(seq, case id) of withdrawals for ``user_id`` with ``after < seq <= upto`` whose case is still not theirs."""
    rows = conn.execute(
        "SELECT w.seq, w.case_id FROM case_withdrawals w WHERE w.user_id = %s AND w.seq > %s AND w.seq <= %s"
        " AND NOT EXISTS (SELECT 1 FROM case_access a WHERE a.case_id = w.case_id AND a.assigned_user_id = %s)"
        " ORDER BY w.seq",
        (user_id, after, upto, user_id),
    ).fetchall()
    return [(int(r["seq"]), str(r["case_id"])) for r in rows]


def latest_seq(conn: Conn) -> int:
    """The highest withdrawal seq (0 when none): a pull's top must cover withdrawals as well as changes."""
    row = conn.execute("SELECT coalesce(max(seq), 0) AS top FROM case_withdrawals").fetchone()
    return 0 if row is None else int(row["top"])
