"""The audit log's hash chain rule, shared by the laptop's log and the server that verifies it.

Each entry's hash is sha256 over the previous entry's hash and the canonical JSON of the entry; removing or
editing any entry breaks every hash after it.
"""

from __future__ import annotations

import hashlib
from json.encoder import encode_basestring

from ibic.canonical import canonical_json

GENESIS_HASH = "0" * 64


def audit_entry_hash(prev_hash: str, *, seq: int, entry_id: str, at: str, user_id: str, device_id: str,
                     action: str, case_id: str | None, detail: str) -> str:
    """The hash of one audit entry, chained to ``prev_hash``."""
    return hashlib.sha256((prev_hash + _entry_json(seq, entry_id, at, user_id, device_id, action, case_id,
                                                   detail)).encode("utf-8")).hexdigest()


def _entry_json(seq: int, entry_id: str, at: str, user_id: str, device_id: str, action: str, case_id: str | None,
                detail: str) -> str:
    """``canonical_json`` of the entry. Every autosave hashes one, so the usual shapes are written out in the
    canonical key order with the escaper ``canonical_json`` itself uses for strings (the same text: a property test
    compares the two); anything else goes through ``canonical_json``."""
    if type(seq) is int:
        try:
            case = "null" if case_id is None else encode_basestring(case_id)
            return (f'{{"action":{encode_basestring(action)},"at":{encode_basestring(at)},"case_id":{case},'
                    f'"detail":{encode_basestring(detail)},"device_id":{encode_basestring(device_id)},'
                    f'"entry_id":{encode_basestring(entry_id)},"seq":{seq!r},"user_id":{encode_basestring(user_id)}}}')
        except TypeError:  # a value that is not text
            pass
    return canonical_json({"seq": seq, "entry_id": entry_id, "at": at, "user_id": user_id, "device_id": device_id,
                           "action": action, "case_id": case_id, "detail": detail})
