"""Change-journal entries and the hybrid logical clock that orders them.

A ``FieldChange`` is what the local store appends for every field it writes, and what sync pushes.
Conflicts are found by ``base_version`` (the server version the edit was made on), never by clock time:
the clock only orders entries for display and for replay on one device.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

RecordType = Literal["case", "person"]
# The text a content hash is taken of: ``json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
# with one encoder for every call (json.dumps builds a new one for each; the server hashes every pushed op, ~20 %
# of that cost). Stored hashes depend on this text: tests/domain/test_changes.py pins it to json.dumps.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# The C encoder json.dumps itself runs for that call, made once: JSONEncoder.encode builds it anew each time
# (3.5 -> 2.3 µs a pushed op's text). No cycle check (markers None): the values come from JSON and hold no cycles.
# Its default is the encoder's own, which names a value JSON cannot hold as json.dumps does.
_C_CANONICAL = None if c_make_encoder is None else c_make_encoder(
    None, _CANONICAL.default, encode_basestring, None, ":", ",", True, False, True)
_MAX_COUNTER = 9999


class FieldChange(BaseModel):
    """One journal entry: one field of one record set to one value (or an element removed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    op_id: str = Field(min_length=32, max_length=36)
    record_type: RecordType
    record_id: str = Field(min_length=1, max_length=64)
    path: str = Field(min_length=1, max_length=512)
    op: Literal["set", "remove"]
    value: Any = None
    base_version: int = Field(ge=0)
    hlc: str = Field(min_length=1, max_length=64)
    device_id: str = Field(min_length=1, max_length=64)
    user_id: str = Field(min_length=1, max_length=64)

    def content_hash(self) -> str:
        """Hash of what the change does (not who or when): the same op id must always carry the same hash."""
        return hashlib.sha256(self.content_text().encode("utf-8")).hexdigest()

    def content_text(self) -> str:
        """The canonical JSON text ``content_hash`` is taken of (it may hold a lone surrogate: not yet encoded)."""
        return canonical_json([self.record_type, self.record_id, self.path, self.op, self.value, self.base_version])


class HybridLogicalClock:
    """Physical milliseconds plus a counter: monotonic on one device even when the wall clock steps back.

    Rendered as ``MMMMMMMMMMMMM-CCCC-node`` so that string order is time order.
    """

    def __init__(self, node: str, wall_ms: Callable[[], int] | None = None) -> None:
        self._node = node
        self._wall_ms = wall_ms or (lambda: int(time.time() * 1000))
        self._last_ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def now(self) -> str:
        with self._lock:
            wall = self._wall_ms()
            if wall > self._last_ms:
                self._last_ms, self._counter = wall, 0
            elif self._counter < _MAX_COUNTER:
                self._counter += 1
            else:
                # The counter has four digits; past 9999 the string order would break, so borrow a millisecond.
                self._last_ms, self._counter = self._last_ms + 1, 0
            return self._render()

    def observe(self, remote: str) -> None:
        """Move past a timestamp seen from another device, so later local stamps sort after it."""
        remote_ms, remote_counter = parse_hlc(remote)
        with self._lock:
            if remote_ms > self._last_ms or (remote_ms == self._last_ms and remote_counter > self._counter):
                self._last_ms, self._counter = remote_ms, remote_counter

    def _render(self) -> str:
        return f"{self._last_ms:013d}-{self._counter:04d}-{self._node}"


def parse_hlc(stamp: str) -> tuple[int, int]:
    millis, counter, _node = stamp.split("-", 2)
    return int(millis), int(counter)


def canonical_json(value: Any) -> str:
    """The one JSON spelling used for hashing and comparison on both ends."""
    if _C_CANONICAL is None:
        return _CANONICAL.encode(value)
    return "".join(_C_CANONICAL(value, 0))
