"""The uppdrag, the beslutsmeddelande and the caseload report print through the utredning's PDF path (issue 13).

Text is read back with pypdf, as a reader gets it.
"""

from __future__ import annotations

from ibic.decisions import Decision, FrozenScope
from ibic.documents.beslutsmeddelande import build_beslutsmeddelande
from ibic.documents.bestallning import build_bestallning
from ibic.notices import DecisionNotice
from ibic.reference import ReferenceData
from ibic.reports import caseload_report, report_outline
from ibic.vocabulary import DecisionOutcome
from tests.domain.test_reports import caseload
from ui.printing.pdf_writer import render_pdf

from .conftest import TODAY, normalise, page_texts


def _pdf_text(pdf: bytes) -> str:
    return normalise(" ".join(page_texts(pdf)))


def test_the_caseload_report_prints_with_its_tables(ref: ReferenceData) -> None:
    load = caseload()
    report = caseload_report(load, ref)
    outline = report_outline(report.tables(), report, ref, scope="Biståndsenheten Demo",
                             made_by="Samordnare Demo")
    text = _pdf_text(render_pdf(outline))
    assert "Internkontroll: beviljad tid minst 100 timmar per månad" in text
    assert "K-003, K-004" in text and "103,3" in text
    assert "Personalkontinuitet: antal personal under 14 dagar (KKiK)" in text
    assert "14,4" in text and "Hemtjänst – serviceinsatser" in text
    assert "Testperson" not in text and "19861123" not in text  # a report names no one


def test_the_uppdrag_and_the_beslutsmeddelande_print(demo, ref: ReferenceData) -> None:  # type: ignore[no-untyped-def]
    people, cases = demo
    person, case = people[0], cases[2]
    refused = Decision(proposal_id="p", insats_id="ledsagning", insats_text="ledsagning",
                       outcome=DecisionOutcome.REFUSED, scope=FrozenScope(), starts_on=None, ends_on=None,
                       law_reference_id="sol2025_11_1", motivation="Behovet tillgodoses av dagverksamheten.",
                       decided_on=TODAY, decided_by="Handläggare Demo")
    case.decisions.append(refused)
    case.decision_notices.append(DecisionNotice(decision_ids=[refused.id], sent_on=TODAY, notified_on=TODAY))
    order = _pdf_text(render_pdf(build_bestallning(case, person, ref, today=TODAY)))
    assert "Uppdrag till utförare" in order and "Så följs uppdraget upp" in order and "104 timmar per månad" in order
    notice = _pdf_text(render_pdf(build_beslutsmeddelande(case, person, ref, today=TODAY,
                                                          decision_ids=[refused.id])))
    assert "Beslutsmeddelande" in notice and "Avslag" in notice
    assert "44–47 §§ förvaltningslagen (2017:900)" in notice and "2026-12-14" in notice


def test_the_uppdrag_prints_a_decision_whose_insats_text_is_ten_thousand_characters(  # type: ignore[no-untyped-def]
    demo, ref: ReferenceData
) -> None:
    """The central system's decision names its insats in text up to 200,000 characters; the uppdrag labels the
    motivering with it ("Bedömt behov – …"). A label taller than a page made reportlab give up (LayoutError) on
    main: the uppdrag could not be printed at all (s25-probe)."""
    people, cases = demo
    person, case = people[0], cases[2]
    long_text = ("Hemtjänst med omvårdnad och service, dag som natt. " * 200)[:9_980] + " slutet på insatsen"
    case.decisions = [case.decisions[0].model_copy(update={"insats_text": long_text})]
    order = _pdf_text(render_pdf(build_bestallning(case, person, ref, today=TODAY)))
    assert f"Bedömt behov – {long_text[:30]}" in order
    assert order.count("slutet på insatsen") == 2  # in the table and as the label, each to its end
    assert "Tolvan behöver hjälp med personlig hygien" in order  # the motivering under it


def test_the_signature_block_is_never_split_from_its_heading_and_lines(demo, ref: ReferenceData) -> None:  # type: ignore[no-untyped-def]
    """The beslutsmeddelande's motivering one line longer each time, so the signature block meets the foot of the
    page at every height. On main, where the block fitted only without its heading's space above, the heading and
    the two lines stayed at the foot of page 1 and their labels ("Ort och datum", "Namnteckning") and the name went
    alone to page 2 (seen with the demo rambeslut delvis bifall printed on 2026-12-06)."""
    people, cases = demo
    person, case = people[0], cases[2]
    decision = case.decisions[0].model_copy(update={"outcome": DecisionOutcome.PARTLY_GRANTED})
    split = []
    for lines in range(45):
        motivation = "\n".join(f"Rad {n} av motiveringen." for n in range(lines + 1))
        case.decisions = [decision.model_copy(update={"motivation": motivation})]
        pages = page_texts(render_pdf(build_beslutsmeddelande(case, person, ref, today=TODAY)))
        signed = [i for i, text in enumerate(pages) if "Namnteckning" in text]
        # "Beslutsfattare" labels the decision's facts too: the heading is the last one in the document.
        heading_page = [i for i, text in enumerate(pages) for _ in range(text.count("Beslutsfattare"))][-1]
        named = [i for i, text in enumerate(pages) if "Biståndshandläggare, Biståndsenheten Demo" in text]
        assert len(signed) == 1 and named == signed
        if signed[0] != heading_page:
            split.append(lines)
    assert split == []
