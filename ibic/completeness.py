"""The completeness check a quality review would make before a draft utredning is final.

Each finding carries a message (``ibic.messages``: a key and its parameters, shown in the interface's language) and
the place it concerns (a step, an area and a field), so the
UI can turn it into a link to the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ibic.area_values import area_value_problems
from ibic.cases import Case
from ibic.consent import Consent, in_force, refused_later
from ibic.decisions import person_conditions, proposal_problems
from ibic.investigation import LifeAreaAssessment, area_state, missing_in_area
from ibic.messages import Message, Term, joined, message
from ibic.name_key import name_key
from ibic.people import Person
from ibic.reference import LifeArea, ReferenceData
from ibic.vocabulary import Applicant, RepresentativeKind

_MISSING_FIELD = {
    "own_description": "%1: the person's own description (or others') is missing.",
    "qualifier": "%1: the value on the IBIC scale is missing.",
    "assessment": "%1: the handläggare's assessment is missing.",
    "need": "%1: the need is missing.",
    "goal": "%1: the goal/desired result is missing.",
}


@dataclass(frozen=True)
class Finding:
    """One thing a quality review would flag. ``step`` names the workspace step."""

    code: str
    step: str
    message: Message
    area_id: str | None = None
    field: str | None = None
    item_id: str | None = None

    @property
    def text_sv(self) -> str:
        return self.message.sv


def check_completeness(case: Case, person: Person, ref: ReferenceData, today: date) -> list[Finding]:
    """All findings, in the order of the workspace steps."""
    return [
        *_case_findings(case),
        *_applicant_findings(case, person, ref, today),
        *_visit_findings(case),
        *_area_findings(case, ref),
        *_source_findings(case, person, today),
        *_proposal_findings(case, person, ref, today),
        *_communication_findings(case, person),
    ]


def _case_findings(case: Case) -> list[Finding]:
    out: list[Finding] = []
    if not case.application.items:
        out.append(Finding("application_empty", "case",
                           message("The application does not say what the person applies for."), field="application"))
    if case.application.received_on is None:
        out.append(Finding("application_date", "case", message("Enter when the application was received."),
                           field="received_on"))
    return out


# Who may apply for the person (domain notes, aktualisering): a god man or förvaltare within the mandate, someone
# holding a framtidsfullmakt, an ombud. Recorded as the applicant, that representative must be on the person.
_APPLICANT_KINDS = {
    Applicant.GUARDIAN: {RepresentativeKind.GOD_MAN, RepresentativeKind.FORVALTARE},
    Applicant.POWER_OF_ATTORNEY: {RepresentativeKind.FRAMTIDSFULLMAKT},
    Applicant.AGENT: {RepresentativeKind.OMBUD},
}


def _applicant_findings(case: Case, person: Person, ref: ReferenceData, today: date) -> list[Finding]:
    if case.applicant is None:  # no one has applied (a case from a report): no mandate to check
        return []
    kinds = _APPLICANT_KINDS.get(case.applicant)
    on = case.application.received_on or today
    if kinds is None or any(rep.kind in kinds for rep in person.representatives_on(on)):
        return []
    applicant = Term(ref.label("applicant", case.applicant.value), ref.label("applicant", case.applicant.value, "en"))
    return [Finding("applicant_without_mandate", "case",
                    message("The application is made by %1, but the person has no such representative registered.",
                            applicant), field="applicant")]


def _visit_findings(case: Case) -> list[Finding]:
    if case.investigation.visits:
        return []
    return [Finding("no_visit", "visit", message("No home visit or other meeting is recorded."), field="visits")]


def _area_findings(case: Case, ref: ReferenceData) -> list[Finding]:
    out: list[Finding] = []
    for area in ref.life_areas:
        assessment = case.investigation.assessment_for(area.id)
        if assessment is None or area_state(assessment).value == "not_started":
            out.append(
                Finding(
                    "area_not_addressed",
                    "areas",
                    message("%1: the area is not mapped and not marked not relevant.", _area(area)),
                    area_id=area.id,
                )
            )
            continue
        out.extend(
            Finding("area_value_invalid", "areas", problem, area_id=area.id)
            for problem in area_value_problems(assessment, ref)
        )
        for field in missing_in_area(assessment):
            out.append(
                Finding(
                    "area_field_missing",
                    "areas",
                    message(_MISSING_FIELD[field], _area(area)),
                    area_id=area.id,
                    field=field,
                )
            )
        out.extend(_sub_area_findings(assessment, area))
    return out


def _sub_area_findings(assessment: LifeAreaAssessment, area: LifeArea) -> list[Finding]:
    """A delområde chosen but given no value says nothing about the person: the review would ask for its value."""
    if assessment.not_relevant is not None:
        return []
    titles = {sub.code: Term(f"{sub.code} {sub.label_sv}", f"{sub.code} {sub.label_en}") for sub in area.sub_areas}
    return [
        Finding(
            "sub_area_value_missing",
            "areas",
            message("%1: the sub-area %2 is chosen but has no value.", _area(area),
                    titles.get(sub.code, Term(sub.code))),
            area_id=area.id,
            field="sub_area",
            item_id=sub.code,
        )
        for sub in assessment.sub_areas
        if sub.qualifier is None
    ]


def _source_findings(case: Case, person: Person, today: date) -> list[Finding]:
    """Every description from someone else must rest on a consent (or come from a representative)."""
    out: list[Finding] = []
    consents = {c.id: c for c in case.consents}
    for assessment in case.investigation.assessments:
        for other in assessment.others:
            when = other.recorded_on or today
            if person.has_mandate(other.source_name, when):
                continue
            consent = consents.get(other.consent_id or "")
            if consent is None or not in_force(case.consents, consent, when):  # nor one refused since
                out.append(
                    Finding(
                        "source_without_consent",
                        "areas",
                        _source_message(case, consent, other.source_name, when),
                        area_id=assessment.area_id,
                        field="others",
                        item_id=other.id,
                    )
                )
    return out


def _source_message(case: Case, consent: Consent | None, source: str, when: date) -> Message:
    """Why the source's information may not stand: a no the person said before it was gathered is named as such,
    with its date, so the handläggare does not go looking for a consent that was in fact refused (seed 001)."""
    refusal = None
    if consent is not None:
        refusal = consent if not consent.given else refused_later(case.consents, consent, when)
    if refusal is not None and refusal.given_on <= when:
        return message("Information from %1 was gathered after the person said no %2 to the contact.",
                       source, refusal.given_on)
    return message("Information from %1 has no consent.", source)


def _proposal_findings(case: Case, person: Person, ref: ReferenceData, today: date) -> list[Finding]:
    out: list[Finding] = []
    age = person.age_on(today)
    for item in case.application.items:
        proposal = case.proposal_for(item.id)
        name = _item_name(item.insats_id, item.free_text, ref)
        if proposal is None:
            out.append(
                Finding("proposal_missing", "proposal", message("Proposed decision missing for %1.", name),
                        item_id=item.id)
            )
            continue
        for problem in proposal_problems(proposal, ref, person_age=age, conditions=person_conditions(person)):
            out.append(
                Finding(
                    "proposal_incomplete",
                    "proposal",
                    joined(message("%1", name), problem.message),
                    field=problem.field,
                    item_id=item.id,
                )
            )
    return out


def _communication_findings(case: Case, person: Person) -> list[Finding]:
    if case.communication.is_recorded:
        return _representatives_not_communicated(case, person)
    return [
        Finding(
            "communication_missing",
            "proposal",
            message("Kommunicering is not recorded (when and how, or why it is not needed)."),
            field="communication",
        )
    ]


def _item_name(insats_id: str | None, free_text: str, ref: ReferenceData) -> Term:
    insats = ref.insats(insats_id)
    return Term(insats.label_sv, insats.label_en) if insats else Term(free_text)


def _area(area: LifeArea) -> Term:
    return Term(area.label_sv, area.label_en)


_SHOWN_THE_MATERIAL = {RepresentativeKind.GOD_MAN, RepresentativeKind.FORVALTARE}


def _representatives_not_communicated(case: Case, person: Person) -> list[Finding]:
    """FL 25 § with the domain notes: the material is shown to the person *and* their god man or förvaltare. A
    kommunicering whose "with whom" does not name one holding the mandate that day is a finding (the name as a
    person reads it; a note in brackets after it, such as "(fiktiv)", need not be typed)."""
    communication = case.communication
    if communication.done_on is None:
        return []
    told = name_key(communication.with_whom)
    return [
        Finding("communication_without_representative", "proposal",
                message("The material is also to be shown to %1 (god man or förvaltare): write the name under "
                        "With whom.", rep.name), field="with_whom")
        for rep in person.representatives_on(communication.done_on)
        if rep.kind in _SHOWN_THE_MATERIAL and name_key(_without_note(rep.name)) not in told
    ]


def _without_note(name: str) -> str:
    return name.split("(", 1)[0] if "(" in name and name.split("(", 1)[0].strip() else name
