"""The FastAPI application: routes, error answers, limits and request logs."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.protocol import (
    MAX_BIGINT,
    PROTOCOL_VERSION,
    AuditAck,
    AuditHead,
    AuditUpload,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    Health,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordSnapshot,
    RevocationInstruction,
    TokenRequest,
    TokenResponse,
)
from sync.server import access, audit_service, devices, pull_service, push_service, tokens
from sync.server.config import ServerConfig
from sync.server.db import Pool, migrate
from sync.server.errors import BUSY, NotAuthenticated, ServerBusy, ServiceError
from sync.server.integration_api import integration_router
from sync.server.limits import BodySizeLimit, RateLimiter
from sync.server.logs import log, migrations_waiting
from sync.server.one_credential import OneCredential
from sync.server.reports_api import reports_router
from sync.server.strict_json import JSON_BODY_RESPONSES, StrictJsonRoute

# Every error a route can answer, each with ErrorBody (413 comes from BodySizeLimit, 400 from OneCredential too, 500
# from RequestLog's last resort); tests/sync/test_server_openapi_contract.py holds the server to this list.
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 409, 413, 422, 429, 500)
}
REVOKED: dict[int | str, dict[str, Any]] = {410: {"model": RevocationInstruction}}
BARE: dict[int | str, dict[str, Any]] = {status: {"model": ErrorBody} for status in (400, 413, 500)}
# The stable code of an error Starlette itself answers (an unknown path, a method the path does not have, a body
# that is no text); never its {"detail": ...} body.
HTTP_CODES = {400: "malformed_json", 404: "not_found", 405: "method_not_allowed"}
HTTP_MESSAGES = {
    400: "The request body is not valid JSON.",
    404: "There is no such endpoint.",
    405: "This endpoint does not answer this method.",
}


def _error(status: int, code: str, message: str, details: list[str] | None = None) -> JSONResponse:
    body = ErrorBody(error=code, message=message, details=details or [])
    return JSONResponse(status_code=status, content=body.model_dump(mode="json"))


def _address(request: Request) -> str:
    """The connecting address (behind a trusted proxy: the laptop's, from X-Forwarded-For)."""
    return request.client.host if request.client else "unknown"


def create_app(config: ServerConfig, *, run_migrations: bool = True) -> FastAPI:
    """Build the app; the database pool opens (and migrations run) when the app starts."""
    state: dict[str, Pool] = {}
    limiter = RateLimiter(config.rate_per_second, config.rate_burst)
    enroll_limiter = RateLimiter(config.enroll_per_minute / 60.0, config.enroll_burst, subject="address")
    integration_limiter = RateLimiter(config.rate_per_second, config.rate_burst, subject="integration")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if run_migrations:
            applied = migrate(config.database_url, on_waiting=migrations_waiting)
            log(logging.INFO, event="migrations_applied", migrations=applied)
        state["pool"] = Pool(config.database_url, config.pool_size)
        yield
        state["pool"].close()

    app = FastAPI(
        title="Hembesök sync",
        version=f"protocol-{PROTOCOL_VERSION}",
        description="Central sync service for the Hembesök laptops. See docs/sync.md.",
        lifespan=lifespan,
        # A path with one slash too many is unknown (404). Starlette's default answered 307 to the same path without
        # it, at whatever host the request's Host header named: a redirect to any site a caller chose.
        redirect_slashes=False,
        # No interactive pages: Swagger UI and ReDoc load their scripts from a public CDN into the browser of whoever
        # opens them. The contract is /openapi.json and docs/sync-openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.router.route_class = StrictJsonRoute
    _install_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(OneCredential)  # outside the size limit: two credentials are refused before a body is read

    def pool() -> Pool:
        return state["pool"]

    def actor_for(conn: access.Conn, authorization: str | None, *, for_push: bool = False) -> devices.DeviceContext:
        credential = tokens.bearer(authorization)
        if credential is not None:
            try:
                claims = tokens.verify_token(config.token_secret, credential)
            except tokens.InvalidToken:
                pass  # authenticate() answers 401 with the reason
            else:
                # The token is verified once; the device's request token is taken in the device check's statement.
                return devices.check_device(conn, claims, for_push=for_push, limiter=limiter)
        return devices.authenticate(conn, config, authorization, for_push=for_push)

    def health() -> Health:
        try:
            with pool().connection() as conn:
                conn.execute("SELECT 1")
            return Health(database=True)
        except Exception:
            return Health(database=False)

    # A plain route: a monitor's cache-busting query (/health?t=...) is answered, not refused as an unknown parameter.
    app.router.add_api_route("/health", health, methods=["GET"], response_model=Health, responses=BARE,
                             route_class_override=APIRoute)

    @app.post("/v1/enroll", response_model=EnrollResponse, responses={**ERRORS, **JSON_BODY_RESPONSES})
    def enroll(body: EnrollRequest, request: Request) -> EnrollResponse:
        # Guessing a code means trying many: per connecting address (behind a proxy: the proxy's), few per minute.
        with pool().connection() as conn:
            enroll_limiter.check(conn, _address(request))
            return devices.enroll(conn, config, body.code, body.device_id, body.device_name, body.user_id)

    @app.post("/v1/token", response_model=TokenResponse, responses={**ERRORS, **REVOKED, **JSON_BODY_RESPONSES})
    def token(body: TokenRequest, request: Request) -> TokenResponse:
        with pool().connection() as conn:
            try:
                answer = devices.refresh(conn, config, body.device_id, body.device_credential)
            except NotAuthenticated:
                # A wrong credential is charged to the sender's address, like a wrong enrollment code: charging
                # the device id it names would let anyone stop that laptop's sync by posting its id.
                enroll_limiter.check(conn, _address(request))
                raise
            limiter.check(conn, body.device_id)
        return answer

    @app.post("/v1/push", response_model=PushResponse, responses={**ERRORS, **REVOKED, **JSON_BODY_RESPONSES})
    def push(body: PushRequest, authorization: str | None = Header(default=None)) -> Response:
        with pool().connection() as conn:
            ctx = actor_for(conn, authorization, for_push=True)
            results = push_service.push_batch(conn, ctx.actor, list(body.changes))
            revocation = None
            if ctx.status == "retire":
                revocation = RevocationInstruction(kind="retire", may_push=not body.closing,
                                                   message="This device is retired: push pending work, then wipe.")
                if body.closing:
                    devices.finish_retirement(conn, ctx.actor.device_id)
        counts = Counter(r.status for r in results)  # one pass over the answers, not one per status
        log(logging.INFO, event="push", device=ctx.actor.device_id, ops=len(results), applied=counts["applied"],
            duplicates=counts["duplicate"], conflicts=counts["conflict"], rejected=counts["rejected"])
        # Serialised once from the validated models; FastAPI would dump, re-validate and dump them again.
        answer = PushResponse(results=results, revocation=revocation)
        return Response(answer.model_dump_json(), media_type="application/json")

    @app.post("/v1/pull", response_model=PullResponse,
              responses={**ERRORS, **REVOKED, **JSON_BODY_RESPONSES, **BUSY})
    def pull(
        body: PullRequest,
        authors: bool = Query(default=False, description="Each change names the device that sent it (device_id)"),
        retiring: bool = Query(default=False, description="A retiring device's pull before its last push"),
        authorization: str | None = Header(default=None),
    ) -> Response:
        with pool().connection() as conn:
            # A retiring device pulls only when it says it knows it is retiring (a restored profile pulls before its
            # last push, docs/sync.md "Revocation"); a plain pull still answers it 410, which is how it learns.
            ctx = actor_for(conn, authorization, for_push=retiring)
            page = pull_service.pull_page_json(conn, ctx.actor, body.cursor, body.limit, body.case_id,
                                               authors=authors)
        # Built by PostgreSQL as a PullResponse (tests/sync/test_server_pull_json.py holds it to the model); a
        # Response is sent as is, so FastAPI does not parse and re-serialise a page of 1,000 changes.
        return Response(page, media_type="application/json")

    @app.post("/v1/audit", response_model=AuditAck, responses={**ERRORS, **REVOKED, **JSON_BODY_RESPONSES})
    def audit(body: AuditUpload, authorization: str | None = Header(default=None)) -> AuditAck:
        with pool().connection() as conn:
            # A retiring device uploads its audit trail before wiping, so audit is allowed like push.
            ctx = actor_for(conn, authorization, for_push=True)
            stored = audit_service.store_audit(conn, ctx.actor, list(body.entries))
        return AuditAck(stored_through_seq=stored)

    @app.get("/v1/audit/head", response_model=AuditHead, responses={**ERRORS, **REVOKED})
    def audit_head(
        through: int | None = Query(default=None, ge=0, le=MAX_BIGINT,
                                    description="The last entry at or before this seq, not the chain's last"),
        authorization: str | None = Header(default=None),
    ) -> AuditHead:
        with pool().connection() as conn:
            # Asked before an upload, so allowed wherever the upload is (a retiring device's last one too).
            ctx = actor_for(conn, authorization, for_push=True)
            seq, digest = audit_service.audit_head(conn, ctx.actor, through)
        return AuditHead(seq=seq, hash=digest)

    @app.get("/v1/records/{record_type}/{record_id}", response_model=RecordSnapshot, responses={**ERRORS, **REVOKED})
    def record(
        record_type: Literal["case", "person"], record_id: str, authorization: str | None = Header(default=None)
    ) -> RecordSnapshot:
        with pool().connection() as conn:
            ctx = actor_for(conn, authorization)
            access.require_record(conn, ctx.actor, record_type, record_id)
            row = conn.execute(
                "SELECT document, version FROM record_documents WHERE record_type = %s AND record_id = %s",
                (record_type, record_id),
            ).fetchone()
            assert row is not None
        return RecordSnapshot(record_type=record_type, record_id=record_id, version=int(str(row["version"])),
                              document=dict(row["document"]))  # type: ignore[call-overload]

    # The case-management system's door: its own keys, the same pool, limits and error answers.
    app.include_router(integration_router(pool, integration_limiter, {**ERRORS, 404: {"model": ErrorBody}}))
    app.include_router(reports_router(pool, actor_for, ERRORS))  # samordnare's and the municipality's reports
    app.add_middleware(RequestLog)  # added last: outermost, so a 413 from BodySizeLimit is logged too
    return app


class RequestLog:
    """One log line per request (method, route template, status, ms), as plain ASGI, and the last resort.

    An exception no handler took is answered here with ErrorBody 500 and logged as its type and the request's
    incident id only: never re-raised, so neither Starlette nor uvicorn prints a traceback that could hold a value
    from the request (and Starlette's own handler answers plain text).

    Starlette's ``@app.middleware("http")`` (BaseHTTPMiddleware) runs each request through extra tasks and memory
    streams: two more task spawns per request on the event loop, for a line of logging.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception as exc:
            incident = uuid.uuid4().hex[:12]
            log(logging.ERROR, event="unexpected_error", error=type(exc).__name__, incident=incident)
            if not status:  # once an answer has started, closing the connection is all that is left
                answer = _error(500, "internal_error", f"Unexpected server error (incident {incident}).")
                await answer(scope, receive, send_and_note)
            status = status or 500
        # The router writes the matched route into this same scope dict.
        route = getattr(scope.get("route"), "path", "unmatched")
        log(logging.INFO, event="request", method=scope["method"], route=route, status=status,
            ms=round((time.perf_counter() - started) * 1000, 2))


FIELD_NAME = re.compile(r"^[A-Za-z_\[][A-Za-z0-9_\]]{0,63}$")


def _location(loc: tuple[int | str, ...] | list[int | str]) -> str:
    """Where a validation error is: field names and list positions. A key of a submitted mapping (a document path
    in a central write) is the sender's text and may hold anything, so it is shown as ``…``."""
    return "/".join(str(p) if isinstance(p, int) or FIELD_NAME.match(p) else "…" for p in loc)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        answer = _error(exc.status, exc.code, str(exc))
        if isinstance(exc, ServerBusy):  # when to ask again, as HTTP says it (RFC 9110: seconds)
            answer.headers["Retry-After"] = str(exc.retry_after)
        return answer

    @app.exception_handler(devices.DeviceRevokedError)
    async def revoked(_request: Request, exc: devices.DeviceRevokedError) -> JSONResponse:
        return JSONResponse(status_code=410, content=exc.instruction.model_dump(mode="json"))

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        answer = _error(exc.status_code, code, HTTP_MESSAGES.get(exc.status_code, "The request was refused."))
        answer.headers.update(exc.headers or {})  # 405 names the allowed methods
        return answer

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        body = getattr(exc, "body", None)
        claimed = body.get("protocol") if isinstance(body, dict) else None
        if isinstance(claimed, int) and not isinstance(claimed, bool) and claimed > PROTOCOL_VERSION:
            return _error(400, "unsupported_protocol",
                          f"This server speaks sync protocol {PROTOCOL_VERSION}; the request uses a newer one.")
        if any(e.get("type") == "json_invalid" for e in errors):
            return _error(400, "malformed_json", "The request body is not valid JSON.")
        # Only where and what kind of problem: pydantic's "input" may hold personal data and is never echoed.
        details = [f"{_location(e.get('loc', ()))}: {e.get('msg', '')}" for e in errors[:20]]
        return _error(422, "invalid_request", "The request does not match the sync protocol.", details)
