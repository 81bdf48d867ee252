"""A case moved from one person record to another on the same personnummer: a duplicate merged, not a new identity.

A laptop that made a person the central system also holds (``storage/person_clash.py``) moves its cases to the
central record. ``case/person_id`` is write-once for devices (``ibic.field_ownership.CENTRAL_IDENTITY``); this is the
one change of it a device may make, since both records name the same person.
"""

from __future__ import annotations

from typing import Any

from sync.server.access import Conn


def same_personal_number(conn: Conn, person_id: Any, other_id: Any) -> bool:
    """True when both person records exist here and hold the same (non-empty) personnummer."""
    if not (isinstance(person_id, str) and isinstance(other_id, str)) or person_id == other_id:
        return False
    rows = conn.execute(
        "SELECT record_id, document->>'personal_number' AS number FROM record_documents"
        " WHERE record_type = 'person' AND record_id = ANY(%(ids)s)",
        {"ids": [person_id, other_id]},
    ).fetchall()
    numbers = {row["number"] for row in rows}
    return len(rows) == 2 and len(numbers) == 1 and bool(numbers.pop())
