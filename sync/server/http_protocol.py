"""The server's HTTP/1.1 connection: uvicorn's own, answering a request it cannot parse with the JSON error body.

A request HTTP itself cannot read (a ``Content-Length`` that is not a number, given twice with different values, or
negative; a broken request line or header) never reaches the app: uvicorn's parser (httptools, or h11 without it)
fails and uvicorn answers 400 with the plain text "Invalid HTTP request received." and closes the connection. Every
other error is ``ErrorBody`` JSON (docs/sync.md, "Limits and bad input"), and a client, a proxy's health check or the
case-management system's integration reads that. Here uvicorn's ``send_400_response``, the one place both parsers
answer such a request, writes ``malformed_request`` instead; the connection is still closed after it (the parser
cannot tell where the next request would start), and everything else is uvicorn's, keep-alive included.

``python -m sync.server`` and ``python -m sync.server.dev`` pass ``PROTOCOL`` to uvicorn as ``http``: by name, so
each worker process imports it (s23-loose).
"""

from __future__ import annotations

from uvicorn.protocols.http.auto import AutoHTTPProtocol

from sync.protocol import ErrorBody

PROTOCOL = "sync.server.http_protocol:JsonErrorHttpProtocol"
MALFORMED_REQUEST = ErrorBody(
    error="malformed_request",
    message="The request is not valid HTTP/1.1 (its request line or a header, such as Content-Length).",
).model_dump_json().encode("ascii")


class JsonErrorHttpProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]  # a class chosen at import
    """uvicorn's protocol (httptools when installed, else h11) with a JSON body for the 400 of an unreadable request."""

    def send_400_response(self, msg: str) -> None:
        """``msg`` ("Invalid HTTP request received.") is what uvicorn logs already (as a JSON line:
        ``logs.UvicornFormatter``); the client gets ``ErrorBody``."""
        head = [b"HTTP/1.1 400 Bad Request\r\n"]
        head.extend(name + b": " + value + b"\r\n" for name, value in self.server_state.default_headers)
        head.append(b"content-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
                    % len(MALFORMED_REQUEST))
        self.transport.write(b"".join(head) + MALFORMED_REQUEST)
        self.transport.close()
