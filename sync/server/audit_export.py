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


NAMED_AT_MOST = 20  # the entries named one by one; more are counted (a whole old log in another format)


class ChainBreak(Exception):
    """The stored chain does not hold at the entries named: one line each (the first ``NAMED_AT_MOST``)."""

    def __init__(self, problems: list[str]) -> None:
        lines = problems[:NAMED_AT_MOST]
        if len(problems) > NAMED_AT_MOST:
            lines.append(f"and {len(problems) - NAMED_AT_MOST} more entries where the chain does not hold")
        super().__init__("\n".join(lines))
        self.lines = lines


def audit_entries(conn: Conn, device_id: str) -> Iterator[tuple[dict[str, Any], str | None]]:
    """The device's stored entries in order, ``at`` as sent, each with what breaks the chain there (None: it holds).

    Every entry is given, the broken ones too: the export is the log the municipality follows up, and one entry
    altered in the database hid every later one from it when the export stopped there."""
    rows = conn.execute(
        "SELECT seq, entry_id, coalesce(at_sent, to_char(at AT TIME ZONE 'UTC', %s)) AS at, at_sent IS NULL AS"
        " at_rebuilt, user_id, device_id, action, case_id, detail, prev_hash, hash FROM audit_entries"
        " WHERE device_id = %s ORDER BY seq",
        (LAPTOP_TIME_FORMAT, device_id),
    )
    previous: dict[str, Any] | None = None
    for row in rows:
        entry = dict(row)
        rebuilt = entry.pop("at_rebuilt")
        yield entry, _problem(previous, entry, rebuilt=bool(rebuilt))
        previous = entry


def _problem(previous: dict[str, Any] | None, entry: dict[str, Any], *, rebuilt: bool) -> str | None:
    """Why the chain does not hold at ``entry``, in IT's words, or None."""
    where = f"the stored audit chain does not hold at seq {entry['seq']}"
    if not _continues(previous, entry):
        return f"{where}: it does not follow the entry before it"
    if _hash(entry) == entry["hash"]:
        return None
    if rebuilt:  # stored before migration 0013: the time the hash covers is the server's rewriting of the instant
        return (f"{where}: it does not match its hash with its time written as the app writes it ({entry['at']});"
                " stored before the server kept the time as sent, it may have been signed in another format")
    return f"{where}: it does not match its hash (changed after it was signed)"


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
