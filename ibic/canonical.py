"""The one JSON spelling used for hashing and comparison on both ends (a content hash, the audit chain).

Plain Python: the store's audit log and journal use it at every save, and importing them must not import pydantic
(the unlocked list holds no model: docs/architecture.md, "Steady memory after unlock").
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

# The text a content hash is taken of: ``json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
# with one encoder for every call (json.dumps builds a new one for each; the server hashes every pushed op, ~20 %
# of that cost). Stored hashes depend on this text: tests/domain/test_changes.py pins it to json.dumps.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# The C encoder json.dumps itself runs for that call, made once: JSONEncoder.encode builds it anew each time
# (3.5 -> 2.3 µs a pushed op's text). No cycle check (markers None): the values come from JSON and hold no cycles.
# Its default is the encoder's own, which names a value JSON cannot hold as json.dumps does.
_C_CANONICAL = None if c_make_encoder is None else c_make_encoder(
    None, _CANONICAL.default, encode_basestring, None, ":", ",", True, False, True)


def canonical_json(value: Any) -> str:
    """The one JSON spelling used for hashing and comparison on both ends."""
    if _C_CANONICAL is None:
        return _CANONICAL.encode(value)
    return "".join(_C_CANONICAL(value, 0))
