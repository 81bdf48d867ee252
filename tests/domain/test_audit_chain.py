"""The audit entry's hash input is the canonical JSON of the entry, whatever its texts hold: the laptop and the
server hash with the same rule, so the written-out form must be exactly what ``canonical_json`` gives."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from ibic.audit_chain import GENESIS_HASH, _entry_json, audit_entry_hash
from ibic.changes import canonical_json

TEXT = st.text()  # every code point: quotes, backslashes, control characters, non-ASCII, lone surrogates


@given(seq=st.integers(), entry_id=TEXT, at=TEXT, user_id=TEXT, device_id=TEXT, action=TEXT,
       case_id=st.none() | TEXT, detail=TEXT)
def test_the_entry_text_is_its_canonical_json(seq: int, entry_id: str, at: str, user_id: str, device_id: str,
                                              action: str, case_id: str | None, detail: str) -> None:
    entry = {"seq": seq, "entry_id": entry_id, "at": at, "user_id": user_id, "device_id": device_id,
             "action": action, "case_id": case_id, "detail": detail}
    assert _entry_json(seq, entry_id, at, user_id, device_id, action, case_id, detail) == canonical_json(entry)


@given(seq=st.integers(1, 10**9), case_id=st.none() | st.text(alphabet=st.characters(exclude_categories=("Cs",))))
def test_the_hash_is_sha256_of_the_previous_hash_and_the_canonical_json(seq: int, case_id: str | None) -> None:
    fields = {"seq": seq, "entry_id": "e" * 32, "at": "2026-12-03T23:31:09.123456+00:00", "user_id": "Bänk",
              "device_id": "d" * 32, "action": "change", "case_id": case_id, "detail": "case: 1 fields"}
    expected = hashlib.sha256((GENESIS_HASH + canonical_json(fields)).encode("utf-8")).hexdigest()
    assert audit_entry_hash(GENESIS_HASH, **fields) == expected


def test_a_value_of_another_type_is_hashed_as_canonical_json_writes_it() -> None:
    # Not what the log writes, but the rule is canonical JSON of whatever the entry holds (a bool is JSON true).
    assert _entry_json(True, "e", "t", "u", "d", "a", None, "x") == canonical_json(  # type: ignore[arg-type]
        {"seq": True, "entry_id": "e", "at": "t", "user_id": "u", "device_id": "d", "action": "a", "case_id": None,
         "detail": "x"})
    assert _entry_json(1, "e", "t", None, "d", "a", None, "x") == canonical_json(  # type: ignore[arg-type]
        {"seq": 1, "entry_id": "e", "at": "t", "user_id": None, "device_id": "d", "action": "a", "case_id": None,
         "detail": "x"})
