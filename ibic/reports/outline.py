"""The report as a document outline, so the utredning's PDF path (``ui/printing/pdf_writer.py``) prints it.

No name or personnummer is in a report: persons appear by case number only. The secrecy notice stays, since case
numbers with insatser are still about individuals.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ibic.documents.outline import Block, DocumentOutline, KeyValueRows, Notice, Paragraph, Section, SignatureBlock
from ibic.documents.outline import Table as OutlineTable
from ibic.documents.parts import day_text
from ibic.documents.utredning import secrecy_citation
from ibic.messages import message
from ibic.reference import ReferenceData
from ibic.reports.table import ReportTable

if TYPE_CHECKING:
    from ibic.reports import CaseloadReport  # which imports this module

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
    tables: Iterable[ReportTable], report: CaseloadReport, ref: ReferenceData, *, scope: str, made_by: str
) -> DocumentOutline:
    """``tables``, of ``report`` (all of them or a report kind's), as one document dated the day the report was made;
    ``scope`` names whose caseload it is (a handläggare, a unit, the municipality). The report's ``period_note`` (a
    period ending after that day) is a notice under the secrecy one."""
    load, today = report.caseload, report.today
    period = f"{day_text(load.period_start)} – {day_text(load.period_end)}"
    secrecy = secrecy_citation(ref)
    note = report.period_note
    ahead = (Notice(note.sv, "period"),) if note is not None else ()
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
