"""Only the sync server's own "busy" stops a sync at once (s30-radmin). s30-admin made the laptop raise ``ServerBusy``
on the first 503 that carried Retry-After, without its retries; but a proxy or load balancer in front of the server
answers 503 with Retry-After too (a restart, maintenance), and there the next attempt a moment later usually gets
through. Now only 503 ``server_busy`` with Retry-After (sync.server.errors.ServerBusy) is the busy answer; any
other 503 is retried as before. A real HTTP server on 127.0.0.1 answers; the transport counts as the laptop's does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.client.transport import RetryPolicy, Transport
from sync.errors import ServerBusy, ServerUnavailable
from sync.protocol import PullRequest, PullResponse

ATTEMPTS = 4
SERVER_BUSY = (b'{"error": "server_busy", "message": "The server is busy with a long write and cannot answer now;'
               b' nothing was changed. Try again in 60 seconds.", "details": []}')
PROXY_PAGE = b"<html><body><h1>503 Service Unavailable</h1>Back soon.</body></html>"


@contextmanager
def _answering(body: bytes, content_type: str) -> Iterator[tuple[Transport, list[str]]]:
    """A stand-in server answering every POST 503 with Retry-After: 60 and ``body``; the transport and the paths
    asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            asked.append(self.path)
            self.send_response(503)
            self.send_header("Retry-After", "60")
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    transport = Transport(f"http://127.0.0.1:{server.server_address[1]}", sleep=lambda _s: None,
                          retry=RetryPolicy(attempts=ATTEMPTS, base_seconds=0.01, cap_seconds=0.01))
    try:
        yield transport, asked
    finally:
        transport.close()
        server.shutdown()
        server.server_close()


def _pull(body: bytes, content_type: str) -> tuple[BaseException, list[str]]:
    """What a pull from a server answering 503 with Retry-After and ``body`` raised, and the paths it asked for."""
    with _answering(body, content_type) as (transport, asked), pytest.raises(ServerUnavailable) as raised:
        transport.post("/v1/pull", PullRequest(cursor=0, limit=500), PullResponse, token="t")
    return raised.value, asked


def test_the_sync_server_s_busy_answer_stops_at_once_with_its_retry_after() -> None:
    error, asked = _pull(SERVER_BUSY, "application/json")
    assert isinstance(error, ServerBusy) and error.retry_after == 60
    assert asked == ["/v1/pull"]


def test_a_proxy_s_503_with_retry_after_is_retried_as_any_other_5xx() -> None:
    error, asked = _pull(PROXY_PAGE, "text/html")
    assert not isinstance(error, ServerBusy)
    assert asked == ["/v1/pull"] * ATTEMPTS


def test_another_json_503_with_retry_after_is_retried_too() -> None:
    # A gateway answering JSON of its own ("service_unavailable"): not the sync server's word that it is busy.
    error, asked = _pull(b'{"error": "service_unavailable"}', "application/json")
    assert not isinstance(error, ServerBusy)
    assert asked == ["/v1/pull"] * ATTEMPTS
