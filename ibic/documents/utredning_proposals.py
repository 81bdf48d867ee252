"""Bedömning per applied insats, förslag till beslut and kommunicering: the closing parts of the utredning."""

from __future__ import annotations

from datetime import date

from ibic.application import ApplicationItem
from ibic.cases import Case
from ibic.deadlines import communication_reply_due
from ibic.decisions import Proposal, no_needs_test_from
from ibic.documents.outline import Block, Paragraph, Section
from ibic.documents.parts import amount_text, blocks, day_text, labelled, paragraph, rows, section
from ibic.reference import ReferenceData
from ibic.vocabulary import DecisionOutcome, ScopeUnit

# The four questions of the bedömning per applied insats, in the order a quality review reads them.
ASSESSMENT_QUESTIONS = (
    ("need_exists", "Finns behovet?"),
    ("met_otherwise", "Kan behovet tillgodoses på annat sätt?"),
    ("needed_for_reasonable_living", "Behövs insatsen för skälig levnadsnivå?"),
    ("fitting_insats", "Vilken insats tillgodoser behovet?"),
)


def insats_text(ref: ReferenceData, insats_id: str | None, free_text: str = "") -> str:
    """The insats as printed: the catalogue label, else the free text, else a neutral word."""
    insats = ref.insats(insats_id) if insats_id else None
    if insats is not None:
        return insats.label_sv
    return free_text.strip() or (insats_id or "Insats")


def _pairs(case: Case, ref: ReferenceData) -> list[tuple[str, Proposal | None, str | None]]:
    """(heading, proposal, insats id) per applied item in application order, then proposals tied to no item."""
    pairs: list[tuple[str, Proposal | None, str | None]] = []
    item_ids = set()
    for item in case.application.items:
        item_ids.add(item.id)
        proposal = case.proposal_for(item.id)
        pairs.append((_item_heading(item, ref), proposal, proposal.insats_id if proposal else item.insats_id))
    for proposal in case.proposals:
        if proposal.application_item_id not in item_ids:
            pairs.append((insats_text(ref, proposal.insats_id), proposal, proposal.insats_id))
    return pairs


def _item_heading(item: ApplicationItem, ref: ReferenceData) -> str:
    return insats_text(ref, item.insats_id, item.free_text)


def assessment_section(case: Case, ref: ReferenceData, person_age: int | None = None) -> Section:
    """Bedömning: the four questions per applied insats; for an insats given without a needs test at the person's
    age and left unanswered, that no assessment is made (it read "Bedömningen är inte gjord ännu."), whether or not
    its proposal was opened yet."""
    parts: list[Block] = []
    for heading, proposal, insats_id in _pairs(case, ref):
        answers = (
            [labelled(question, getattr(proposal, name)) for name, question in ASSESSMENT_QUESTIONS]
            if proposal is not None
            else []
        )
        from_age = no_needs_test_from(insats_id, ref, person_age)
        empty = (
            "Bedömningen är inte gjord ännu." if from_age is None
            else f"Ingen behovsbedömning: insatsen ges utan behovsprövning från {from_age} år."
        )
        parts.append(section(heading, *answers, level=2, empty_text=empty))
    return section("Bedömning", *parts, empty_text="Ingen ansökan att bedöma är registrerad ännu.")


def proposal_section(case: Case, ref: ReferenceData) -> Section:
    """Förslag till beslut per insats: outcome, scope, period, law reference and motivering."""
    parts: list[Block] = []
    for heading, proposal, _insats_id in _pairs(case, ref):
        if proposal is None:
            parts.append(Section(heading, (Paragraph("Förslag till beslut saknas ännu.", "muted"),), level=2))
            continue
        parts.append(section(heading, *_proposal_blocks(proposal, ref), level=2))
    return section("Förslag till beslut", *parts, empty_text="Inget förslag till beslut är registrerat ännu.")


def _proposal_blocks(proposal: Proposal, ref: ReferenceData) -> tuple[Block, ...]:
    outcome = ref.label("decision_outcome", proposal.outcome.value) if proposal.outcome else "Inte angivet ännu"
    granted = proposal.outcome != DecisionOutcome.REFUSED
    law = ref.law(proposal.law_reference_id).citation if ref.has_law(proposal.law_reference_id) else ""
    return blocks(
        rows(
            ("Förslag", outcome),
            ("Omfattning", scope_text(proposal, ref) if granted else ""),
            ("Beslutsform", ref.label("decision_form", proposal.scope.form.value) if granted else ""),
            ("Period", period_text(proposal) if granted else ""),
            ("Lagrum", law),
        ),
        labelled("Motivering", proposal.motivation),
    )


def scope_text(proposal: Proposal, ref: ReferenceData) -> str:
    """ "8 timmar per månad", "tills vidare", or empty when no amount is given."""
    unit = proposal.scope.unit
    if unit == ScopeUnit.UNTIL_FURTHER_NOTICE:
        return ref.label("scope_unit", unit.value)
    if proposal.scope.amount is None:
        return ""
    return f"{amount_text(proposal.scope.amount)} {ref.label('scope_unit', unit.value)}"


def period_text(proposal: Proposal) -> str:
    """ "2026-01-01 – 2026-06-30", "Från 2026-01-01, tills vidare", or empty."""
    start, end = proposal.starts_on, proposal.ends_on
    if start and end:
        return f"{day_text(start)} – {day_text(end)}"
    if start:
        return f"Från {day_text(start)}, tills vidare"
    if end:
        return f"Till och med {day_text(end)}"
    return ""


def communication_section(case: Case, ref: ReferenceData, today: date) -> Section:
    """When and how the material was communicated (FL 25 §) and the last day for the person's views, or that it was
    not. A draft printed before kommunicering is the copy the person is shown: it says by when to answer."""
    comm = case.communication
    reply_due = communication_reply_due(comm, today, ref.rules)
    law = None
    if ref.has_law("fl_25"):
        law = paragraph(
            f"Enligt {ref.law('fl_25').citation} ska den enskilde få ta del av allt material av betydelse "
            "och få tillfälle att yttra sig innan beslut fattas.",
            "muted",
        )
    if comm.done_on is None:
        reason = comm.not_done_reason.strip().rstrip(".")
        if reason:
            return section("Kommunicering", law, Paragraph(f"Kommunicering ej genomförd: {reason}."))
        invitation = "Utredningen kommuniceras med den enskilde, som kan lämna synpunkter på den."
        return section("Kommunicering", law, Paragraph(invitation), rows(("Svar senast", day_text(reply_due))))
    method = ref.label("communication_method", comm.method.value) if comm.method else ""
    return section(
        "Kommunicering",
        law,
        rows(
            ("Kommunicerad", day_text(comm.done_on)),
            ("Hur", method),
            ("Med", comm.with_whom),
            ("Svar senast", day_text(reply_due)),
        ),
        labelled("Material som kommunicerats", comm.material),
        labelled("Synpunkter från den enskilde", comm.response),
    )
