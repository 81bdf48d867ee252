"""The beslutsmeddelande to the person, as a draft outline with the appeal notice (issue 13, points 7–8).

Per decision: insats, outcome, scope, period, lagrum and motivering (FL 31–33 §§). When anything goes against the
person (avslag or delvis bifall) the notice says how to appeal (FL 44–47 §§): in writing to the municipality within
three weeks from the day the person took part of the decision; once the delgivning is recorded, the last day is
printed (``notices.appeal_deadline_for``).
"""

from __future__ import annotations

from datetime import date

from ibic.cases import Case
from ibic.decisions import Decision, appeal_notice_sv
from ibic.documents.decision_documents import (
    check_person,
    draft_outline,
    notified_decisions,
    period_text,
    person_header,
)
from ibic.documents.decision_documents import scope_text as decision_scope_text
from ibic.documents.outline import Block, DocumentOutline, Paragraph, Section, SignatureBlock
from ibic.documents.parts import day_text, labelled, optional_section, rows, section
from ibic.notices import appeal_deadline_for, notice_for
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import DecisionOutcome

DOCUMENT_TYPE = "Beslutsmeddelande"
APPEAL_LAW_ID = "fl_44_47"


def build_beslutsmeddelande(
    case: Case, person: Person, ref: ReferenceData, *, today: date, decision_ids: list[str] | None = None
) -> DocumentOutline:
    """The draft beslutsmeddelande for the decisions named (by default those of the newest decision day,
    ``notified_decisions``)."""
    check_person(case, person)
    decisions = notified_decisions(case, decision_ids, today)
    decided_by = decisions[0].decided_by if decisions else case.caseworker
    return draft_outline(
        DOCUMENT_TYPE, case, person, ref, today=today,
        header=person_header(case, person, ("Enhet", case.unit), ("Datum", day_text(today)),
                             ("Kopia till", copies_to(person, ref, today))),
        sections=tuple(part for part in (
            section("Beslut", *(_decision_section(d, ref) for d in decisions),
                    empty_text="Inget beslut är valt."),
            _appeal_section(case, decisions, ref),
            _satisfaction_form_section(ref),
        ) if part is not None),
        signature=SignatureBlock("Beslutsfattare", decided_by, "Biståndshandläggare", case.unit, "Ort och datum"),
    )


def copies_to(person: Person, ref: ReferenceData, today: date) -> str:
    """The representatives with a mandate on the day (god man, förvaltare, framtidsfullmakt, ombud) get the decision
    too: a god man "bevakar rätt" for the huvudman (seed 001) and may appeal. A contact relative has no mandate and
    gets nothing without a consent (secrecy, seed 001)."""
    return "; ".join(f"{ref.label('representative_kind', rep.kind.value)}: {rep.name}"
                     for rep in person.representatives_on(today) if rep.may_apply_on_behalf())


def _decision_section(decision: Decision, ref: ReferenceData) -> Section:
    law = ref.law(decision.law_reference_id).citation if ref.has_law(decision.law_reference_id) else ""
    facts = rows(
        ("Beslut", ref.label("decision_outcome", decision.outcome.value)),
        ("Omfattning", decision_scope_text(decision, ref) if decision.outcome != DecisionOutcome.REFUSED else ""),
        ("Period", period_text(decision) if decision.outcome != DecisionOutcome.REFUSED else ""),
        ("Lagrum", law),
        ("Beslutsdatum", day_text(decision.decided_on)),
        ("Beslutsfattare", decision.decided_by),
    )
    return section(decision.insats_text, facts, labelled("Motivering", decision.motivation), level=2)


def _appeal_section(case: Case, decisions: list[Decision], ref: ReferenceData) -> Section:
    against = [d for d in decisions if d.outcome in (DecisionOutcome.REFUSED, DecisionOutcome.PARTLY_GRANTED)]
    if not against:
        return section("Överklagande", Paragraph("Beslutet går dig inte emot; det behöver inte överklagas.", "muted"))
    weeks = ref.rules.deadlines.appeal_weeks
    law = ref.law(APPEAL_LAW_ID).citation if ref.has_law(APPEAL_LAW_ID) else "44–47 §§ förvaltningslagen (2017:900)"
    parts: list[Block | None] = [Paragraph(appeal_notice_sv(weeks)), Paragraph(f"Enligt {law}.", "muted")]
    # The days once for the decisions that share them (one beslutsmeddelande carries them all, so mostly once):
    # each decision's name had stood in the label column three times, wrapped over a dozen lines, and a message of
    # eight avslag repeated the same three days over two pages (s35-probedocs).
    days: dict[tuple[str, str, str], list[Decision]] = {}
    for decision in against:
        notice = notice_for(case.decision_notices, decision.id)
        deadline = appeal_deadline_for(case.decision_notices, decision.id, weeks)
        key = (day_text(notice.sent_on) if notice else "", day_text(notice.notified_on) if notice else "",
               day_text(deadline))
        days.setdefault(key, []).append(decision)
    for (sent, notified, last), decisions in days.items():
        if not (sent or notified or last):
            # No day recorded for these (a decision made after the others' notice was typed): the notice's weeks
            # from the delgivning say it all. Named, they stood as a lone "Gäller beslutet om …" with nothing under
            # it, as if its days had been left out (s35-rui).
            continue
        named = ("", "") if len(days) == 1 else (
            "Gäller beslutet om" if len(decisions) == 1 else "Gäller besluten om",
            ", ".join(d.insats_text for d in decisions))
        parts.append(rows(named, ("Skickat", sent), ("Delgivet", notified), ("Sista dag att överklaga", last)))
    return section("Hur du överklagar", *parts)


def _satisfaction_form_section(ref: ReferenceData) -> Section | None:
    """Seed 004: the form on bemötande, tillgänglighet and information goes with every beslutsmeddelande."""
    text = ref.rules.documents.satisfaction_form_sv.strip()
    return optional_section("Frågeformulär", Paragraph(text) if text else None, level=1)
