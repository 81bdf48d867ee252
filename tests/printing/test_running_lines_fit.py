"""The running header and footer stay on one line inside the margins, clear of "Sida X av Y", whatever they hold.

A case number (up to 500 characters) or a unit name in the footer ran over the page number and off the page edge.
Where each piece of text is drawn is read back with pypdf (its position and the embedded font's widths).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from ibic.documents.beslutsmeddelande import build_beslutsmeddelande
from ibic.documents.bestallning import build_bestallning
from ibic.reference import ReferenceData
from ibic.reports import caseload_report, report_outline
from tests.domain.test_reports import caseload
from ui.printing.pdf_page import MARGIN_LEFT, MARGIN_RIGHT, PAGE_WIDTH
from ui.printing.pdf_styles import REGULAR
from ui.printing.pdf_writer import render_pdf

from .conftest import TODAY

LONG_NUMBER = "Ä" + "9" * 499  # the longest case number a case holds (ShortText)
FOOTER_Y_MAX = 60  # points from the page's foot: the running footer's line (12 mm), not the body


@dataclass(frozen=True)
class Drawn:
    text: str
    left: float
    right: float


def footer_pieces(pdf: bytes) -> list[list[Drawn]]:
    """Per page, every piece of text drawn in the footer band, with its left and right edge in points."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[Drawn] = []

        def visit(text, cm, tm, _font, size, found=found):  # type: ignore[no-untyped-def]
            x, y = tm[4] + cm[4], tm[5] + cm[5]
            if text.strip() and 0 < y < FOOTER_Y_MAX:
                found.append(Drawn(text.strip(), x, x + stringWidth(text.strip(), REGULAR, size)))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def assert_footer_fits(pdf: bytes, start: str, end: str) -> None:
    for pieces in footer_pieces(pdf):
        label = next(p for p in pieces if p.text.startswith("Sida "))
        footer = [p for p in pieces if p is not label]
        assert footer, "the footer is printed"
        assert all(p.left >= MARGIN_LEFT - 0.5 and p.right <= label.left for p in footer), (
            "the footer ends before the page number")
        assert label.right <= PAGE_WIDTH - MARGIN_RIGHT + 0.5
        text = "".join(p.text for p in footer)
        assert text.startswith(start) and text.endswith(end) and "…" in text


def test_a_500_character_case_number_is_shortened_in_the_footer_of_the_decision_documents(  # type: ignore[no-untyped-def]
    demo, ref: ReferenceData
) -> None:
    people, cases = demo
    person, case = people[0], cases[2]
    case.case_number = LONG_NUMBER
    order = render_pdf(build_bestallning(case, person, ref, today=TODAY))
    assert_footer_fits(order, "Ärende Ä999", "· Uppdrag till utförare · UTKAST")
    notice = render_pdf(build_beslutsmeddelande(case, person, ref, today=TODAY))
    assert_footer_fits(notice, "Ärende Ä999", "· Beslutsmeddelande · UTKAST")


def test_a_long_unit_name_is_shortened_in_the_footer_of_the_caseload_report(ref: ReferenceData) -> None:
    load = caseload()
    report = caseload_report(load, ref)
    unit = "Biståndsenheten " + "Ölångtordutanmellanslag" * 8
    outline = report_outline(report.tables(), report, ref, scope=unit, made_by="Samordnare Demo")
    assert_footer_fits(render_pdf(outline), outline.running_footer[:10], outline.running_footer[-10:])


def test_a_case_number_with_an_emoji_nul_tab_or_soft_hyphen_is_drawn_printable_in_the_footer(  # type: ignore[no-untyped-def]
    demo, ref: ReferenceData
) -> None:
    """The footer drew the case number as it came from the central system: the emoji became a hex string PDF readers
    reject (pdftotext: "Got invalid hex string"), U+0000 and the tab were drawn, the soft hyphen showed as "-". U+0085
    (NEL) is a line break (``ibic.line_breaks``, s33), which the one-line footer joins with a space."""
    people, cases = demo
    person, case = people[0], cases[2]
    case.case_number = "2026/😀\x00\t12\u00ad3\x85x"
    for outline in (build_bestallning(case, person, ref, today=TODAY),
                    build_beslutsmeddelande(case, person, ref, today=TODAY)):
        for pieces in footer_pieces(render_pdf(outline)):
            footer = "".join(p.text for p in pieces if not p.text.startswith("Sida "))
            assert footer.startswith("Ärende 2026/\ufffd    123 x · "), repr(footer)


def test_a_soft_hyphen_pasted_into_a_text_is_not_printed(demo, ref: ReferenceData) -> None:  # type: ignore[no-untyped-def]
    """Text pasted from a word processor carries soft hyphens (U+00AD): main printed "Förflytt-nings-hjälp"."""
    people, cases = demo
    person, case = people[0], cases[2]
    case.decisions = [case.decisions[0].model_copy(update={"motivation": "Förflytt\u00adnings\u00adhjälp behövs."})]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(
        build_bestallning(case, person, ref, today=TODAY)))).pages)
    assert "Förflyttningshjälp behövs." in text
