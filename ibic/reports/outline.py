"""The report as a document outline, so the utredning's PDF path (``ui/printing/pdf_writer.py``) prints it.

No name or personnummer is in a report: persons appear by case number only. The secrecy notice stays, since case
numbers with insatser are still about individuals.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ibic.documents.outline import Block, DocumentOutline, KeyValueRows, Notice, Paragraph, Section, SignatureBlock
from ibic.documents.outline import Table as OutlineTable
from ibic.documents.parts import day_text
from ibic.documents.utredning import secrecy_citation
from ibic.messages import message
from ibic.reference import ReferenceData
from ibic.reports.caseload import Caseload, period_ahead_note
from ibic.reports.table import ReportTable

DOCUMENT_TYPE = "Rapport"


def _section(table: ReportTable) -> Section:
    body: list[Block] = []
    if table.rows:
        body.append(OutlineTable(table.columns, table.rows))
    else:
        body.append(Paragraph("Inga ärenden i perioden.", "muted"))
    if table.note:
        body.append(Paragraph(table.note, "muted"))
    return Section(table.title, tuple(body))


def own_caseload_scope(caseworker: str) -> str:
    """Whose caseload a handläggare's own report covers, as the document names it: in Swedish, whatever the
    interface's language (the report is a document for the nämnd)."""
    return message("Own caseload – %1", caseworker).sv


def report_outline(
    tables: Iterable[ReportTable], load: Caseload, ref: ReferenceData, *, today: date, scope: str, made_by: str
) -> DocumentOutline:
    """``scope`` names whose caseload it is (a handläggare, a unit, the municipality). A period ending after ``today``
    says it was counted up to today (``caseload_report`` counts it so)."""
    period = f"{day_text(load.period_start)} – {day_text(load.period_end)}"
    secrecy = secrecy_citation(ref)
    counted = load.as_of(today)
    ahead = (Notice(period_ahead_note(counted).sv, "period"),) if counted.reaches_ahead else ()
    return DocumentOutline(
        document_type=DOCUMENT_TYPE,
        status="",
        version=1,
        issuer=scope,
        subtitle=f"{scope} · {period}",
        header=KeyValueRows((("Avser", scope), ("Period", period), ("Antal ärenden", str(len(load.cases))),
                             ("Datum", day_text(today)))),
        notices=(Notice(f"Handlingen omfattas av sekretess enligt {secrecy}.", "secrecy"), *ahead),
        sections=tuple(_section(t) for t in tables),
        signature=SignatureBlock("Sammanställt av", made_by, "", scope, "Ort och datum"),
        running_header=f"Sekretess enligt {secrecy}",
        running_footer=f"{DOCUMENT_TYPE} · {scope} · {period}",
        watermark="",
        metadata_title=f"{DOCUMENT_TYPE} {period}",
    )
