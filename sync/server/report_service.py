"""The caseload reports of ``ibic.reports`` computed from what the server holds (issue 13), for a unit or the whole
municipality. Shared by the report routes (``reports_api.py``) and IT's command (``python -m sync.server.reports``).

The cases and persons are the stored JSON documents, validated as ``ibic`` models; a stored document that no longer
validates (written by an older server) is left out and counted, never a failed report.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final, Literal, get_args

from pydantic import BaseModel, ValidationError

from ibic.cases import Case
from ibic.documents.outline import DocumentOutline
from ibic.limits import EARLIEST_EVENT, LATEST_EVENT
from ibic.people import Person
from ibic.reference import ReferenceData, load_reference_data
from ibic.reports import Caseload, CaseloadReport, ReportTable, caseload_report, to_csv
from ibic.reports.outline import report_outline
from sync.server.access import Conn
from sync.server.errors import ServiceError
from sync.server.logs import log

ReportName = Literal["internal-control", "insatser-by-sex", "goals-by-sex", "continuity", "process-times",
                     "checklist", "origins-by-sex", "all"]
REPORT_NAMES: Final = get_args(ReportName)
ReportFormat = Literal["csv", "json", "pdf"]
CSV_MEDIA_TYPE: Final = "text/csv; charset=utf-8"
PDF_MEDIA_TYPE: Final = "application/pdf"

# The product's range of event dates (ibic/limits.py): a period outside it cannot hold a stored date and is refused.
EARLIEST_DAY: Final = EARLIEST_EVENT
LATEST_DAY: Final = LATEST_EVENT
MAX_SAMPLE_SIZE: Final = 1000  # the seed's review draws 16; a sample this large is the whole caseload anyway
MAX_THRESHOLD_HOURS: Final = 744.0  # every hour of a 31-day month
THRESHOLD_DECIMALS: Final = 2
MAX_SEED: Final = 2**63 - 1


class ReportRequestInvalid(ServiceError):
    """A report request the server cannot answer: a period outside the product's range or ending before it starts."""

    status = 422
    code = "invalid_report_request"


@dataclass(frozen=True)
class ReportRequest:
    """Which report, of which caseload (a unit, or the municipality when ``unit_id`` is None), for which period."""

    report: ReportName
    unit_id: str | None
    period_start: date
    period_end: date
    threshold_hours: float | None = None
    sample_size: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        for name, day in (("from", self.period_start), ("to", self.period_end)):
            if not EARLIEST_DAY <= day <= LATEST_DAY:
                raise ReportRequestInvalid(
                    f"'{name}' is outside the product's date range {EARLIEST_DAY}..{LATEST_DAY}")
        if self.period_end < self.period_start:
            raise ReportRequestInvalid("the period ends ('to') before it starts ('from')")
        if self.sample_size is not None and not 1 <= self.sample_size <= MAX_SAMPLE_SIZE:
            raise ReportRequestInvalid(f"sample_size is 1..{MAX_SAMPLE_SIZE}")
        if not 0 <= self.seed <= MAX_SEED:
            raise ReportRequestInvalid(f"seed is 0..{MAX_SEED}")
        if self.threshold_hours is not None and not threshold_allowed(self.threshold_hours):
            raise ReportRequestInvalid(f"threshold_hours is more than 0 and at most {MAX_THRESHOLD_HOURS:g}, in"
                                       " hundredths of an hour at the finest")


def threshold_allowed(hours: float) -> bool:
    """A threshold the report can title: up to 744 hours, in hundredths at the finest (36 seconds a month).

    The title shows the threshold as asked, never rounded (``ibic.messages.EXACT``): 1e-300 was titled with 300
    digits, six lines of the PDF's heading."""
    return 0 < hours <= MAX_THRESHOLD_HOURS and round(hours, THRESHOLD_DECIMALS) == hours


