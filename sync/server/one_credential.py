"""A request that names its credentials more than once is refused, not read by its first one.

``Authorization`` is not a list header (RFC 9110 §11.6.2): a request carrying it twice is ambiguous, and which one
counted depended on who read it (Starlette's ``Header`` takes the first; a proxy in front may take the last, or
append its own to the caller's). Every route reads its caller from that header (a device's token, an integration's
key), so the whole app refuses such a request before any route runs: 400 ``malformed_request`` with a message that
says which header, and nothing is read or written. Any other header given twice is left to the route, as before.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from sync.server.limits import error_body

TWICE = error_body("malformed_request", "The Authorization header is given more than once.")


class OneCredential:
    """ASGI middleware: 400 for a request with more than one ``Authorization`` header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _credentials_given(scope) > 1:
            headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(TWICE)).encode())]
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": TWICE})
            return
        await self.app(scope, receive, send)


def _credentials_given(scope: Scope) -> int:
    # ASGI gives header names lower-cased; the count runs over every request, so no list is built.
    return sum(1 for name, _value in scope.get("headers") or () if name == b"authorization")
