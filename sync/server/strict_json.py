"""Request bodies are standard JSON (RFC 8259) of a bounded depth, sent as ``application/json``.

``NaN``, ``Infinity`` and ``-Infinity`` are a malformed body: Python's json module accepts them and FastAPI parses
with it, but PostgreSQL's jsonb refuses them, so a push or a central write holding one failed inside the database
(a 500 the laptop would retry for ever). JSON nested deeper than ``MAX_DEPTH`` is refused (422) before any route
walks it: a value a few hundred levels deep exhausted Python's recursion in the push path (another 500). A body
sent as anything but JSON is 415 (FastAPI would not parse it and answer that the body "should be a dictionary").
So is a body in a content coding (gzip, br: ``NOT_IDENTITY``), which the server does not decode.
An object holding the same key twice is refused (422): Python's json module keeps the last value without a word, so
``{"values": {"phone": "1", "phone": "2"}}`` wrote "2" as if the sender had meant it (RFC 8259: the behaviour of such
an object is unpredictable). Not in a push body, whose one-pass reader cannot tell (see ``StrictJsonRoute``). The
admin CLI reads its JSON files by the same rules (``load_document``).
"""

from __future__ import annotations

import argparse
import email.message
import email.utils
import json
import re
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import date
from types import UnionType
from typing import Annotated, Any, NoReturn, Protocol, Union, get_args, get_origin

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field, ValidationError
from pydantic.fields import FieldInfo

from sync.protocol import MAX_PUSH_BATCH, ErrorBody, PushedChange, PushRequest

MAX_DEPTH = 64  # a case document nests about ten levels
MALFORMED = ErrorBody(error="malformed_json", message="The request body is not valid JSON.")
NOT_JSON = ErrorBody(error="unsupported_media_type", message="Send the request body as application/json.")
# A request body in a content coding (gzip, br, deflate) is refused, not guessed at: a gzipped body was answered "not
# valid JSON" (400), and one marked br but sent plain was read as if the header were not there (RFC 9110 15.5.16:
# 415, with Accept-Encoding naming what the server takes).
# A body declared in another character set (charset=iso-8859-1) was read as UTF-8 all the same: "Ã¥" sent in Latin-1
# is the bytes of "å" in UTF-8 and was stored as "å", a value the sender never wrote. JSON is UTF-8 (RFC 8259 8.1);
# the UTF-16 and UTF-32 the reader also recognises by their bytes may be declared too.
JSON_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii", "utf-16", "utf-16le", "utf-16be", "utf-32",
                           "utf-32le", "utf-32be"})
NOT_UTF8 = ErrorBody(error="unsupported_media_type",
                     message="Send the request body as application/json in UTF-8 (no other charset is read).")
NOT_IDENTITY = ErrorBody(error="unsupported_media_type",
                         message="Send the request body without a Content-Encoding (gzip and others are not taken).")
# The answers a route with a JSON body adds to the documented ones (each route lists them: see app.py).
JSON_BODY_RESPONSES: dict[int | str, dict[str, Any]] = {415: {"model": ErrorBody}}
TOO_DEEP = ErrorBody(error="invalid_request", message="The request does not match the sync protocol.",
                     details=[f"body: JSON nested deeper than {MAX_DEPTH} levels"])


DUPLICATE_KEY = ErrorBody(error="invalid_request", message="The request does not match the sync protocol.",
                          details=["body: an object holds the same key twice"])


class _NonStandardNumber(ValueError):
    pass


class _DuplicateKey(ValueError):
    pass


class RefusedJson(ValueError):
    """JSON text the server does not take; the message is the reason in English, never a value."""


def _refuse_constant(_name: str) -> NoReturn:
    raise _NonStandardNumber


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        raise _DuplicateKey
    return document


def _loads(text: str | bytes) -> Any:
    """``json.loads`` refusing NaN and Infinity (``_NonStandardNumber``)."""
    return json.loads(text, parse_constant=_refuse_constant)


def _strict_loads(text: str | bytes) -> Any:
    """``json.loads`` refusing NaN and Infinity (``_NonStandardNumber``) and repeated keys (``_DuplicateKey``)."""
    return json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)


