"""The utredning outline, built without Qt or reportlab: order, wording and what empty fields become."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ibic.decisions import Proposal, Scope
from ibic.documents.outline import KeyValueRows, LabelledText, Section, Table
from ibic.documents.utredning import PersonNotInCase
from ibic.investigation import LifeAreaAssessment
from ibic.vocabulary import CommunicationMethod, DecisionOutcome, ScopeUnit

from .conftest import TODAY, outline_of

SECTION_ORDER = [
    "Ärendet",
    "Information och samtycke",
    "Deltagare och källor",
    "Den enskildes situation",
    "Kartläggning av livsområden (IBIC)",
    "Bedömning",
    "Förslag till beslut",
    "Kommunicering",
]


def subsection(section: Section, heading: str) -> Section:
    found = [b for b in section.blocks if isinstance(b, Section) and b.heading == heading]
    assert found, f"no sub-section {heading!r}"
    return found[0]


def all_blocks(section: Section) -> list[object]:
    out: list[object] = []
    for block in section.blocks:
        out.append(block)
        if isinstance(block, Section):
            out.extend(all_blocks(block))
    return out


def test_sections_follow_the_order_of_an_utredning(home_visit, ref):
    person, case = home_visit
    outline = outline_of(person, case, ref)
    assert [s.heading for s in outline.sections] == SECTION_ORDER
    assert outline.signature.name == "Handläggare Demo"


def test_header_holds_formatted_personnummer_case_number_and_draft_status(home_visit, ref):
    person, case = home_visit
    header = dict(outline_of(person, case, ref, version=3).header.rows)
    assert header["Personnummer"] == "19121212-1212"
    assert header["Ärendenummer"] == "DEMO-2026-0001"
    assert header["Status"] == "UTKAST"
    assert header["Handling"] == "Utredning, version 3"
    assert header["Datum"] == "2026-11-23"
    assert header["Företrädare"] == "God man: Gustav Godman (fiktiv)"


def test_running_header_footer_and_metadata_hold_no_personal_data(home_visit, ref):
    person, case = home_visit
    outline = outline_of(person, case, ref)
    for text in (outline.running_header, outline.running_footer, outline.metadata_title):
        assert "19121212" not in text and "Tolvan" not in text
    assert "DEMO-2026-0001" in outline.running_footer
    assert "26 kap. 1 §" in outline.running_header
    assert outline.metadata_title == "Utredning (utkast)"


def test_fictitious_person_gets_a_visible_demo_notice_and_a_real_one_does_not(home_visit, ref):
    person, case = home_visit
    assert any("FIKTIV PERSON – DEMO" in n.text for n in outline_of(person, case, ref).notices)
    person.fictitious = False
    notices = outline_of(person, case, ref).notices
    assert [n.kind for n in notices] == ["secrecy"]
    assert ref.law("osl_26_1").citation in notices[0].text


def test_mapped_area_shows_scale_wording_others_with_source_and_judgement(home_visit, ref):
    person, case = home_visit
    areas = outline_of(person, case, ref).sections[4]
    moving = subsection(areas, "Förflyttning (d4)")
    labelled = {b.label: b.text for b in moving.blocks if isinstance(b, LabelledText)}
    assert labelled["Skattning"] == "Måttlig svårighet (skalsteg 2, 25–49 %)"
    assert labelled["Enligt Dottern Tova (fiktiv), Dotter, 2026-11-21"] == "Pappa har ramlat två gånger i höstas."
    table = next(b for b in moving.blocks if isinstance(b, Table))
    assert table.columns == ("Delområde", "Skattning", "Beskrivning")
    assert table.rows == (
        ("d450 Gå", "Lätt svårighet (skalsteg 1, 5–24 %)", "Går med rollator inomhus."),
        ("d460 Röra sig omkring på olika platser", "Stor svårighet (skalsteg 3, 50–95 %)",
         "Går inte ut ensam av rädsla att falla."),
    )
    assert next(iter(labelled)) == "Den enskildes egen beskrivning"
    security = subsection(areas, "Känsla av trygghet (b1528A)")
    assert any(isinstance(b, LabelledText) and b.text.startswith("Måttligt problem") for b in security.blocks)


def test_life_areas_follow_reference_order_then_ej_aktuellt_then_not_mapped(home_visit, ref):
    person, case = home_visit
    areas = outline_of(person, case, ref).sections[4]
    headings = [b.heading for b in areas.blocks if isinstance(b, Section)]
    assert headings == [
        "Förflyttning (d4)",
        "Hemliv (d6)",
        "Känsla av trygghet (b1528A)",
        "Livsområden som inte är aktuella",
        "Livsområden som inte har kartlagts",
    ]
    table = subsection(areas, "Livsområden som inte är aktuella").blocks[0]
    assert isinstance(table, Table)
    assert table.rows == (
        (
            "Utbildning, arbete, sysselsättning och ekonomiskt liv",
            "Området berörs inte av ansökan. God man sköter ekonomin.",
        ),
    )
    not_mapped = subsection(areas, "Livsområden som inte har kartlagts").blocks[0]
    assert "- Personlig vård" in not_mapped.text  # type: ignore[union-attr]
    assert "Förflyttning" not in not_mapped.text  # type: ignore[union-attr]


def test_empty_fields_never_print_as_none_or_as_bare_labels(home_visit, ref):
    person, case = home_visit
    case.investigation.assessments.append(LifeAreaAssessment(area_id="d5", qualifier="1"))
    case.proposals.append(Proposal(application_item_id=case.application.items[0].id))
    outline = outline_of(person, case, ref)
    texts = list(outline.texts())
    assert not any("None" in text for text in texts)
    for section in outline.sections:
        assert section.blocks, section.heading
        for block in all_blocks(section):
            if isinstance(block, LabelledText):
                assert block.text.strip(), block.label
            if isinstance(block, Section):
                assert block.blocks, block.heading
            if isinstance(block, KeyValueRows):
                assert all(value.strip() for _, value in block.rows)
    care = subsection(outline.sections[4], "Personlig vård (d5)")
    assert [b.label for b in care.blocks if isinstance(b, LabelledText)] == ["Skattning"]


def test_a_case_with_nothing_recorded_says_so_under_each_heading(ref, demo):
    people, cases = demo
    case = cases[1].model_copy(deep=True)
    case.application.items = []
    case.investigation.visits = []
    case.consents = []
    outline = outline_of(people[1], case, ref)
    texts = {s.heading: [b for b in s.blocks] for s in outline.sections}
    assert texts["Information och samtycke"][0].text == "Inga uppgifter har registrerats ännu."  # type: ignore[union-attr]
    assert texts["Förslag till beslut"][0].text == "Inget förslag till beslut är registrerat ännu."  # type: ignore[union-attr]
    assert "None" not in " ".join(outline.texts())


def test_proposal_prints_outcome_scope_period_law_and_motivation(ref, awkward):
    person, case = awkward
    proposals = outline_of(person, case, ref).sections[6]
    service = subsection(proposals, "Hemtjänst – serviceinsatser")
    facts = dict(next(b for b in service.blocks if isinstance(b, KeyValueRows)).rows)
    assert facts["Förslag"] == "Bifall"
    assert facts["Omfattning"] == "8 timmar per månad"
    assert facts["Period"] == f"{TODAY.isoformat()} – {(TODAY + timedelta(days=180)).isoformat()}"
    assert facts["Lagrum"] == "11 kap. 1 § socialtjänstlagen (2025:400)"
    alarm = subsection(proposals, "Trygghetslarm")
    alarm_facts = dict(next(b for b in alarm.blocks if isinstance(b, KeyValueRows)).rows)
    assert alarm_facts["Period"] == f"Från {TODAY.isoformat()}, tills vidare"


def test_refused_proposal_shows_no_scope_and_a_partial_amount_uses_a_decimal_comma(ref, awkward):
    person, case = awkward
    case.proposals[0].outcome = DecisionOutcome.REFUSED
    case.proposals[1].scope = Scope(amount=1.5, unit=ScopeUnit.HOURS_PER_WEEK)
    proposals = outline_of(person, case, ref).sections[6]
    service = subsection(proposals, "Hemtjänst – serviceinsatser")
    facts = dict(next(b for b in service.blocks if isinstance(b, KeyValueRows)).rows)
    assert facts["Förslag"] == "Avslag" and "Omfattning" not in facts and "Period" not in facts
    alarm = subsection(proposals, "Trygghetslarm")
    assert (
        dict(next(b for b in alarm.blocks if isinstance(b, KeyValueRows)).rows)["Omfattning"] == "1,5 timmar per vecka"
    )


def test_assessment_holds_the_four_questions_per_applied_insats(ref, awkward):
    person, case = awkward
    section = outline_of(person, case, ref).sections[5]
    service = subsection(section, "Hemtjänst – serviceinsatser")
    assert [b.label for b in service.blocks if isinstance(b, LabelledText)] == [
        "Finns behovet?",
        "Kan behovet tillgodoses på annat sätt?",
        "Behövs insatsen för skälig levnadsnivå?",
        "Vilken insats tillgodoser behovet?",
    ]


def test_communication_done_or_not_done(ref, home_visit, awkward):
    person, case = awkward
    case.communication.method = CommunicationMethod.HOME_VISIT
    comm = outline_of(person, case, ref).sections[7]
    facts = dict(next(b for b in comm.blocks if isinstance(b, KeyValueRows)).rows)
    assert facts == {
        "Kommunicerad": TODAY.isoformat(),
        "Hur": "Vid hembesök",
        "Med": "Den enskilde och gode mannen Gustav Godman",
        "Svar senast": (TODAY + timedelta(days=14)).isoformat(),
    }
    case.communication.reply_by = TODAY + timedelta(days=21)
    facts = dict(next(b for b in outline_of(person, case, ref).sections[7].blocks if isinstance(b, KeyValueRows)).rows)
    assert facts["Svar senast"] == (TODAY + timedelta(days=21)).isoformat(), "a date agreed with the person wins"
    person, case = home_visit
    case.communication.not_done_reason = "Beslutet bifaller ansökan i sin helhet."
    texts = [b.text for b in outline_of(person, case, ref).sections[7].blocks]  # type: ignore[union-attr]
    assert "Kommunicering ej genomförd: Beslutet bifaller ansökan i sin helhet." in texts


def test_outline_of_a_case_with_another_persons_record_is_refused(ref, demo):
    people, cases = demo
    with pytest.raises(PersonNotInCase):
        outline_of(people[1], cases[0], ref)


def test_nothing_of_another_case_reaches_the_outline(ref, demo):
    people, cases = demo
    text = " ".join(outline_of(people[0], cases[0], ref).texts())
    other = " ".join(outline_of(people[0], cases[2], ref).texts())
    assert "DEMO-2025-0117" in other and "DEMO-2025-0117" not in text
    assert "Hjälp med dusch och påklädning" not in text
    assert "Greta" not in text and "DEMO-2026-0002" not in text


def test_a_draft_printed_before_kommunicering_says_by_when_to_answer(ref, home_visit):
    person, case = home_visit
    case.communication.done_on = None
    case.communication.not_done_reason = ""
    blocks = outline_of(person, case, ref).sections[7].blocks
    texts = [b.text for b in blocks if hasattr(b, "text")]
    assert "Utredningen kommuniceras med den enskilde, som kan lämna synpunkter på den." in texts
    facts = dict(next(b for b in blocks if isinstance(b, KeyValueRows)).rows)
    days = ref.rules.deadlines.communication_reply_days
    assert facts == {"Svar senast": (TODAY + timedelta(days=days)).isoformat()}
