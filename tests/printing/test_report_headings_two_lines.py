"""A printed report's column headings take two lines at most (session 27): with equal column widths internkontroll
printed "Beviljad tid (timmar per månad)" on five lines and handläggningstider "Dagar till beslut" on three, beside
columns of "Ja" and two-digit numbers. Read back from the PDF: each heading is one paragraph, its lines drawn from
one origin."""

from __future__ import annotations

import io
from collections import defaultdict

from pypdf import PdfReader

from ibic.reference import ReferenceData
from ibic.reports import caseload_report, report_outline
from tests.domain.test_reports import caseload
from ui.printing.pdf_writer import render_pdf


def _bold_paragraphs(pdf: bytes, sizes: dict[str, float] | None = None) -> dict[str, list[int]]:
    """Each bold paragraph's text (its lines joined by spaces) and how many lines it took, wherever it stands; its
    smallest type size in ``sizes``."""
    found: dict[str, list[int]] = defaultdict(list)
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        lines: dict[tuple[int, float, float], list[str]] = defaultdict(list)
        size_of: dict[tuple[int, float, float], float] = {}

        def visit(text: str, cm: list[float], _tm: list[float], font: object, size: float,
                  lines: dict[tuple[int, float, float], list[str]] = lines, number: int = number,
                  size_of: dict[tuple[int, float, float], float] = size_of) -> None:
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            if text.strip() and name.endswith("Bold"):
                origin = (number, round(cm[4], 1), round(cm[5], 1))
                lines[origin].append(text.strip())
                size_of[origin] = min(size, size_of.get(origin, size))

        page.extract_text(visitor_text=visit)
        for origin, parts in lines.items():
            found[" ".join(parts)].append(len(parts))
            if sizes is not None:
                sizes[" ".join(parts)] = min(size_of[origin], sizes.get(" ".join(parts), size_of[origin]))
    return found


def _printed_report(ref: ReferenceData) -> tuple[set[str], bytes]:
    """The caseload report's column headings (of its tables with rows) and the report printed."""
    load = caseload()
    report = caseload_report(load, ref)
    outline = report_outline(report.tables(), report, ref, scope="Biståndsenheten Demo",
                             made_by="Samordnare Demo")
    headings = {column for table in report.tables() if table.rows for column in table.columns}
    return headings, render_pdf(outline)


def test_every_column_heading_of_the_printed_report_takes_two_lines_at_most(ref: ReferenceData) -> None:
    headings, pdf = _printed_report(ref)
    paragraphs = _bold_paragraphs(pdf)
    assert "Beviljad tid (timmar per månad)" in headings and "Dagar till beslutsmeddelande" in headings
    for heading in sorted(headings):
        assert heading in paragraphs, f"{heading!r} not printed as one heading: {sorted(paragraphs)}"
        assert max(paragraphs[heading]) <= 2, f"{heading!r} printed on {max(paragraphs[heading])} lines"


def test_no_column_heading_of_the_printed_report_is_set_smaller_than_seven_and_a_half_points(
    ref: ReferenceData,
) -> None:
    """Kept on two lines, handläggningstider's headings were set at 7 points, under a municipal document's smallest
    type; the padding halves first now, and 7.5 points of DejaVu Sans reads as a 9-point serif."""
    headings, pdf = _printed_report(ref)
    sizes: dict[str, float] = {}
    _bold_paragraphs(pdf, sizes)
    assert "Dagar till beslutsmeddelande" in sizes
    small = {heading: sizes[heading] for heading in headings if sizes[heading] < 7.5}
    assert not small, f"headings set under 7.5 points: {small}"