class TableBody(BaseModel):
    """One table of a report: the same title, columns, text cells and note as its CSV (cells are Swedish text)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str


class ReportBody(BaseModel):
    """A report as JSON: what it covers and its tables (``all``: every table, in the printed order)."""

    report: ReportName
    unit_id: str | None
    period_start: date
    period_end: date
    case_count: int
    skipped_records: int
    # A period ending after the server's today is counted up to today: said once, as the dialog and the PDF say it
    # (``CaseloadReport.period_note``); None otherwise. s31-report said it in Internkontroll's note alone.
    period_note: str | None = None
    tables: list[TableBody]


@dataclass(frozen=True)
class ReportResult:
    request: ReportRequest
    tables: tuple[ReportTable, ...]
    case_count: int
    skipped_records: int
    report: CaseloadReport  # its caseload, day and period note (one computation, s31-report2)

    def csv(self) -> bytes:
        if len(self.tables) != 1:
            raise ReportRequestInvalid("a CSV file holds one report; ask for one, or for 'all' as JSON")
        return to_csv(self.tables[0])

    def json(self) -> ReportBody:
        request = self.request
        return ReportBody(
            report=request.report, unit_id=request.unit_id, period_start=request.period_start,
            period_end=request.period_end, case_count=self.case_count, skipped_records=self.skipped_records,
            period_note=None if self.report.period_note is None else self.report.period_note.sv,
            tables=[TableBody(title=t.title, columns=list(t.columns), rows=[list(r) for r in t.rows], note=t.note)
                    for t in self.tables],
        )

    def outline(self) -> DocumentOutline:
        """The report as a printable document, in the style of the utredning (printed by the same writer)."""
        scope = f"Enhet {self.request.unit_id}" if self.request.unit_id else "Hela kommunen"
        return report_outline(self.tables, self.report, reference(), scope=scope,
                              made_by="Hembesök synkserver")

    def body(self, fmt: ReportFormat) -> bytes:
        if fmt == "csv":
            return self.csv()
        if fmt == "pdf":
            from sync.server.report_pdf import render_report  # reportlab loads only when a PDF is asked for

            return render_report(self.outline())
        return self.json().model_dump_json().encode("utf-8")


@lru_cache(maxsize=1)
def reference() -> ReferenceData:
    return load_reference_data()


# A case opened after the period cannot count in it (every report reads decisions, follow-ups or steps up to the
# period's end), so it is not even fetched. ISO dates compare as text.
_CASELOAD = (
    "SELECT c.document AS case_document, p.document AS person_document"
    " FROM case_access a JOIN record_documents c ON c.record_type = 'case' AND c.record_id = a.case_id"
    " LEFT JOIN record_documents p ON p.record_type = 'person' AND p.record_id = a.person_id"
    " WHERE (%(unit)s::text IS NULL OR a.unit_id = %(unit)s) AND c.document->>'opened_on' <= %(end)s"
    " ORDER BY a.case_id"
)


def load_caseload(conn: Conn, request: ReportRequest, today: date) -> tuple[Caseload, int]:
    """The unit's (or municipality's) cases and their persons as domain models, and how many were left out."""
    rows = conn.execute(_CASELOAD, {"unit": request.unit_id, "end": request.period_end.isoformat()}).fetchall()
    conn.commit()
    cases: list[Case] = []
    persons: dict[str, Person] = {}
    skipped = 0
    for row in rows:
        found = _validated(row["case_document"], row["person_document"], persons)
        if found is None:  # an old document, or a case whose person never arrived
            skipped += 1
            continue
        cases.append(found[0])
        persons[found[1].id] = found[1]
    if skipped:
        log(logging.WARNING, event="report_records_skipped", records=skipped,
            unit=request.unit_id or "(municipality)")
    return Caseload(tuple(cases), persons, request.period_start, request.period_end, today), skipped


def _validated(
    case_document: object, person_document: object, persons: dict[str, Person]
) -> tuple[Case, Person] | None:
    try:
        case = Case.model_validate(case_document)
        person = persons.get(case.person_id) or Person.model_validate(person_document)
    except ValidationError:
        return None
    return (case, person) if person.id == case.person_id else None


def _tables(report: CaseloadReport, name: ReportName) -> tuple[ReportTable, ...]:
    if name == "all":
        return report.tables()
    return (getattr(report, name.replace("-", "_")),)


def run_report(conn: Conn, request: ReportRequest, today: date | None = None) -> ReportResult:
    load, skipped = load_caseload(conn, request, today or date.today())
    report = caseload_report(load, reference(), threshold_hours=request.threshold_hours,
                             sample_size=request.sample_size, seed=request.seed)
    return ReportResult(request, _tables(report, request.report), len(load.cases), skipped, report)
