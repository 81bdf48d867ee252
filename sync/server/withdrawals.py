"""Cases reassigned away from a handläggare: recorded at the reassignment, told to their laptops by the next pull.

Work done on the case while it was still the handläggare's is delivered late rather than lost: for 30 days their
laptop may push ops on it (and its person) made before the withdrawal by its clock and based on a version it could
have seen (``late_window``); an op that would conflict is refused, never answered with the other unit's value.

A withdrawal takes its sequence number from the change log's sequence under the change log's lock, so the pull
cursor orders it among field changes and a reader never skips one committed late. A withdrawal is only told while
the case is still not the user's: assigned back before the laptop pulled, the case simply stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from ibic.changes import parse_hlc
from sync.server.access import Conn
from sync.server.ordering import lock_change_log

# A laptop offline longer than this after its case moved gets its edits on that case refused per op (the status bar
# says so); the handläggare then hands the notes over another way.
LATE_DELIVERY_DAYS = 30


@dataclass(frozen=True)
class Withdrawal:
    """A case taken from ``user_id``, with the versions of the case and its person at that moment."""

    case_id: str
    user_id: str
    case_version: int
    person_id: str | None
    person_version: int


@dataclass(frozen=True)
class LateWindow:
    """What the previous handläggare's laptop may still deliver on a withdrawn record: ops made (by their clock)
    before ``deadline_ms`` and based on a version no newer than ``version`` — a version they could have seen."""

    deadline_ms: int
    version: int

    def admits(self, hlc: str, base_version: int) -> bool:
        """True when an op with this stamp and base may be delivered late (an unreadable stamp may not)."""
        try:
            made_ms = parse_hlc(hlc)[0]
        except ValueError:
            return False
        return made_ms <= self.deadline_ms and base_version <= self.version


def record_withdrawal(conn: Conn, withdrawal: Withdrawal) -> None:
    """Inside the caller's transaction (which already holds the records): the case no longer belongs to the user."""
    lock_change_log(conn)
    conn.execute(
        "INSERT INTO case_withdrawals (seq, case_id, user_id, case_version, person_id, person_version)"
        " VALUES (nextval(pg_get_serial_sequence('change_log', 'seq')), %s, %s, %s, %s, %s)",
        (withdrawal.case_id, withdrawal.user_id, withdrawal.case_version, withdrawal.person_id,
         withdrawal.person_version),
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


def late_window(conn: Conn, record_type: str, record_id: str, user_id: str) -> LateWindow | None:
    """The late-delivery window of ``user_id`` on a record withdrawn from them (closed after LATE_DELIVERY_DAYS:
    deadline 0); None when it never was theirs."""
    column, version = ("case_id", "case_version") if record_type == "case" else ("person_id", "person_version")
    # The latest withdrawal decides: assigned back and moved again, the laptop may have seen the later versions.
    row = conn.execute(
        f"SELECT withdrawn_at, {version} AS version, withdrawn_at > now() - make_interval(days => %s) AS open"
        f" FROM case_withdrawals WHERE {column} = %s AND user_id = %s ORDER BY seq DESC LIMIT 1",
        (LATE_DELIVERY_DAYS, record_id, user_id),
    ).fetchone()
    if row is None:
        return None
    deadline = int(row["withdrawn_at"].timestamp() * 1000) if row["open"] else 0
    return LateWindow(deadline, int(row["version"]))
