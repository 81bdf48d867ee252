"""Pulled records this laptop cannot apply, kept aside so one poison record never stops sync.

A record whose pulled changes leave it complete but invalid (a date outside the product's range that an older
server let through) or make applying it fail (a future bug) is not written: its changes wait here, raw, inside the
encrypted database, the rest of the page applies and the cursor moves on. At every sync, and whenever another
change of the record arrives, they are applied again together with the new ones; once the record applies it
leaves the quarantine. ``reason`` is an English code (no values, no personal data): the status bar turns it into
Swedish and the audit log carries it to the server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ibic.ranges import DATE_RANGE_MESSAGE
from storage.repositories.documents import now_text

# Reason codes, most specific first; the UI has one Swedish sentence per code.
DATE_OUT_OF_RANGE = "date_out_of_range"
TEXT_TOO_LONG = "text_too_long"
INVALID_RECORD = "invalid_record"
UNSTORABLE_TEXT = "unstorable_text"
UNEXPECTED_ERROR = "unexpected_error"


@dataclass(frozen=True)
class QuarantinedRecord:
    """One record put aside: its type and id, why (a reason code), and how many changes wait."""

    record_type: str
    record_id: str
    reason: str
    changes: int


def reason_of(error: BaseException) -> str:
    """The reason code for what stopped a record (never the error's text: it may hold values)."""
    own = getattr(error, "quarantine_reason", None)  # an error that names its code (storage.person_clash)
    if isinstance(own, str):
        return own
    import pydantic_core  # only when a record failed (its errors are pydantic-core's): not with the store

    if isinstance(error, pydantic_core.ValidationError):  # pydantic's ValidationError is this class
        problems = error.errors()
        if any(DATE_RANGE_MESSAGE in str(p.get("msg", "")) for p in problems):
            return DATE_OUT_OF_RANGE
        if any(p.get("type") == "string_too_long" for p in problems):
            return TEXT_TOO_LONG
        return INVALID_RECORD
    if isinstance(error, (UnicodeError, pydantic_core.PydanticSerializationError)):
        return UNSTORABLE_TEXT
    return UNEXPECTED_ERROR


def held(connection: Any, keys: list[tuple[str, str]] | None) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The changes kept aside for ``keys`` (every record when None), each record's in server order."""
    rows = connection.execute(
        "SELECT record_type, record_id, change FROM quarantine ORDER BY seq, op_id"
    ).fetchall()
    wanted = None if keys is None else set(keys)
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record_type, record_id, change in rows:
        if wanted is None or (record_type, record_id) in wanted:
            out.setdefault((record_type, record_id), []).append(json.loads(change))
    return out


def put(connection: Any, changes: list[dict[str, Any]], reason: str) -> None:
    """Keep ``changes`` (one record's, as plain dicts) aside with ``reason``; a change already held is updated."""
    since = now_text()
    connection.executemany(
        "INSERT INTO quarantine (op_id, seq, record_type, record_id, change, reason, since)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (op_id) DO UPDATE SET reason = excluded.reason",
        [(c["op_id"], c["seq"], c["record_type"], c["record_id"], json.dumps(c), reason, since)
         for c in changes],
    )


def release(connection: Any, record_type: str, record_id: str) -> None:
    """The record applied: its changes leave the quarantine."""
    connection.execute("DELETE FROM quarantine WHERE record_type = ? AND record_id = ?", (record_type, record_id))


def records(connection: Any) -> list[QuarantinedRecord]:
    """Every record held, oldest first."""
    rows = connection.execute(
        "SELECT record_type, record_id, max(reason), count(*) FROM quarantine"
        " GROUP BY record_type, record_id ORDER BY min(since), record_id"
    ).fetchall()
    return [QuarantinedRecord(r[0], r[1], r[2], int(r[3])) for r in rows]


def audit_detail(record_type: str, record_id: str, reason: str) -> str:
    """The audit entry's detail for a record set aside: type, reason code and the record's id (a random id, no
    personal data) written in groups of four, so that a run of digits is never taken for a personnummer."""
    grouped = ".".join(record_id[i:i + 4] for i in range(0, min(len(record_id), 64), 4))
    return f"{record_type} {grouped}: {reason}"
