"""A minimal HTTP/1.1 keep-alive client on asyncio streams, for load generators.

httpx costs the load process 3–4 ms of CPU a request; on the 2-core bench machine that is CPU the server under test
does not get. This client speaks the same HTTP/1.1 (one persistent connection, Content-Length bodies, the server's
"connection: close" honoured) for about a tenth of that. It is for benchmarks only: no TLS, no redirects, no
chunked answers (uvicorn sends every answer of the sync server with Content-Length; anything else is an error).
"""

from __future__ import annotations

import asyncio
import contextlib


class ConnectionLost(Exception):
    """The server closed the connection before answering (an idle keep-alive connection it had just dropped)."""


class ProtocolViolation(Exception):
    """The answer is not HTTP/1.1 this client reads (no status line, no Content-Length)."""


class Answer:
    __slots__ = ("body", "status")

    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body


class KeepAliveClient:
    """One persistent connection to ``host:port``, opened when first needed and again after the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._head = f"Host: {host}:{port}\r\nContent-Type: application/json\r\n"

    async def post(self, path: str, body: bytes, token: str | None = None) -> Answer:
        """POST ``body`` (JSON); raises ConnectionLost when a kept-alive connection turned out to be closed."""
        if self._reader is not None and self._reader.at_eof():
            await self.close()  # the server closed it while idle: a pool would not hand it out (httpx does not)
        reused = self._writer is not None
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        assert self._reader is not None
        auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self._writer.write(f"POST {path} HTTP/1.1\r\n{self._head}{auth}Content-Length: {len(body)}\r\n\r\n".encode()
                           + body)
        try:
            head = await self._reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            await self.close()
            if reused and (not isinstance(exc, asyncio.IncompleteReadError) or not exc.partial):
                raise ConnectionLost from None
            raise
        status, length, closing = _parse_head(head)
        answer = Answer(status, await self._reader.readexactly(length))
        if closing:
            await self.close()
        return answer

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


def _parse_head(head: bytes) -> tuple[int, int, bool]:
    """Status, Content-Length and whether the server closes the connection after this answer."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ProtocolViolation("no HTTP/1.1 status line")
    length: int | None = None
    closing = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection":
            closing = value.strip().lower() == "close"
        elif name == "transfer-encoding":
            raise ProtocolViolation("chunked answers are not read by this client")
    if length is None:
        raise ProtocolViolation("the answer has no Content-Length")
    return int(parts[1]), length, closing
