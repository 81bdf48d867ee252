"""Request bodies are standard JSON (RFC 8259) of a bounded depth, sent as ``application/json``.

``NaN``, ``Infinity`` and ``-Infinity`` are a malformed body: Python's json module accepts them and FastAPI parses
with it, but PostgreSQL's jsonb refuses them, so a push or a central write holding one failed inside the database
(a 500 the laptop would retry for ever). JSON nested deeper than ``MAX_DEPTH`` is refused (422) before any route
walks it: a value a few hundred levels deep exhausted Python's recursion in the push path (another 500). A body
sent as anything but JSON is 415 (FastAPI would not parse it and answer that the body "should be a dictionary").
"""

from __future__ import annotations

import email.message
import json
from collections.abc import Callable, Coroutine
from typing import Any, NoReturn

from fastapi import Request, Response
from fastapi.routing import APIRoute

from sync.protocol import ErrorBody

MAX_DEPTH = 64  # a case document nests about ten levels
MALFORMED = ErrorBody(error="malformed_json", message="The request body is not valid JSON.")
NOT_JSON = ErrorBody(error="unsupported_media_type", message="Send the request body as application/json.")
# The answers a route with a JSON body adds to the documented ones (each route lists them: see app.py).
JSON_BODY_RESPONSES: dict[int | str, dict[str, Any]] = {415: {"model": ErrorBody}}
TOO_DEEP = ErrorBody(error="invalid_request", message="The request does not match the sync protocol.",
                     details=[f"body: JSON nested deeper than {MAX_DEPTH} levels"])


class _NonStandardNumber(ValueError):
    pass


def _refuse_constant(_name: str) -> NoReturn:
    raise _NonStandardNumber


def nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than ``limit`` levels (iterative: no recursion to exhaust).

    Only containers go on the stack: a push body is mostly scalars (ids, paths, texts), and stacking each of them
    as well took twice as long (~2 ms for 500 ops)."""
    if not isinstance(value, (dict, list)):
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return False


def _is_json(content_type: str | None) -> bool:
    """FastAPI's own rule: application/json or application/*+json, parameters allowed."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (subtype == "json" or subtype.endswith("+json"))


def _answer(status: int, body: ErrorBody) -> Response:
    return Response(body.model_dump_json(), status_code=status, media_type="application/json")


class StrictJsonRoute(APIRoute):
    """Parses the body once, refusing the non-standard constants; FastAPI then reuses the parsed value."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:
            return handler  # a GET's body (if any) is never read

        async def strict(request: Request) -> Response:
            body = await request.body()
            if body and not _is_json(request.headers.get("content-type")):
                return _answer(415, NOT_JSON)
            if body:
                try:
                    parsed = json.loads(body, parse_constant=_refuse_constant)
                except _NonStandardNumber:
                    return _answer(400, MALFORMED)
                except (ValueError, RecursionError):
                    pass  # not JSON (or nested too deep): FastAPI parses again and answers it with its error
                else:
                    if nested_deeper_than(parsed, MAX_DEPTH):
                        return _answer(422, TOO_DEEP)
                    request._json = parsed  # Starlette's cache of request.json(): the body is parsed once
            return await handler(request)

        return strict
