"""IT's export of a device's uploaded audit log (``admin audit-export``): each entry as the laptop signed it, its
hash chain checked on the way, so what is handed on is what the laptop wrote and the export says whether it holds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ibic.audit_chain import audit_entry_hash
from sync.server.access import Conn

# The laptop's own text of a time (``datetime.now(UTC).isoformat(timespec="microseconds")``), for entries stored
# before migration 0013 kept the text as sent: the chain check tells whether it is the text the hash covers.
LAPTOP_TIME_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'


class ChainBreak(Exception):
    """The stored chain does not hold at ``seq``: an entry that is not its own hash, or a link missing."""

    def __init__(self, seq: int) -> None:
        super().__init__(f"the stored audit chain does not hold at seq {seq}")
        self.seq = seq


def audit_entries(conn: Conn, device_id: str) -> Iterator[dict[str, Any]]:
    """The device's stored entries in order, ``at`` as sent; ChainBreak at the first that breaks the chain."""
    rows = conn.execute(
        "SELECT seq, entry_id, coalesce(at_sent, to_char(at AT TIME ZONE 'UTC', %s)) AS at, user_id, device_id,"
        " action, case_id, detail, prev_hash, hash FROM audit_entries WHERE device_id = %s ORDER BY seq",
        (LAPTOP_TIME_FORMAT, device_id),
    )
    previous: dict[str, Any] | None = None
    for row in rows:
        entry = dict(row)
        if not _continues(previous, entry) or _hash(entry) != entry["hash"]:
            raise ChainBreak(int(entry["seq"]))
        yield entry
        previous = entry


def _continues(previous: dict[str, Any] | None, entry: dict[str, Any]) -> bool:
    """The first stored entry continues what the laptop had (a restored laptop's chain need not start at seq 1's
    genesis); every later one the entry before it, seq by seq."""
    if previous is None:
        return True
    return bool(entry["seq"] == previous["seq"] + 1 and entry["prev_hash"] == previous["hash"])


def _hash(entry: dict[str, Any]) -> str:
    return audit_entry_hash(entry["prev_hash"], seq=int(entry["seq"]), entry_id=entry["entry_id"], at=entry["at"],
                            user_id=entry["user_id"], device_id=entry["device_id"], action=entry["action"],
                            case_id=entry["case_id"], detail=entry["detail"])