def load_document(text: str | bytes) -> Any:
    """JSON text (bytes: UTF-8, UTF-16 or UTF-32, with or without a byte order mark) read by the request bodies'
    rules, or RefusedJson saying why not."""
    try:
        value = _strict_loads(text)
    except _NonStandardNumber:
        raise RefusedJson("NaN and Infinity are not JSON numbers") from None
    except _DuplicateKey:
        raise RefusedJson("an object holds the same key twice") from None
    except RecursionError:
        raise RefusedJson(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise RefusedJson(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except UnicodeDecodeError:
        raise RefusedJson("not UTF-8, UTF-16 or UTF-32 text") from None
    except ValueError:  # the one left: Python reads no integer this long (its message told IT to change Python)
        raise RefusedJson(f"a number of more than {sys.get_int_max_str_digits()} digits") from None
    if nested_deeper_than(value, MAX_DEPTH):
        raise RefusedJson(f"JSON nested deeper than {MAX_DEPTH} levels")
    return value


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


class _WirePushRequest(PushRequest):
    """``PushRequest`` as JSON from a laptop: the same fields, rules and schema, without the wrap validator that
    lets the laptop's own ``FieldChange`` objects through (a Python call per change, ~1.4 ms of a 500-op body)."""

    changes: list[PushedChange] = Field(default_factory=list, max_length=MAX_PUSH_BATCH)  # type: ignore[assignment]


# A push body's changes are objects in a list in the body: a value's containers start at the fourth level.
_VALUE_DEPTH = MAX_DEPTH - 3


def push_in_one_pass(body: bytes) -> PushRequest | None:
    """A usual push body parsed and validated in one pass (pydantic's JSON parser, in Rust), or None.

    None when the body is anything else (not JSON, not a valid push, a non-standard constant, a value nested too
    deep): the general path (``json.loads`` with the constants refused, the depth walk, FastAPI's validation)
    then parses it again and answers it as before, so only a body that path accepts is taken here, as the same
    model. pydantic's parser reads ``NaN`` and ``Infinity`` as numbers: a body holding those letters anywhere (a
    text too) takes the general path. The push's 3.7 ms of parsing and validating a 500-op body on the event loop
    became ~1 ms (bench/README.md, s18-pushsrv)."""
    if b"NaN" in body or b"Infinity" in body:
        return None
    try:
        request = _WirePushRequest.model_validate_json(body)
    except ValidationError:
        return None
    for change in request.changes:
        if isinstance(change.value, (dict, list)) and nested_deeper_than(change.value, _VALUE_DEPTH):
            return None
    return request


# Body models read in one pass; FastAPI's own validation then passes the model it is given as it is.
ONE_PASS: dict[Any, Callable[[bytes], Any]] = {PushRequest: push_in_one_pass}
# Body models whose repeated keys keep json's last value instead of a 422: a push body's one-pass reader (pydantic's
# parser) cannot tell, and both readers must answer every body alike. The laptop writes its push with pydantic, which
# never repeats a key; the bodies other systems write (integration, enrollment, pull) are checked.
LAST_VALUE_WINS: frozenset[Any] = frozenset({PushRequest})


def _media_problem(content_type: str | None) -> ErrorBody | None:
    """None for FastAPI's own rule (application/json or application/*+json, parameters allowed) with no charset or
    one of JSON's; otherwise the 415 answer saying what to send."""
    if not content_type:
        return NOT_JSON
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    if message.get_content_maintype() != "application" or not (subtype == "json" or subtype.endswith("+json")):
        return NOT_JSON
    charset = message.get_param("charset")
    # Empty (`charset=`, `charset`) or in single quotes (`'utf-8'`) names no other charset: such headers were read
    # before the charset rule, and a client writing them so must not be stopped by it.
    name = "" if charset is None else email.utils.collapse_rfc2231_value(charset).strip().strip("'").strip().lower()
    if name and name not in JSON_CHARSETS:
        return NOT_UTF8
    return None


def _answer(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> Response:
    return Response(body.model_dump_json(), status_code=status, media_type="application/json", headers=headers)


def _encoded(content_encoding: str | None) -> bool:
    """Whether the body is in a content coding other than identity (the header may list several, comma-separated)."""
    codings = [coding.strip().lower() for coding in (content_encoding or "").split(",")]
    return any(coding not in ("", "identity") for coding in codings)


QUERY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# How a query value of each type is written. The bodies are strict (``sync.protocol.Message``), but FastAPI reads a
# query's text leniently: ``from=1704067200`` became the day of that Unix time, ``from=2026-01-01T00:00`` the day,
# ``sample_size=1_0`` 10 (Python's digit grouping), ``sample_size=5.0`` 5, ``threshold_hours=1_00`` 100.0, each
# answered as if the caller had sent it. Checked here, not by a validator on the type: FastAPI then wrote the
# parameters' bounds into the OpenAPI document under pydantic's names (ge, le) instead of minimum and maximum.
Notation = tuple[re.Pattern[str], str]
NOTATIONS: dict[Any, Notation] = {
    int: (re.compile(r"-?[0-9]+"), "decimal digits"),
    float: (re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?"), "a decimal number"),
    date: (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "YYYY-MM-DD"),
}


def written_as(kind: type[Any], read: Callable[[str], Any]) -> Callable[[str], Any]:
    """A command-line argument type (argparse) taking only the notation a query takes for ``kind``.

    Python's own readers are lenient, as FastAPI's were with queries: the report command read ``--from 2026-W01-1``
    as 2025-12-29 (an ISO week date), ``--sample-size 1_0`` as 10 (digit grouping), ``--seed ١٢`` as 12
    (Arabic-Indic digits), and the admin's ``enrollment-code --hours ٧٢`` as 72; each ran as if IT had written it."""
    pattern, notation = NOTATIONS[kind]

    def argument(text: str) -> Any:
        if not pattern.fullmatch(text):
            raise argparse.ArgumentTypeError(f"write it as {notation}")
        try:
            return read(text)
        except ValueError:  # a date written as YYYY-MM-DD that is no day (2026-13-01, 2026-02-29)
            raise argparse.ArgumentTypeError(f"not a date ({notation})") from None

    return argument


def undecodable_argument(args: argparse.Namespace) -> str:
    """The first command-line text argument that is not UTF-8 (bytes Python read as lone surrogates), or "".

    Passed on, such an id ended the admin and report commands in the codec's "'utf-8' codec can't encode character
    '\\udcff' in position 9: surrogates not allowed" (exit status 1), which says nothing of which argument or why."""
    for name, value in vars(args).items():
        if isinstance(value, str) and not _utf8(value):
            return name
    return ""


def unstorable_argument(args: argparse.Namespace) -> str:
    """The first command-line text argument holding U+0000 (PostgreSQL text cannot), or "".

    A shell passes none, but a script's subprocess call can: a case, unit, device or integration id holding it
    ended the admin command in psycopg's DataError traceback, as the commands looked it up."""
    for name, value in vars(args).items():
        if isinstance(value, str) and "\x00" in value:
            return name
    return ""


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def query_problem(items: list[tuple[str, str]], known: dict[str, Notation | None]) -> str:
    """Why the query string is refused, or "": a parameter the route does not take (a misspelt ``sampel_size`` was
    ignored and the default used), one given twice (``sample_size=1&sample_size=1000`` took the last), or a value
    not written as its type's ``NOTATIONS`` says. The name is shown when it looks like one (the sender's text may
    hold anything)."""
    seen: set[str] = set()
    for name, value in items:
        shown = name if QUERY_NAME.match(name) else "…"
        if name not in known:
            return f"query/{shown}: not a parameter of this endpoint"
        if name in seen:
            return f"query/{shown}: given twice"
        seen.add(name)
        notation = known[name]
        if notation is not None and not notation[0].fullmatch(value):
            return f"query/{shown}: write it as {notation[1]}"
    return ""


def _notation(annotation: Any) -> Notation | None:
    """The notation of a parameter's type (``int | None`` as ``int``); None for text and anything else."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        kinds = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = kinds[0] if len(kinds) == 1 else None
    return NOTATIONS.get(annotation)  # by the exact type: bool is no int here, datetime no date


class Parameter(Protocol):
    """What this module reads of a parameter FastAPI lists on a ``Dependant`` (``query_params``, ``header_params``):
    the name the request gives it and pydantic's ``FieldInfo``. FastAPI's own class for these (``ModelField``) lives
    in its private ``fastapi._compat``; this names only the two attributes read, and
    ``tests/sync/test_server_query_parameters_adapter.py`` fails if FastAPI stops giving them (or gives other names
    than its OpenAPI document shows)."""

    @property
    def alias(self) -> str: ...

    @property
    def field_info(self) -> FieldInfo: ...


def _fields(fields: Sequence[Parameter]) -> dict[str, Notation | None]:
    """The names the request gives these parameters, with their notations; a pydantic model taken as a whole query
    (``Query()`` on a model) gives its fields'."""
    names: dict[str, Notation | None] = {}
    for field in fields:
        model = field.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            names.update({str(info.alias or name): _notation(info.annotation)
                          for name, info in model.model_fields.items()})
        else:
            names[str(field.alias)] = _notation(model)
    return names


def _parameters(dependant: Dependant) -> tuple[dict[str, Notation | None], set[str]]:
    """The query names (with notations) and the lower-case header names of a route and of every dependency under
    it: a route that gains a ``Depends`` taking a query parameter must not refuse that parameter as unknown."""
    queries: dict[str, Notation | None] = {}
    headers: set[str] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        queries.update(_fields(current.query_params))
        headers.update(name.lower() for name in _fields(current.header_params))
        stack.extend(current.dependencies)
    return queries, headers


def _invalid(detail: str) -> Response:
    return _answer(422, ErrorBody(error="invalid_request", message="The request does not match the sync protocol.",
                                  details=[detail]))


class StrictJsonRoute(APIRoute):
    """Parses the body once, refusing the non-standard constants; FastAPI then reuses the parsed value. Refuses a
    query parameter neither the route nor a dependency under it takes, or one given twice (``query_problem``), as
    the bodies refuse unknown fields and repeated keys; a request without the credential the route (or a dependency)
    takes is left to its 401."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        checked = self._body_handler(super().get_route_handler())
        known, headers = _parameters(self.dependant)
        # A route that takes a credential answers a request without one 401 first, as before queries were judged: the
        # credential is what such a caller lacks first, and without one a parameter's name is told to no one.
        credential = "authorization" in headers

        async def strict_query(request: Request) -> Response:
            if request.scope.get("query_string") and (not credential or "authorization" in request.headers):
                problem = query_problem(request.query_params.multi_items(), known)
                if problem:
                    return _invalid(problem)
            return await checked(request)

        return strict_query

    def _body_handler(
        self, handler: Callable[[Request], Coroutine[Any, Any, Response]]
    ) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        if self.body_field is None:
            return handler  # a GET's body (if any) is never read
        one_pass = ONE_PASS.get(self.body_field.field_info.annotation)
        last_value_wins = self.body_field.field_info.annotation in LAST_VALUE_WINS

        async def strict(request: Request) -> Response:
            body = await request.body()
            if body and _encoded(request.headers.get("content-encoding")):
                return _answer(415, NOT_IDENTITY, {"Accept-Encoding": "identity"})
            media_problem = _media_problem(request.headers.get("content-type")) if body else None
            if media_problem is not None:
                return _answer(415, media_problem)
            fast = one_pass(body) if body and one_pass is not None else None
            if fast is not None:
                request._json = fast  # FastAPI validates the model it is given: an instance passes as it is
            elif body:
                try:
                    parsed = _loads(body) if last_value_wins else _strict_loads(body)
                except _NonStandardNumber:
                    return _answer(400, MALFORMED)
                except _DuplicateKey:
                    return _answer(422, DUPLICATE_KEY)
                except (ValueError, RecursionError):
                    pass  # not JSON (or nested too deep): FastAPI parses again and answers it with its error
                else:
                    if nested_deeper_than(parsed, MAX_DEPTH):
                        return _answer(422, TOO_DEEP)
                    request._json = parsed  # Starlette's cache of request.json(): the body is parsed once
            return await handler(request)

        return strict
