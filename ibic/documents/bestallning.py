"""The uppdrag (beställning) to the utförare, as a render-neutral outline (issue 13, point 7).

Socialstyrelsen's process: besluta → utforma uppdrag → genomföra → följa upp. SOSFS 2014:5 (seed 002): the uppdrag
states how the follow-up is to be done in the individual case. Content: the granted insatser with scope, form and
period; the person's needs and goals per life area; how the follow-up will be done; what the utförare does when
needs change; practical facts (language, interpreter).
"""

from __future__ import annotations

from datetime import date

from ibic.cases import Case
from ibic.decisions import Decision
from ibic.documents.decision_documents import (
    check_person,
    chosen_decisions,
    draft_outline,
    form_text,
    granted,
    period_text,
    person_header,
    scope_text,
)
from ibic.documents.outline import Block, DocumentOutline, Paragraph, Section, SignatureBlock, Table
from ibic.documents.parts import day_text, labelled, rows, section
from ibic.follow_up import FOUR_QUESTIONS_SV, FollowUp
from ibic.follow_up_rules import changed_needs_route, four_answers
from ibic.people import Person
from ibic.reference import ReferenceData

DOCUMENT_TYPE = "Uppdrag till utförare"


def build_bestallning(
    case: Case,
    person: Person,
    ref: ReferenceData,
    *,
    today: date,
    caseworker: str = "",
    decision_ids: list[str] | None = None,
) -> DocumentOutline:
    """The uppdrag for the granted decisions (by default those in force or made ``today``)."""
    check_person(case, person)
    decisions = [d for d in chosen_decisions(case, decision_ids, today) if granted(d)]
    caseworker = caseworker.strip() or case.caseworker.strip()
    return draft_outline(
        DOCUMENT_TYPE, case, person, ref, today=today,
        header=person_header(
            case, person, ("Telefon", person.phone), ("Utförare", case.chosen_provider),
            ("Handläggare", caseworker), ("Enhet", case.unit), ("Datum", day_text(today)),
            ("Uppdraget skickat", day_text(_sent_on(case, decisions))),
        ),
        sections=(
            _insatser_section(decisions, ref),
            _goals_section(case, ref),
            _follow_up_section(case, decisions, ref),
            _practical_section(person),
        ),
        signature=SignatureBlock("Uppdragsgivare", caseworker, "Biståndshandläggare", case.unit, "Ort och datum"),
    )


def _sent_on(case: Case, decisions: list[Decision]) -> date | None:
    """When an uppdrag for these decisions was last sent to the utförare (``Case.provider_orders``)."""
    ids = {d.id for d in decisions}
    sent = [o.sent_on for o in case.provider_orders if ids & set(o.decision_ids)]
    return max(sent) if sent else None


def _insatser_section(decisions: list[Decision], ref: ReferenceData) -> Section:
    if not decisions:
        return section("Beviljade insatser", Paragraph("Inget beviljat beslut gäller.", "muted"))
    table = Table(
        ("Insats", "Omfattning", "Beslutsform", "Period", "Beslutsdatum"),
        tuple((d.insats_text, scope_text(d, ref), form_text(d), period_text(d), day_text(d.decided_on))
              for d in decisions),
        (3, 2.2, 1.6, 2.6, 1.6),
    )
    motivations = [labelled(f"Bedömt behov – {d.insats_text}", d.motivation) for d in decisions]
    return section("Beviljade insatser", table, *motivations)


def _goals_section(case: Case, ref: ReferenceData) -> Section:
    goal_rows = []
    for area in ref.life_areas:
        assessment = case.investigation.assessment_for(area.id)
        if assessment is not None and (assessment.need.strip() or assessment.goal.strip()):
            goal_rows.append((area.label_sv, assessment.need.strip(), assessment.goal.strip()))
    columns = ("Livsområde", "Behov", "Mål i den enskildes ord")
    table = Table(columns, tuple(goal_rows), (2.5, 4, 4)) if goal_rows else None
    return section("Behov och mål", table, empty_text="Inga mål är registrerade ännu.")


def _planned_follow_up(case: Case, decisions: list[Decision]) -> FollowUp | None:
    ids = {d.id for d in decisions}
    planned = [f for f in case.follow_ups if f.done_on is None and ids & set(f.decision_ids)]
    return max(planned, key=lambda f: f.planned_on or date.min) if planned else None


def _follow_up_section(case: Case, decisions: list[Decision], ref: ReferenceData) -> Section:
    plan = _planned_follow_up(case, decisions)
    parts: list[Block | None] = []
    if plan is not None:
        parts.append(rows(("Planerad uppföljning", day_text(plan.planned_on))))
        parts.extend(labelled(q, a) for q, a in zip(FOUR_QUESTIONS_SV, four_answers(plan), strict=True))
    else:
        parts.append(Paragraph("Formerna för uppföljningen bestäms tillsammans med den enskilde.", "muted"))
    days = ref.rules.follow_up.implementation_plan_days
    parts.append(Paragraph(f"Utföraren upprättar en genomförandeplan tillsammans med den enskilde inom {days} dagar "
                           "och följer regelbundet upp den och om målen uppfylls."))
    forms = {d.scope.form for d in decisions}
    for form in sorted(forms):
        route = changed_needs_route(form)
        parts.append(labelled("Vid förändrade behov", f"{route.text_sv} {route.time_distribution_sv}"))
    return Section("Så följs uppdraget upp", tuple(p for p in parts if p is not None))


def _practical_section(person: Person) -> Section:
    interpreter = ""
    if person.interpreter_needed:
        interpreter = "Tolk behövs" + (f" ({person.interpreter_language})" if person.interpreter_language else "")
    return section("Praktiska uppgifter", rows(("Språk", person.language), ("Tolk", interpreter)))
