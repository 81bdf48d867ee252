"""The integration API (/v1/integration/*): how Lifecare, Treserva, Procapita or Combine read and write.

Writes are the central system's, carrying device id ``central:<integration>`` in the change log: validated as
whole ``ibic`` models first, limited to the fields the central system owns (``ibic.field_ownership``), then applied
through the same versioned path as a laptop's push, so a laptop edit based on an older version becomes a conflict
the handläggare sees. Reads are the
documents and the ordered change log. Every request is authenticated by the integration's key.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Header, Query

from ibic import document_paths
from ibic.field_ownership import CENTRAL_IDENTITY, central_may_write, laptop_fields
from sync.protocol import MAX_BIGINT, RecordSnapshot, RecordType, text_storable
from sync.server import central, person_relink, push_screen
from sync.server.access import Conn, case_unit, central_writer
from sync.server.db import Pool
from sync.server.document_checks import check_after
from sync.server.errors import BUSY, AccessDenied, CentralWriteRefused, DocumentInvalid, RecordMissing
from sync.server.integration_messages import (
    MAX_FEED_LIMIT,
    Assignment,
    CaseRegistration,
    ChangeFeed,
    FeedChange,
    FieldWrite,
    Registered,
    Written,
)
from sync.server.integrations import authenticate_integration
from sync.server.limits import RateLimiter
from sync.server.logs import log
from sync.server.ordering import settled_top
from sync.server.strict_json import JSON_BODY_RESPONSES, StrictJsonRoute

MOVED_RETRIES = 3  # a record moved to another unit while written: looked up and written again, this many times


def _require_storable_id(record_type: str, record_id: str) -> None:
    """An id no record can have (PostgreSQL text holds no U+0000; journal ids are 1-64 characters) is unknown."""
    if "\x00" in record_id or not 0 < len(record_id) <= 64:
        raise RecordMissing(f"unknown {record_type}")


def _unit_of(conn: Conn, record_type: str, record_id: str) -> str:
    """The unit whose case this is (a person: any unit's); RecordMissing for a record the server does not hold."""
    _require_storable_id(record_type, record_id)
    if record_type == "case":
        unit = case_unit(conn, record_id)
    else:
        row = conn.execute("SELECT unit_id FROM case_access WHERE person_id = %s LIMIT 1", (record_id,)).fetchone()
        unit = None if row is None else str(row["unit_id"])
    conn.commit()
    if unit is None:
        raise RecordMissing(f"unknown {record_type}")
    return unit


def _write(conn: Conn, record_type: RecordType, record_id: str, values: dict[str, Any], by: str) -> Written:
    """Check ownership and the resulting document, then write as the central system on the version checked."""
    _refuse_foreign(record_type, values)
    _refuse_unstorable(values)

    def write(unit: str) -> int:
        current = central.record_snapshot(conn, record_type, record_id)
        changed = _changed(current["document"], check_after(record_type, current["document"], values))
        _refuse_set_identity(conn, record_type, current["document"], changed)
        if not changed:  # the same write again (a retry after a lost answer): nothing to log, the same version
            return int(current["version"])
        return central.central_write(conn, unit, record_type, record_id, changed, base=current["version"], by=by)

    version = _as_moved(conn, record_type, record_id, write)
    return Written(record_type=record_type, record_id=record_id, version=version)


def _refuse_foreign(record_type: str, values: dict[str, Any]) -> None:
    """A 403 for fields the central system may not write, naming those of the record (the server's own names) and
    counting the rest. A path is the caller's text (512 characters of anything, U+0000 or a personnummer too): it
    was echoed, up to ten of them, in the answer and so in whatever logs the integration keeps of it."""
    foreign = {path.split("/", 1)[0] for path in values if not central_may_write(record_type, path)}
    if not foreign:
        return
    named = sorted(foreign & laptop_fields(record_type))
    unknown = len(foreign) - len(named)
    parts = ([f"fields not written by the central system: {', '.join(named)}"] if named else []) + (
        [f"{unknown} field{'s' if unknown > 1 else ''} a {record_type} does not have"] if unknown else [])
    raise AccessDenied("; ".join(parts))


def _refuse_unstorable(values: dict[str, Any]) -> None:
    """A value PostgreSQL cannot hold is refused before anything reads with it: the push screens it out too, but
    only when the write is applied, and the identity check before that looked the value up as a person id (a case's
    ``person_id`` of U+0000 was a psycopg DataError, a 500)."""
    unstorable = sorted({path.split("/", 1)[0] for path, value in values.items()
                         if not text_storable(path) or push_screen.value_unstorable(value)})
    if unstorable:  # top-level field names only, as above: a deeper path may carry an element's id
        raise DocumentInvalid(f"nothing was stored: {', '.join(unstorable[:10])}: {push_screen.UNSTORABLE_REASON}")


def _changed(document: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The values (as the model writes them) that differ from the document's. A value written again as it stands
    was a new version and a change in the log: a laptop's edit of that field based on the version before became a
    conflict against the very value it had, and an integration's retry of a write was applied twice."""
    return {path: value for path, value in values.items() if not _same(document_paths.get(document, path), value)}


def _refuse_set_identity(conn: Conn, record_type: str, document: dict[str, Any], changed: dict[str, Any]) -> None:
    """Refuse a change of an identity field already set (``CENTRAL_IDENTITY``: set once, at registration).

    The push refused it as "field owned by the central system", a reason that told the central system, which owns
    the field, nothing. The one change allowed stays allowed: a case moved to another person record holding the
    same personnummer (``person_relink``). The reading is committed: the write that follows is a transaction of its
    own, which inside one left open here was never committed (answered 200, stored nothing)."""
    for path, value in changed.items():
        stored = document_paths.get(document, path)
        if path not in CENTRAL_IDENTITY[record_type] or stored in (document_paths.MISSING, None, ""):
            continue
        relinked = path == "person_id" and person_relink.same_personal_number(conn, stored, value)
        conn.commit()
        if relinked:
            continue
        raise CentralWriteRefused(
            f"nothing was stored: a {record_type}'s {path} is set once, at registration, and not changed by a field"
            " write" + (" (a case moves only to a person record with the same personnummer)"
                        if path == "person_id" else ""))


def _same(stored: Any, value: Any) -> bool:
    """Equal as JSON, kinds included (True is not 1, "1" is not 1)."""
    return stored is not document_paths.MISSING and json.dumps(stored, sort_keys=True) == json.dumps(
        value, sort_keys=True)


def _as_moved(conn: Conn, record_type: str, record_id: str, write: Callable[[str], int]) -> int:
    """``write(unit)`` under the record's unit; written again when an assignment moved the record meanwhile.

    A central write goes in as the record's unit; an assignment (from this process or another) that moved the case
    between the unit's lookup and the write made the push refuse it as "not reachable through a case of your unit":
    a 403 the central system, which may write any unit's record, cannot act on. Nothing was stored (all or nothing).
    """
    for attempt in range(MOVED_RETRIES + 1):
        unit = _unit_of(conn, record_type, record_id)
        try:
            return write(unit)
        except AccessDenied:
            if attempt == MOVED_RETRIES or _unit_of(conn, record_type, record_id) == unit:
                raise
    raise AssertionError("unreachable")


def _feed(conn: Conn, cursor: int, limit: int) -> ChangeFeed:
    top = settled_top(conn)  # no seq at or below it is still to come (ordering.py)
    with conn.transaction():
        rows = conn.execute(
            "SELECT seq, record_type, record_id, path, op, value, version, op_id, device_id, logged_at"
            " FROM change_log WHERE seq > %s AND seq <= %s ORDER BY seq LIMIT %s",
            (cursor, top, limit + 1),
        ).fetchall()
    changes = [FeedChange(**dict(row)) for row in rows[:limit]]
    return ChangeFeed(changes=changes, next_cursor=changes[-1].seq if changes else cursor, has_more=len(rows) > limit)


def integration_router(pool: Callable[[], Pool], limiter: RateLimiter, responses: dict[int | str, Any]) -> APIRouter:
    """The /v1/integration routes on the server's pool, rate-limited per integration (a limiter of their own:
    a device id can never spend an integration's allowance)."""
    router = APIRouter(prefix="/v1/integration", tags=["integration"], responses=responses,
                       route_class=StrictJsonRoute)

    def caller(conn: Conn, authorization: str | None) -> str:
        integration = authenticate_integration(conn, authorization)
        limiter.check(conn, integration)
        return integration

    @router.get("/changes", response_model=ChangeFeed, responses=BUSY)
    def changes(
        cursor: int = Query(default=0, ge=0, le=MAX_BIGINT), limit: int = Query(default=500, ge=1, le=MAX_FEED_LIMIT),
        authorization: str | None = Header(default=None),
    ) -> ChangeFeed:
        with pool().connection() as conn:
            caller(conn, authorization)
            return _feed(conn, cursor, limit)

    @router.get("/records/{record_type}/{record_id}", response_model=RecordSnapshot)
    def record(
        record_type: Literal["case", "person"], record_id: str, authorization: str | None = Header(default=None)
    ) -> RecordSnapshot:
        with pool().connection() as conn:
            caller(conn, authorization)
            _require_storable_id(record_type, record_id)
            snapshot = central.record_snapshot(conn, record_type, record_id)
        return RecordSnapshot(record_type=record_type, record_id=record_id, **snapshot)

    @router.post("/cases", response_model=Registered, status_code=201, responses=JSON_BODY_RESPONSES)
    def register(body: CaseRegistration, authorization: str | None = Header(default=None)) -> Registered:
        with pool().connection() as conn:
            integration = caller(conn, authorization)
            case_version, person_version = central.register_case(
                conn, body.case, body.person, body.unit_id, body.user_id, by=central_writer(integration))
            log(logging.INFO, event="integration_register_case", integration=integration)
        return Registered(case=Written(record_type="case", record_id=str(body.case["id"]), version=case_version),
                          person=Written(record_type="person", record_id=str(body.person["id"]),
                                         version=person_version))

    @router.post("/cases/{case_id}/decisions", response_model=Written, status_code=201,
                 responses=JSON_BODY_RESPONSES)
    def decide(case_id: str, body: dict[str, Any], authorization: str | None = Header(default=None)) -> Written:
        with pool().connection() as conn:
            integration = caller(conn, authorization)
            writer = central_writer(integration)
            # The body is judged before the case is looked up (422 before 404), as every other route's body is.
            decision = central.checked_decision(body)
            version = _as_moved(conn, "case", case_id,
                                lambda _unit: central.register_decision(conn, case_id, decision, by=writer))
            log(logging.INFO, event="integration_decision", integration=integration)
        return Written(record_type="case", record_id=case_id, version=version)

    @router.put("/cases/{case_id}/assignment", response_model=Assignment, responses=JSON_BODY_RESPONSES)
    def assign(case_id: str, body: Assignment, authorization: str | None = Header(default=None)) -> Assignment:
        with pool().connection() as conn:
            integration = caller(conn, authorization)
            _require_storable_id("case", case_id)
            user_id = central.assign_case(conn, case_id, body.unit_id, body.user_id, by=central_writer(integration))
            log(logging.INFO, event="integration_assign_case", integration=integration)
        return Assignment(unit_id=body.unit_id, user_id=user_id)  # the user as stored ("anna.berg" for "Anna.Berg")

    @router.patch("/records/{record_type}/{record_id}", response_model=Written, responses=JSON_BODY_RESPONSES)
    def write(
        record_type: Literal["case", "person"], record_id: str, body: FieldWrite,
        authorization: str | None = Header(default=None),
    ) -> Written:
        with pool().connection() as conn:
            integration = caller(conn, authorization)
            written = _write(conn, record_type, record_id, body.values, central_writer(integration))
            log(logging.INFO, event="integration_write", integration=integration, fields=len(body.values))
            return written

    return router
