"""The push's one pass over a batch (content hash and the unstorable screen together) answers exactly what the
two separate passes it replaced did: ``is_unstorable`` per op, ``content_hash`` for a storable op and the ASCII digest
for one that is not."""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ibic.changes import FieldChange
from sync.server.push_screen import ascii_digest, hash_and_screen, is_unstorable

# Texts with the characters that matter here: U+0000, a backslash and "u0000" spelled out, and in values (which
# are any JSON) a lone surrogate; pydantic refuses one in the ids and the path (tests/sync/test_server_nul_text.py).
ID_CHARACTERS = ["a", "ö", "\x00", "\\", "u", "0", '"', "\n"]
ID_TEXTS = st.text(alphabet=st.sampled_from(ID_CHARACTERS), max_size=8)
TEXTS = st.text(alphabet=st.sampled_from([*ID_CHARACTERS, "\ud800"]), max_size=8)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXTS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
    max_leaves=10,
)


def _change(value: Any, path: str, record_id: str, hlc: str, device: str) -> FieldChange:
    return FieldChange.model_construct(
        op_id=uuid.uuid4().hex, record_type="case", record_id=record_id or "c", path=path or "p", op="set",
        value=value, base_version=1, hlc=hlc or "h", device_id=device or "d", user_id="u")


@settings(deadline=None, max_examples=300)
@given(st.lists(st.tuples(VALUES, ID_TEXTS, ID_TEXTS, ID_TEXTS, ID_TEXTS), min_size=1, max_size=6))
def test_one_pass_answers_as_the_two_passes_did(ops: list[tuple[Any, str, str, str, str]]) -> None:
    changes = [_change(*op) for op in ops]
    hashes, unstorable = hash_and_screen(changes)
    assert unstorable == {i for i, change in enumerate(changes) if is_unstorable(change)}
    for i, change in enumerate(changes):
        assert hashes[change.op_id] == (ascii_digest(change) if i in unstorable else change.content_hash())
