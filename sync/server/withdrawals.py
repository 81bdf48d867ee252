"""Cases reassigned away from a handläggare: recorded at the reassignment, told to their laptops by the next pull.

Work done on the case while it was still the handläggare's is delivered late rather than lost: their laptop may push
ops on it whose clock time is before the withdrawal, for 30 days (``delivery_deadline_ms``); later ones are
rejected per op.

A withdrawal takes its sequence number from the change log's sequence under the change log's lock, so the pull
cursor orders it among field changes and a reader never skips one committed late. A withdrawal is only told while
the case is still not the user's: assigned back before the laptop pulled, the case simply stays.
"""

from __future__ import annotations

from sync.server.access import Conn
from sync.server.ordering import lock_change_log

# A laptop offline longer than this after its case moved gets its edits on that case refused per op (the status bar
# says so); the handläggare then hands the notes over another way.
LATE_DELIVERY_DAYS = 30


def record_withdrawal(conn: Conn, case_id: str, user_id: str) -> None:
    """Inside the caller's transaction: ``case_id`` no longer belongs to ``user_id``."""
    lock_change_log(conn)
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


def withdrawn_from(conn: Conn, case_id: str, user_id: str) -> bool:
    """True when ``case_id`` was once ``user_id``'s and has been reassigned away (their laptop may still report it)."""
    row = conn.execute(
        "SELECT 1 FROM case_withdrawals WHERE case_id = %s AND user_id = %s LIMIT 1", (case_id, user_id)
    ).fetchone()
    return row is not None


def delivery_deadline_ms(conn: Conn, record_type: str, record_id: str, user_id: str) -> int | None:
    """Ops made before this epoch ms may still be delivered by ``user_id`` (0 once the window has closed); None when
    the case (or no case of this person) was ever withdrawn from them: then the record is simply not theirs."""
    if record_type == "case":
        where = "FROM case_withdrawals w WHERE w.case_id = %s AND w.user_id = %s"
    else:
        where = ("FROM case_withdrawals w JOIN case_access a ON a.case_id = w.case_id"
                 " WHERE a.person_id = %s AND w.user_id = %s")
    # The stamp compared with it is the laptop's own clock: the window bounds how long a moved case stays open.
    row = conn.execute(
        f"SELECT max(w.withdrawn_at) AS at, max(w.withdrawn_at) > now() - make_interval(days => %s) AS open {where}",
        (LATE_DELIVERY_DAYS, record_id, user_id),
    ).fetchone()
    if row is None or row["at"] is None:
        return None
    return int(row["at"].timestamp() * 1000) if row["open"] else 0
