"""Request limits: body size (before parsing), a token bucket per device and one per address for enrollment."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.errors import RateLimited

# Above this many keys, buckets that have refilled are dropped: without it every address ever seen (IPv6 gives an
# attacker fresh ones at will) would stay in memory for the life of the process.
PRUNE_ABOVE = 10_000


class RateLimiter:
    """``rate`` requests per second per key (a device id or an address) with bursts of ``burst``."""

    def __init__(self, rate: float, burst: int, subject: str = "device", prune_above: int = PRUNE_ABOVE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._rate, self._burst, self._clock = rate, burst, clock
        self._message = f"too many requests from this {subject}; retry later"
        self._buckets: dict[str, tuple[float, float]] = {}
        self._prune_above = self._prune_at = prune_above
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        """Take one token for ``key`` or raise RateLimited."""
        now = self._clock()
        with self._lock:
            if key not in self._buckets and len(self._buckets) >= self._prune_at:
                self._prune(now)
                # While many keys are still refilling, wait for the table to double before scanning again, so a
                # flood from fresh addresses costs amortised O(1) per request, not a full scan each.
                self._prune_at = max(self._prune_above, 2 * len(self._buckets))
            tokens, last = self._buckets.get(key, (float(self._burst), now))
            tokens = min(float(self._burst), tokens + (now - last) * self._rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                raise RateLimited(self._message)
            self._buckets[key] = (tokens - 1.0, now)

    def __len__(self) -> int:
        """How many keys hold a bucket now."""
        with self._lock:
            return len(self._buckets)

    def _prune(self, now: float) -> None:
        """Drop the buckets that are full again: forgetting them changes nothing, a new one starts full."""
        full = float(self._burst)
        self._buckets = {key: (tokens, last) for key, (tokens, last) in self._buckets.items()
                         if tokens + (now - last) * self._rate < full}


def _error(status: int, code: str, message: str) -> bytes:
    return json.dumps({"protocol": 1, "error": code, "message": message, "details": []}).encode()


class BodySizeLimit:
    """Refuse bodies over ``max_bytes`` with 413, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(send)
            return
        # Read the whole body first (it is bounded), so an oversized stream is refused before any parsing.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, send: Send) -> None:
        body = _error(413, "request_too_large", "The request body is larger than the server accepts.")
        headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
