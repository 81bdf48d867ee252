"""The report routes (/v1/reports/*): a unit's or the municipality's caseload reports as CSV or JSON (issue 13).

Callers sign in like every user, with an enrolled device's token; the user's role (``roles.py``) decides which
caseloads they may read. A handläggare is refused (403) whatever the unit; so is a samordnare asking for another unit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from sync.protocol import ErrorBody, RevocationInstruction
from sync.server import roles
from sync.server.access import Conn
from sync.server.db import Pool
from sync.server.devices import DeviceContext
from sync.server.logs import log
from sync.server.report_service import (
    CSV_MEDIA_TYPE,
    MAX_SAMPLE_SIZE,
    MAX_SEED,
    MAX_THRESHOLD_HOURS,
    PDF_MEDIA_TYPE,
    ReportBody,
    ReportFormat,
    ReportName,
    ReportRequest,
    run_report,
)
from sync.server.strict_json import StrictJsonRoute

Authenticate = Callable[[Conn, str | None], DeviceContext]

OK: dict[int | str, dict[str, Any]] = {
    200: {"model": ReportBody, "description": "The report: CSV (UTF-8 with BOM, ';', CRLF), JSON or a printable PDF",
          "content": {"text/csv": {"schema": {"type": "string"}},
                      "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    404: {"model": ErrorBody, "description": "Unknown unit (asked with the municipal role)"},
    410: {"model": RevocationInstruction, "description": "The device is retired or lost"},
}

FROM = Query(alias="from", description="First day of the period (YYYY-MM-DD, 1900-01-01..2099-12-31)")
TO = Query(alias="to", description="Last day of the period, inclusive")
FORMAT = Query("csv", alias="format", description="csv (one report), json or pdf ('all' as json or pdf)")
THRESHOLD = Query(None, gt=0, le=MAX_THRESHOLD_HOURS, allow_inf_nan=False,
                  description="Internal control: hours a month (default rules.toml, 100)")
SAMPLE = Query(None, ge=1, le=MAX_SAMPLE_SIZE, description="Checklist review: cases drawn (default 16)")
SEED = Query(0, ge=0, le=MAX_SEED, description="Checklist review: the draw's seed (same seed, same cases)")


def _answer(conn: Conn, request: ReportRequest, fmt: ReportFormat, ctx: DeviceContext) -> Response:
    result = run_report(conn, request)
    body = result.body(fmt)
    # Who read which caseload: the device (not the user id, which may be a person's name) and the unit.
    log(logging.INFO, event="report", report=request.report, unit=request.unit_id or "(municipality)",
        device=ctx.actor.device_id, cases=result.case_count)
    if fmt == "json":
        return Response(body, media_type="application/json")
    media_type = PDF_MEDIA_TYPE if fmt == "pdf" else CSV_MEDIA_TYPE
    name = f"{request.report}_{request.period_start}_{request.period_end}.{fmt}"
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def reports_router(pool: Callable[[], Pool], authenticate: Authenticate,
                   responses: dict[int | str, Any]) -> APIRouter:
    """The /v1/reports routes; ``authenticate`` is the server's device check (token, device, user, unit)."""
    router = APIRouter(prefix="/v1/reports", tags=["reports"], responses={**responses, **OK},
                       route_class=StrictJsonRoute)

    @router.get("/units/{unit_id}/{report}", response_model=None)
    def unit_report(
        unit_id: str, report: ReportName, period_start: date = FROM, period_end: date = TO, fmt: ReportFormat = FORMAT,
        threshold_hours: float | None = THRESHOLD, sample_size: int | None = SAMPLE, seed: int = SEED,
        authorization: str | None = Header(default=None),
    ) -> Response:
        with pool().connection() as conn:
            ctx = authenticate(conn, authorization)
            roles.require_unit_reports(conn, ctx.actor, unit_id)
            request = ReportRequest(report, unit_id, period_start, period_end, threshold_hours, sample_size, seed)
            return _answer(conn, request, fmt, ctx)

    @router.get("/municipality/{report}", response_model=None)
    def municipal_report(
        report: ReportName, period_start: date = FROM, period_end: date = TO, fmt: ReportFormat = FORMAT,
        threshold_hours: float | None = THRESHOLD, sample_size: int | None = SAMPLE, seed: int = SEED,
        authorization: str | None = Header(default=None),
    ) -> Response:
        with pool().connection() as conn:
            ctx = authenticate(conn, authorization)
            roles.require_municipal_reports(conn, ctx.actor)
            request = ReportRequest(report, None, period_start, period_end, threshold_hours, sample_size, seed)
            return _answer(conn, request, fmt, ctx)

    return router
