"""Record ids and the hybrid logical clock that orders journal entries.

Plain Python (no pydantic): the store's journal and audit log stamp every save with these, and importing the store
must not import the domain's models (docs/architecture.md, "Steady memory after unlock").
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

_MAX_COUNTER = 9999


def new_id() -> str:
    """A fresh record id (UUID4, hex): unique across devices without coordination.

    What ``uuid.uuid4().hex`` gives (16 random bytes, version and variant bits set), without building the UUID
    object: every autosave makes two (the journal entry and the audit entry).
    """
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # the RFC 4122 variant
    return raw.hex()


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
