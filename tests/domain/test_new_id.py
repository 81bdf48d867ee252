"""Record, journal and audit ids are version-4 UUIDs in hex, as ``uuid.uuid4().hex`` writes them (the server and
older devices parse them so), and each one is new."""

from __future__ import annotations

import uuid

from ibic.base import new_id


def test_new_ids_are_distinct_version_4_uuids_in_hex() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(hex=text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert parsed.hex == text and len(text) == 32
    # every other bit is random: over 2000 ids each of the 122 free bits was both 0 and 1
    fixed = (0xF000 << 64) | (0xC000 << 48)
    ones = zero = 0
    for text in ids:
        ones |= int(text, 16)
        zero |= ~int(text, 16) & ((1 << 128) - 1)
    assert ones & ~fixed & zero & ~fixed == ((1 << 128) - 1) & ~fixed
