"""The sync client's transport parses an answer's error code only for an error status, and maps each status as
before (a real HTTP server on 127.0.0.1 answering canned bodies)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from storage_support import QuietJsonHandler

from sync.client.transport import RetryPolicy, Transport
from sync.errors import NotASyncServer, ProtocolMismatch, ServerRejected
from sync.protocol import TokenRequest, TokenResponse

ANSWERS: dict[str, tuple[int, bytes]] = {
    "/ok": (200, b'{"protocol": 1, "access_token": "t", "expires_at": "2026-11-23T12:00:00Z"}'),
    "/ok-unreadable": (200, b'{"protocol": 1, "error": "unsupported_protocol"}'),
    "/old-protocol": (400, b'{"protocol": 1, "error": "unsupported_protocol", "message": "x"}'),
    "/bad-request": (400, b'{"protocol": 1, "error": "malformed_json"}'),
    "/invalid": (422, b'{"protocol": 1, "error": "invalid_request", "details": []}'),
    "/proxy-body-limit": (413, b"<html>413 Request Entity Too Large</html>"),
    # Answers of something else at the address: no sync server's answer lacks ``protocol`` (s35-net).
    "/not-json": (404, b"<html>not found</html>"),
    "/list-body": (409, b'["op_id_reused"]'),
    "/page": (200, b"<!doctype html><html><body>Kommunens intran\xc3\xa4t</body></html>"),
    "/other-service": (404, b'{"detail": "Not Found"}'),
    "/login": (401, b"<html>Logga in</html>"),
    "/moved": (302, b""),
}


class _Handler(QuietJsonHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.answer(*ANSWERS[self.path])


@pytest.fixture
def transport() -> Iterator[Transport]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    client = Transport(f"http://127.0.0.1:{server.server_address[1]}", verify=False,
                       retry=RetryPolicy(attempts=1), sleep=lambda _s: None)
    yield client
    client.close()
    server.shutdown()
    server.server_close()


REQUEST = TokenRequest(device_id="device1", device_credential="x" * 32)


def test_a_success_is_parsed_as_the_answer(transport: Transport) -> None:
    assert transport.post("/ok", REQUEST, TokenResponse).access_token == "t"


def test_a_success_whose_body_is_not_the_answer_is_a_protocol_mismatch(transport: Transport) -> None:
    with pytest.raises(ProtocolMismatch) as caught:
        transport.post("/ok-unreadable", REQUEST, TokenResponse)
    assert (caught.value.status, caught.value.code) == (200, "unreadable_answer")


@pytest.mark.parametrize(("path", "status", "code", "mismatch"), [
    ("/old-protocol", 400, "unsupported_protocol", True),
    ("/bad-request", 400, "malformed_json", False),
    ("/invalid", 422, "invalid_request", False),
    ("/proxy-body-limit", 413, "unknown", False),  # a proxy's own limit in front of the server, as before
])
def test_an_error_status_is_mapped_by_its_code(transport: Transport, path: str, status: int, code: str,
                                               mismatch: bool) -> None:
    with pytest.raises(ServerRejected) as caught:
        transport.post(path, REQUEST, TokenResponse)
    assert (caught.value.status, caught.value.code) == (status, code)
    assert isinstance(caught.value, ProtocolMismatch) is mismatch


@pytest.mark.parametrize(("path", "status"), [
    ("/not-json", 404), ("/list-body", 409), ("/page", 200), ("/other-service", 404), ("/login", 401), ("/moved", 302),
])
def test_an_answer_that_is_no_sync_server_s_is_said_so(transport: Transport, path: str, status: int) -> None:
    """Before s35-net a web page (200) was a protocol mismatch ("update Hembesök"), a login page's 401 a refused
    credential ("a new code from IT"), any other a refused request ("try again later")."""
    with pytest.raises(NotASyncServer) as caught:
        transport.post(path, REQUEST, TokenResponse)
    assert caught.value.status == status and caught.value.server == transport.base_url


def test_https_to_a_plain_http_server_is_no_sync_server_and_is_not_tried_again(transport: Transport) -> None:
    """An address with https:// where the server speaks plain HTTP (or another service listens): said "no
    connection" after six attempts before s35-net."""
    plain = Transport(transport.base_url.replace("http://", "https://"), retry=RetryPolicy(attempts=6))
    with pytest.raises(NotASyncServer) as caught:
        plain.post("/ok", REQUEST, TokenResponse)
    plain.close()
    assert caught.value.status == 0
