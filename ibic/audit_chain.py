"""The audit log's hash chain rule, shared by the laptop's log and the server that verifies it.

Each entry's hash is sha256 over the previous entry's hash and the canonical JSON of the entry; removing or
editing any entry breaks every hash after it.
"""

from __future__ import annotations

import hashlib

from ibic.changes import canonical_json

GENESIS_HASH = "0" * 64


def audit_entry_hash(prev_hash: str, *, seq: int, entry_id: str, at: str, user_id: str, device_id: str,
                     action: str, case_id: str | None, detail: str) -> str:
    """The hash of one audit entry, chained to ``prev_hash``."""
    body = canonical_json(
        {"seq": seq, "entry_id": entry_id, "at": at, "user_id": user_id, "device_id": device_id, "action": action,
         "case_id": case_id, "detail": detail}
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()
