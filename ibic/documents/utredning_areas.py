"""The IBIC life areas of the utredning: kartlagda areas in reference order, then ej aktuella and ej kartlagda."""

from __future__ import annotations

from datetime import date

from ibic.cases import Case
from ibic.consent import Consent, refused_later
from ibic.documents.outline import Block, Paragraph, Section, Table
from ibic.documents.parts import blocks, day_text, labelled, paragraph, section
from ibic.investigation import AreaState, LifeAreaAssessment, OtherDescription, area_state
from ibic.people import Person
from ibic.reference import LifeArea, ReferenceData

HEADING = "Kartläggning av livsområden (IBIC)"
Rows = tuple[tuple[str, ...], ...]


def life_areas_section(case: Case, ref: ReferenceData) -> Section:
    """Each area in reference-data order; areas marked ej aktuellt and areas not yet mapped are listed last."""
    investigation = case.investigation
    mapped: list[Block] = []
    not_relevant: list[tuple[str, ...]] = []
    not_started: list[str] = []
    known_ids = {area.id for area in ref.life_areas}
    for area in ref.life_areas:
        assessment = investigation.assessment_for(area.id)
        state = area_state(assessment)
        if state == AreaState.NOT_STARTED or assessment is None:
            not_started.append(area.label_sv)
        elif state == AreaState.NOT_RELEVANT:
            not_relevant.append(_not_relevant_row(area.label_sv, assessment, ref))
        else:
            mapped.append(_area_section(area, assessment, ref))
    # An assessment for an area no longer in the reference data is still printed: nothing typed is dropped.
    for assessment in investigation.assessments:
        if assessment.area_id not in known_ids and area_state(assessment) != AreaState.NOT_STARTED:
            mapped.append(_unknown_area_section(assessment))
    if not_relevant:
        mapped.append(
            Section(
                "Livsområden som inte är aktuella",
                (Table(("Livsområde", "Skäl"), tuple(not_relevant), (2.0, 3.0)),),
                level=2,
            )
        )
    if not_started:
        mapped.append(
            Section(
                "Livsområden som inte har kartlagts",
                (Paragraph("\n".join(f"- {label}" for label in not_started)),),
                level=2,
            )
        )
    return section(HEADING, *mapped)


def _not_relevant_row(label: str, assessment: LifeAreaAssessment, ref: ReferenceData) -> tuple[str, ...]:
    assert assessment.not_relevant is not None  # the caller checked the state
    reason = ref.not_relevant_reason(assessment.not_relevant.reason_id)
    reason_text = reason.label_sv if reason is not None else "Annat skäl"
    note = assessment.not_relevant.note.strip()
    return (label, f"{reason_text}. {note}" if note else reason_text)


def _area_section(area: LifeArea, assessment: LifeAreaAssessment, ref: ReferenceData) -> Section:
    sub_labels = {sub.code: sub.label_sv for sub in area.sub_areas}
    rows = tuple(
        (
            f"{sub.code} {sub_labels.get(sub.code, '')}".strip(),
            _qualifier_text(area, sub.qualifier, ref) or "Ej skattat",
            sub.text,
        )
        for sub in assessment.sub_areas
    )
    qualifier = _qualifier_text(area, assessment.qualifier, ref)
    return section(f"{area.label_sv} ({area.id})", *_area_blocks(assessment, ref, qualifier, rows), level=2)


def _unknown_area_section(assessment: LifeAreaAssessment) -> Section:
    def step(value: str | None) -> str:
        return f"Skalsteg {value}" if value else ""

    rows = tuple((sub.code, step(sub.qualifier) or "Ej skattat", sub.text) for sub in assessment.sub_areas)
    qualifier = step(assessment.qualifier)
    return section(f"Livsområde {assessment.area_id}", *_area_blocks(assessment, None, qualifier, rows), level=2)


def _sub_areas_table(rows: Rows) -> Table | None:
    """Each chosen delområde with its own value and text, under its life area."""
    return Table(("Delområde", "Skattning", "Beskrivning"), rows, (2.0, 2.0, 3.0)) if rows else None


def _area_blocks(
    assessment: LifeAreaAssessment, ref: ReferenceData | None, qualifier_text: str, sub_areas: Rows
) -> tuple[Block, ...]:
    judged = ""
    if ref is not None and (assessment.assessment.strip() or assessment.qualifier):
        who = ref.label("actor", assessment.judged_by.value)
        judged = f"Bedömt av: {who}" + (f", {day_text(assessment.judged_on)}" if assessment.judged_on else "")
    return blocks(
        labelled("Den enskildes egen beskrivning", assessment.own_description, "quote"),
        *(_other_view(other) for other in assessment.others),
        labelled("Skattning", qualifier_text),
        _sub_areas_table(sub_areas),
        labelled("Handläggarens bedömning", assessment.assessment),
        paragraph(judged, "muted"),
        labelled("Behov", assessment.need),
        labelled("Resurser", assessment.resources),
        labelled("Mål och önskat resultat", assessment.goal),
    )


def _qualifier_text(area: LifeArea, value: str | None, ref: ReferenceData) -> str:
    """The scale's Swedish wording, with the step and its range, e.g. "Måttlig svårighet (skalsteg 2, 25–49 %)"."""
    if value is None:
        return ""
    step = ref.scale(area.scale).step(value)
    if step is None:
        return f"Skalsteg {value}"
    detail = ", ".join(part for part in (f"skalsteg {step.value}", step.range) if part)
    return f"{step.label_sv} ({detail})"


def _other_view(other: OtherDescription) -> Block | None:
    source = ", ".join(part for part in (other.source_name.strip(), other.source_role.strip()) if part)
    when = f", {day_text(other.recorded_on)}" if other.recorded_on else ""
    return labelled(f"Enligt {source or 'annan källa'}{when}", other.text)


def source_basis(other: OtherDescription, case: Case, person: Person, today: date) -> str:
    """On what the use of another source rests: a consent, a representative's mandate on the day it was recorded
    (as Kontroll reads it: ``Person.has_mandate``; a contact relative or a mandate ended was printed as one), or
    nothing recorded."""
    consent = next((c for c in case.consents if c.id == other.consent_id), None) if other.consent_id else None
    if consent is not None:
        return _consent_basis(consent, case, today)
    if person.has_mandate(other.source_name, other.recorded_on or today):
        return "Företrädare för den enskilde"
    return "Samtycke ej registrerat"


def _consent_basis(consent: Consent, case: Case, today: date) -> str:
    form = "skriftligt" if consent.form.value == "written" else "muntligt"
    text = f"Samtycke ({form}) {day_text(consent.given_on)}"
    if not consent.given:
        return "Den enskilde har sagt nej till kontakten"
    if consent.withdrawn_on is not None:
        return text + f", återkallat {day_text(consent.withdrawn_on)}"
    refusal = refused_later(case.consents, consent, today)
    if refusal is not None:  # the person's later no ended it, as the consents' table says ("Upphört (nej …)")
        text += f", upphört (nej {day_text(refusal.given_on)})"
    return text
