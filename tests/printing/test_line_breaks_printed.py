"""A text holding U+2028 (LINE SEPARATOR) or U+2029 (PARAGRAPH SEPARATOR), as the central system may send one (a
paste into the laptop's fields turns them into "\\n" first: tests/ui/test_print_line_separators.py), breaks the line
in every printed document, all drawn by the one outline → PDF path. On main each printed as a space: "Rad ett Rad
två" on one line, in the running text (``text_block.break_words`` split at any whitespace) and in a table's cell."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ibic.demo import CASEWORKER, UNIT
from ibic.documents.beslutsmeddelande import build_beslutsmeddelande
from ibic.documents.bestallning import build_bestallning
from ibic.documents.outline import DocumentOutline
from ibic.documents.uppfoljning import build_uppfoljning
from ibic.documents.utredning import build_utredning
from ibic.reference import ReferenceData
from ibic.reports import caseload_report, report_outline
from tests.domain.test_reports import caseload
from ui.printing.pdf_writer import render_pdf

from .conftest import TODAY

SEPARATED = "Rad ett\u2028Rad två\u2029Stycke två"


def _lines(outline: DocumentOutline, tmp_path: Path) -> list[str]:
    path = tmp_path / "printed.pdf"
    path.write_bytes(render_pdf(outline))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [line.strip() for line in text.splitlines()]


def _broken(lines: list[str]) -> bool:
    return all(line in lines for line in ("Rad ett", "Rad två", "Stycke två"))


def test_the_utredning_breaks_the_line_at_each_separator(demo, ref: ReferenceData, tmp_path) -> None:  # type: ignore[no-untyped-def]
    people, cases = demo
    person, case = people[0], cases[0]
    case.investigation.situation = SEPARATED
    outline = build_utredning(case, person, ref, today=TODAY, caseworker=CASEWORKER, unit=UNIT, version=1)
    assert _broken(_lines(outline, tmp_path))


def test_the_uppdrag_and_the_beslutsmeddelande_break_the_line_at_each_separator(  # type: ignore[no-untyped-def]
    demo, ref: ReferenceData, tmp_path
) -> None:
    people, cases = demo
    person, case = people[0], cases[2]
    case.decisions = [case.decisions[0].model_copy(update={"motivation": SEPARATED})]
    assert _broken(_lines(build_bestallning(case, person, ref, today=TODAY), tmp_path))
    notice = build_beslutsmeddelande(case, person, ref, today=TODAY, decision_ids=[case.decisions[0].id])
    assert _broken(_lines(notice, tmp_path))


def test_the_uppfoljning_breaks_the_line_at_each_separator(demo, ref: ReferenceData, tmp_path) -> None:  # type: ignore[no-untyped-def]
    people, cases = demo
    case = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    person = next(p for p in people if p.id == case.person_id)
    case.follow_ups[0] = case.follow_ups[0].model_copy(update={"person_experience": SEPARATED})
    outline = build_uppfoljning(case, person, ref, case.follow_ups[0].id, today=TODAY, caseworker=CASEWORKER)
    assert _broken(_lines(outline, tmp_path))


def test_a_reports_table_cell_breaks_the_line_at_each_separator(ref: ReferenceData, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The scope is the "Avser" cell of the report's first table (a unit's name as the central system spells it)."""
    report = caseload_report(caseload(), ref)
    outline = report_outline(report.tables(), report, ref, scope=SEPARATED, made_by="Samordnare Demo")
    assert _broken(_lines(outline, tmp_path))
