"""Request limits: body size (before parsing), and token buckets in PostgreSQL per device, per address (enrollment
and wrong credentials) and per integration, shared by every server process."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.server.access import Conn
from sync.server.db import autocommitted
from sync.server.errors import RateLimited

# A process deletes the buckets that are full again at most this often (by the clock the limiter reads): a row
# past its full_at changes no decision, and without pruning every address ever seen (IPv6 gives an attacker fresh
# ones at will) would stay in the table.
PRUNE_EVERY_SECONDS = 60.0

# One statement takes a token (or refuses) atomically, whichever process asks: the row is locked by the upsert, so
# two workers taking the last token of a key serialise on it. `now` is the database's clock unless a test gives one,
# so servers on several hosts share one clock.
_TAKE = """
INSERT INTO rate_buckets AS b (scope, key, tokens, at, full_at, allowed)
SELECT %(scope)s, %(key)s, %(burst)s - 1, t, t + 1 / %(rate)s, %(burst)s >= 1
FROM (SELECT coalesce(%(now)s::float8, extract(epoch FROM clock_timestamp())::float8) AS t) AS clock
ON CONFLICT (scope, key) DO UPDATE SET (tokens, at, full_at, allowed) = (
    SELECT CASE WHEN refill >= 1 THEN refill - 1 ELSE refill END, excluded.at,
           excluded.at + (%(burst)s - CASE WHEN refill >= 1 THEN refill - 1 ELSE refill END) / %(rate)s,
           refill >= 1
    FROM (SELECT least(%(burst)s::float8, b.tokens + greatest(excluded.at - b.at, 0) * %(rate)s) AS refill) AS r)
RETURNING allowed, at
"""
# In a transaction of its own, and skipping rows other requests hold: a bucket being taken is not full, and
# waiting for it while holding another request's row (as a prune inside the take's transaction did) deadlocked two
# workers pruning at once.
_PRUNE = (
    "DELETE FROM rate_buckets b USING (SELECT scope, key FROM rate_buckets WHERE scope = %(scope)s"
    " AND full_at <= %(now)s FOR UPDATE SKIP LOCKED) AS f WHERE b.scope = f.scope AND b.key = f.key"
)


class RateLimiter:
    """``rate`` requests per second per key (a device id, an address, an integration) with bursts of ``burst``.

    The buckets live in PostgreSQL (``rate_buckets``, migration 0008), so every server process on the database
    enforces one allowance per key. ``scope`` keeps kinds of keys apart; ``clock`` (epoch seconds) is for tests
    only: by default the database's clock decides.
    """

    def __init__(self, rate: float, burst: int, subject: str = "device", *, scope: str | None = None,
                 prune_every: float = PRUNE_EVERY_SECONDS, clock: Callable[[], float] | None = None) -> None:
        if rate <= 0:
            raise ValueError("a rate limit needs a positive rate")
        self._rate, self._burst, self._clock = float(rate), float(burst), clock
        self._scope = scope or subject
        self._message = f"too many requests from this {subject}; retry later"
        self._prune_every = prune_every
        self._next_prune: float | None = None  # per process: when pruning is due; not a decision, only upkeep
        self._lock = threading.Lock()

    def check(self, conn: Conn, key: str) -> None:
        """Take one token for ``key`` or raise RateLimited. Commits: a refused or failing request still counts."""
        with autocommitted(conn):
            row = conn.execute(_TAKE, self.parameters(key)).fetchone()
            assert row is not None
            self.settle(conn, bool(row["allowed"]), float(row["at"]))

    # The statement, to run as a CTE of a caller's own statement (the device check), saving a round trip; its
    # parameters are scope, key, rate, burst and now, from parameters(). The caller then calls settle().
    TAKE = _TAKE.strip()

    def parameters(self, key: str) -> dict[str, Any]:
        return {"scope": self._scope, "key": key, "rate": self._rate, "burst": self._burst,
                "now": None if self._clock is None else self._clock()}

    def settle(self, conn: Conn, allowed: bool, at: float) -> None:
        """After the token was taken (``at`` by the limiter's clock): commit, prune when due, raise when refused."""
        conn.commit()
        if self._prune_due(at):
            conn.execute(_PRUNE, {"scope": self._scope, "now": at})
            conn.commit()
        if not allowed:
            raise RateLimited(self._message)

    def _prune_due(self, now: float) -> bool:
        with self._lock:
            if self._next_prune is not None and now < self._next_prune:
                return False
            self._next_prune = now + self._prune_every
            return True


def error_body(code: str, message: str) -> bytes:
    """An ``ErrorBody`` as JSON bytes, for middleware that answers before any route (and its response model) runs."""
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
        body = error_body("request_too_large", "The request body is larger than the server accepts.")
        headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
