"""The server's log is JSON lines with allow-listed keys (docs/sync.md), uvicorn's own records included.

Until s28-routes uvicorn's records went to Python's last-resort handler as plain text: a request asking to upgrade
the connection (``curl --http2`` on plain HTTP sends ``Upgrade: h2c``; a browser's WebSocket) wrote "Unsupported
upgrade request." and "No supported WebSocket library detected. Please use "pip install 'uvicorn[standard]'"..." on
stderr, and a request HTTP/1.1 cannot read "Invalid HTTP request received.": lines a log shipper reading JSON lines
refuses, the second advice for a server that takes no WebSocket. Run as ``python -m sync.server`` with stderr kept,
with httptools and, as on a host without it, h11."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from databases_ahead import DatabasesAhead
from sync_support import ProcessServer, new_config

from sync.server.logs import SAFE_KEYS


@pytest.fixture(params=["httptools", "h11"])
def served(request: pytest.FixtureRequest, _databases: DatabasesAhead, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    name, url = _databases.take()
    log = tmp_path / "server.log"
    server = ProcessServer(new_config(url), without_httptools=request.param == "h11", log_file=log).start()
    try:
        yield f"http://127.0.0.1:{server.config.port}", log
    finally:
        server.stop()
        _databases.drop(name)


def _raw(base_url: str, request: bytes) -> bytes:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def test_upgrade_requests_and_unreadable_requests_are_logged_as_json_lines(served: tuple[str, Path]) -> None:
    base_url, log = served
    for upgrade in ("h2c", "websocket"):
        answer = httpx.get(f"{base_url}/health", headers={"Connection": "Upgrade", "Upgrade": upgrade,
                                                           "HTTP2-Settings": "AAMAAABkAARAAAAAAAIAAAAA"})
        assert answer.status_code == 200  # served over HTTP/1.1, as before
    assert _raw(base_url, b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n").startswith(
        b"HTTP/1.1 400")
    assert httpx.get(f"{base_url}/health").status_code == 200
    lines = log.read_text("utf-8").splitlines()
    entries = [json.loads(line) for line in lines]  # each line one JSON object
    for entry in entries:
        assert set(entry) <= SAFE_KEYS | {"at", "level"}, entry
    events = [e["event"] for e in entries]
    assert events.count("upgrade_not_supported") == 2 and "malformed_request" in events, events
    assert not any("WebSocket" in line or "pip install" in line for line in lines)
