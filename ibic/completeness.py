"""The completeness check a quality review would make before a draft utredning is final.

Each finding carries a Swedish sentence and the place it concerns (a step, an area and a field), so the
UI can turn it into a link to the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ibic.area_values import area_value_problems
from ibic.cases import Case
from ibic.decisions import person_conditions, proposal_problems
from ibic.investigation import area_state, missing_in_area
from ibic.people import Person
from ibic.reference import ReferenceData

_FIELD_NAMES_SV = {
    "own_description": "den enskildes egen beskrivning (eller andras)",
    "qualifier": "bedömning på IBIC-skalan",
    "assessment": "handläggarens bedömning",
    "need": "behov",
    "goal": "mål/önskat resultat",
}


@dataclass(frozen=True)
class Finding:
    """One thing a quality review would flag. ``step`` names the workspace step."""

    code: str
    step: str
    text_sv: str
    area_id: str | None = None
    field: str | None = None
    item_id: str | None = None


def check_completeness(case: Case, person: Person, ref: ReferenceData, today: date) -> list[Finding]:
    """All findings, in the order of the workspace steps."""
    return [
        *_case_findings(case),
        *_visit_findings(case),
        *_area_findings(case, ref),
        *_source_findings(case, person, today),
        *_proposal_findings(case, person, ref, today),
        *_communication_findings(case),
    ]


def _case_findings(case: Case) -> list[Finding]:
    out: list[Finding] = []
    if not case.application.items:
        out.append(Finding("application_empty", "case", "Ansökan saknar vad personen ansöker om.", field="application"))
    if case.application.received_on is None:
        out.append(Finding("application_date", "case", "Ange när ansökan kom in.", field="received_on"))
    return out


def _visit_findings(case: Case) -> list[Finding]:
    if case.investigation.visits:
        return []
    return [Finding("no_visit", "visit", "Inget hembesök eller annat möte är registrerat.", field="visits")]


def _area_findings(case: Case, ref: ReferenceData) -> list[Finding]:
    out: list[Finding] = []
    for area in ref.life_areas:
        assessment = case.investigation.assessment_for(area.id)
        if assessment is None or area_state(assessment).value == "not_started":
            out.append(
                Finding(
                    "area_not_addressed",
                    "areas",
                    f"{area.label_sv}: området är inte kartlagt och inte markerat ej aktuellt.",
                    area_id=area.id,
                )
            )
            continue
        out.extend(
            Finding("area_value_invalid", "areas", text, area_id=area.id)
            for text in area_value_problems(assessment, ref)
        )
        for field in missing_in_area(assessment):
            out.append(
                Finding(
                    "area_field_missing",
                    "areas",
                    f"{area.label_sv}: {_FIELD_NAMES_SV[field]} saknas.",
                    area_id=area.id,
                    field=field,
                )
            )
    return out


def _source_findings(case: Case, person: Person, today: date) -> list[Finding]:
    """Every description from someone else must rest on a consent (or come from a representative)."""
    out: list[Finding] = []
    consents = {c.id: c for c in case.consents}
    for assessment in case.investigation.assessments:
        for other in assessment.others:
            when = other.recorded_on or today
            if _is_representative(person, other.source_name, when):
                continue
            consent = consents.get(other.consent_id or "")
            if consent is None or not consent.active_on(when):
                out.append(
                    Finding(
                        "source_without_consent",
                        "areas",
                        f"Uppgifter från {other.source_name} saknar samtycke.",
                        area_id=assessment.area_id,
                        field="others",
                        item_id=other.id,
                    )
                )
    return out


def _is_representative(person: Person, name: str, on: date) -> bool:
    """A representative with a mandate on that day; a contact relative has none, so needs a consent like others."""
    return any(
        rep.name.casefold() == name.casefold() and rep.may_apply_on_behalf() for rep in person.representatives_on(on)
    )


def _proposal_findings(case: Case, person: Person, ref: ReferenceData, today: date) -> list[Finding]:
    out: list[Finding] = []
    age = person.age_on(today)
    for item in case.application.items:
        proposal = case.proposal_for(item.id)
        name = _item_name(item.insats_id, item.free_text, ref)
        if proposal is None:
            out.append(
                Finding("proposal_missing", "proposal", f"Förslag till beslut saknas för {name}.", item_id=item.id)
            )
            continue
        for problem in proposal_problems(proposal, ref, person_age=age, conditions=person_conditions(person)):
            out.append(
                Finding(
                    "proposal_incomplete",
                    "proposal",
                    f"{name}: {problem.text_sv}",
                    field=problem.field,
                    item_id=item.id,
                )
            )
    return out


def _communication_findings(case: Case) -> list[Finding]:
    if case.communication.is_recorded:
        return []
    return [
        Finding(
            "communication_missing",
            "proposal",
            "Kommunicering är inte registrerad (när och hur, eller varför den inte behövs).",
            field="communication",
        )
    ]


def _item_name(insats_id: str | None, free_text: str, ref: ReferenceData) -> str:
    insats = ref.insats(insats_id)
    return insats.label_sv if insats else free_text
