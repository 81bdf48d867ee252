"""A request HTTP itself cannot read gets the documented JSON error body, not uvicorn's plain text.

A ``Content-Length`` that is not a number, two different ones, or a negative one never reaches the app: uvicorn's
parser refuses it, and on main uvicorn answered 400 "Invalid HTTP request received." as text/plain. The server runs
as in production (``python -m sync.server``); the requests are written byte for byte on a raw socket.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from databases_ahead import DatabasesAhead
from sync_support import ProcessServer, ThreadServer, new_config

from sync.protocol import ErrorBody

BODY = b'{"device_id": "x"}'


@pytest.fixture(scope="module", params=["httptools", "h11"])
def server(request: pytest.FixtureRequest, _databases: DatabasesAhead) -> Iterator[tuple[int, str]]:
    """A production-like server's port and parser (its own database, started once per parser): with httptools, as
    installed, and as on a host without it, where uvicorn parses with h11 (checked by hand only before s23-rloose)."""
    name, database_url = _databases.take()
    config = new_config(database_url)
    server = ProcessServer(config, without_httptools=request.param == "h11").start()
    try:
        yield config.port, request.param
    finally:
        server.stop()
        _databases.drop(name)


def _exchange(port: int, request: bytes) -> tuple[bytes, bytes, bool]:
    """Send ``request``; the status line and headers, the body, and whether the server then closed the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            assert chunk, received
            received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        while len(body) < length:
            body += connection.recv(65536)
        connection.settimeout(10)
        closed = connection.recv(1) == b""
    return head, body, closed


@pytest.mark.parametrize("lengths", [[b"abc"], [b"18", b"19"], [b"-18"], [b"18abc"], [b"0x12"]],
                         ids=["not-a-number", "two-values", "negative", "trailing-letters", "hex"])
def test_a_bad_content_length_is_answered_with_the_json_error_body(server: tuple[int, str],
                                                                   lengths: list[bytes]) -> None:
    """Fails on main: text/plain "Invalid HTTP request received."."""
    port, _ = server
    header = b"".join(b"Content-Length: " + value + b"\r\n" for value in lengths)
    request = (b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + header
               + b"\r\n" + BODY)
    head, body, closed = _exchange(port, request)
    assert head.startswith(b"HTTP/1.1 400 "), head
    assert b"content-type: application/json" in head.lower()
    answer = ErrorBody.model_validate(json.loads(body))
    assert answer.error == "malformed_request"
    assert "Content-Length" in answer.message
    assert closed  # the parser cannot tell where a next request would start


def test_keep_alive_and_a_sound_request_are_as_before(server: tuple[int, str]) -> None:
    """Two requests on one connection are both answered and the connection stays open; a sound POST with a wrong
    body still gets the app's own answer."""
    port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        for _ in range(2):
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            received = b""
            while not (b"\r\n\r\n" in received and received.endswith(b"}")):
                chunk = connection.recv(65536)
                assert chunk, received
                received += chunk
            assert received.startswith(b"HTTP/1.1 200 "), received
            assert b"connection: close" not in received.lower()
    request = (b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               b"Content-Length: 5\r\nConnection: close\r\n\r\n{nope")
    head, body, _ = _exchange(port, request)
    assert head.startswith(b"HTTP/1.1 400 ")
    assert ErrorBody.model_validate(json.loads(body)).error == "malformed_json"


def test_the_tests_in_process_server_answers_as_the_product_does(database_url: str) -> None:
    """``ThreadServer``, which most sync tests run, takes the product's protocol class: before s23-rloose it
    answered text/plain "Invalid HTTP request received." where ``python -m sync.server`` answered ErrorBody."""
    config = new_config(database_url)
    server = ThreadServer(config).start()
    try:
        head, body, closed = _exchange(config.port, b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                    b"Content-Length: abc\r\n\r\n" + BODY)
    finally:
        server.stop()
    assert head.startswith(b"HTTP/1.1 400 ") and closed
    assert ErrorBody.model_validate(json.loads(body)).error == "malformed_request"


def test_a_content_length_given_twice_with_one_value_is_the_parsers_choice(server: tuple[int, str]) -> None:
    """RFC 9110 lets a recipient take or refuse it: httptools refuses (ErrorBody), h11 takes it and the app answers.
    Also shows the h11 server really parses with h11."""
    port, parser = server
    request = (b"POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               b"Content-Length: 18\r\nContent-Length: 18\r\nConnection: close\r\n\r\n" + BODY)
    head, body, _ = _exchange(port, request)
    expected = {"httptools": (b"HTTP/1.1 400 ", "malformed_request"), "h11": (b"HTTP/1.1 422 ", "invalid_request")}
    assert head.startswith(expected[parser][0]), head
    assert ErrorBody.model_validate(json.loads(body)).error == expected[parser][1]
