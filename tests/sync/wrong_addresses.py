"""Addresses that are no working sync server, on 127.0.0.1 (no network asked): a web server answering pages, a socket
that accepts connections and never answers, a port where nothing listens, and a name that never resolves."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from collections.abc import Iterator
from typing import Any

from sync.server.pgcluster import free_port

# RFC 2606/6761: .invalid never resolves, and resolvers answer it without asking the world.
UNRESOLVABLE = "http://hembesok.invalid:8443"


def nothing_listening() -> str:
    """An address whose port has nothing listening: every connection is refused."""
    return f"http://127.0.0.1:{free_port()}"


class _WebPage(http.server.BaseHTTPRequestHandler):
    """A web server that is no sync server: a page for every path (200), 404 for ``/v1/…``, and a proxy's 502 under
    ``/proxy/`` (the server behind it down)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        status = 404 if self.path.startswith("/v1/") else 502 if self.path.startswith("/proxy/") else 200
        body = "<!doctype html><html><body><h1>Kommunens intranät</h1></body></html>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, *_args: Any) -> None:
        pass


@contextlib.contextmanager
def web_page() -> Iterator[str]:
    """The address of a web server answering HTML: 404 under ``/v1/``, 502 under ``/proxy/``, 200 under any other path
    (``address + "/x"``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _WebPage)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class SilentServer:
    """A socket on 127.0.0.1 that accepts every connection, reads what comes and never answers; ``accepted`` is set
    at the first connection, ``holding`` counts the connections still open (the client has not given up)."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.accepted = threading.Event()
        self._open: set[socket.socket] = set()
        self._guard = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="silent-server", daemon=True)

    @property
    def holding(self) -> int:
        with self._guard:
            return len(self._open)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopped.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(timeout=10)
        with self._guard:
            for connection in self._open:
                connection.close()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._guard:
                self._open.add(connection)
            self.accepted.set()
            threading.Thread(target=self._drain, args=(connection,), daemon=True).start()

    def _drain(self, connection: socket.socket) -> None:
        """Read the request and whatever follows, answer nothing; the connection counts until the client closes."""
        with contextlib.suppress(OSError):
            while connection.recv(65536):
                pass
        with self._guard:
            self._open.discard(connection)
        connection.close()
