"""Which text an utredning (draft) contains, in which order: a pure function from a case to an outline.

Order per domain.md "Documents the product produces": header → secrecy marking → Ärendet → information and
consent → participants and sources → the person's situation → the IBIC life areas → bedömning per applied
insats → förslag till beslut → kommunicering → signature. Only ``case`` and ``person`` are read, so nothing of
another case can reach the document.
"""

from __future__ import annotations

from datetime import date

from ibic.cases import Case
from ibic.consent import Consent, refused_later
from ibic.documents.outline import (
    Block,
    DocumentOutline,
    KeyValueRows,
    Notice,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
)
from ibic.documents.parts import (
    blocks,
    day_text,
    labelled,
    number_row,
    optional_section,
    paragraph,
    quoted,
    rows,
    section,
)
from ibic.documents.utredning_areas import life_areas_section, source_basis
from ibic.documents.utredning_proposals import (
    assessment_section,
    communication_section,
    insats_text,
    proposal_section,
)
from ibic.errors import DomainError
from ibic.name_key import name_key
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.vocabulary import CaseOrigin

DOCUMENT_TYPE = "Utredning"
STATUS = "UTKAST"
DEMO_NOTICE = "FIKTIV PERSON – DEMO. Uppgifterna i handlingen är påhittade och gäller ingen verklig person."


class PersonNotInCase(DomainError):
    """The person given is not the person the case is about."""


def build_utredning(
    case: Case,
    person: Person,
    ref: ReferenceData,
    *,
    today: date,
    caseworker: str,
    unit: str,
    version: int,
    municipality: str = "",
    contact: str = "",
) -> DocumentOutline:
    """The draft utredning of ``case`` as a render-neutral outline; ``municipality``, ``unit`` and the handläggare's
    ``contact`` (work telephone, e-mail) come from the laptop's settings, the unit from the case where it has one."""
    if case.person_id != person.id:
        raise PersonNotInCase("the person is not the subject of this case")
    caseworker = caseworker.strip() or case.caseworker.strip()
    unit = case.unit.strip() or unit.strip()  # the case's own unit (set centrally or at creation) wins
    secrecy = secrecy_citation(ref)
    case_number = case.case_number.strip() or "utan nummer"
    notices = [Notice(f"Handlingen omfattas av sekretess enligt {secrecy}.", "secrecy")]
    if person.fictitious:
        notices.append(Notice(DEMO_NOTICE, "demo"))
    return DocumentOutline(
        document_type=DOCUMENT_TYPE,
        status=STATUS,
        version=version,
        issuer=" · ".join(part for part in (municipality.strip(), unit) if part),
        subtitle=f"{STATUS} · version {version} · {day_text(today)}",
        header=_header(case, person, ref, today=today, caseworker=caseworker, unit=unit, version=version,
                       municipality=municipality.strip(), contact=contact.strip()),
        notices=tuple(notices),
        sections=(
            _case_section(case, ref),
            _information_section(case, ref, today),
            _participants_section(case, person, ref, today),
            _situation_section(case),
            life_areas_section(case, ref),
            assessment_section(case, ref, person.age_on(today)),
            proposal_section(case, ref),
            communication_section(case, ref, today),
        ),
        signature=SignatureBlock(
            heading="Underskrift",
            name=caseworker,
            title="Biståndshandläggare",
            unit=unit,
            place_and_date_label="Ort och datum",
        ),
        # The running header and footer are on every page: case number and secrecy, never name or personnummer.
        running_header=f"Sekretess enligt {secrecy}",
        running_footer=f"Ärende {case_number} · {DOCUMENT_TYPE} version {version} · {STATUS}",
        watermark=STATUS,
        metadata_title=f"{DOCUMENT_TYPE} ({STATUS.lower()})",
    )


def secrecy_citation(ref: ReferenceData) -> str:
    """The secrecy provision from the reference data (OSL 26 kap. 1 §)."""
    if ref.has_law("osl_26_1"):
        return ref.law("osl_26_1").citation
    return "26 kap. 1 § offentlighets- och sekretesslagen (2009:400)"


def _header(
    case: Case, person: Person, ref: ReferenceData, *, today: date, caseworker: str, unit: str, version: int,
    municipality: str, contact: str,
) -> KeyValueRows:
    reps = [
        f"{ref.label('representative_kind', rep.kind.value)}: {rep.name}" for rep in person.representatives_on(today)
    ]
    interpreter = ""
    if person.interpreter_needed:
        interpreter = "Tolk behövs" + (f" ({person.interpreter_language})" if person.interpreter_language else "")
    kept = rows(
        ("Namn", person.full_name),
        number_row(person.number),
        ("Adress", person.address.one_line()),
        ("Företrädare", "\n".join(reps)),
        ("Tolk", interpreter),
        ("Ärendenummer", case.case_number),
        ("Handläggare", caseworker),
        ("Kontakt", contact),
        ("Enhet", unit),
        ("Kommun", municipality),
        ("Datum", day_text(today)),
        ("Handling", f"{DOCUMENT_TYPE}, version {version}"),
        ("Status", STATUS),
    )
    assert kept is not None  # name, personnummer and status are never blank
    return kept


def _applicant_row(case: Case, ref: ReferenceData) -> tuple[str, str]:
    """Who applied; while no one has, how the case came to the nämnd's knowledge instead (SoL: "genom ansökan eller
    på annat sätt"), never "Ansökan gjord av Den enskilde" for a case the person did not ask for."""
    if case.applicant is not None:
        return ("Ansökan gjord av", ref.label("applicant", case.applicant.value))
    if case.origin in (CaseOrigin.APPLICATION, CaseOrigin.OTHER):  # no way to name: "genom ansökan" would contradict
        return ("Ansökan", "Ingen ansökan har gjorts")
    origin = ref.label("case_origin", case.origin.value)
    how = f"{origin[:1].lower()}{origin[1:]}"  # "genom polisen", "genom orosanmälan"
    return ("Ansökan", f"Ingen ansökan har gjorts; ärendet kom till nämndens kännedom genom {how}")


def _case_section(case: Case, ref: ReferenceData) -> Section:
    app = case.application
    form = ref.label("application_form", app.form.value)
    if app.signed_by_person:
        form += ", undertecknad av den enskilde"
    facts = rows(
        ("Aktualiserat", day_text(case.opened_on)),
        ("Hur ärendet aktualiserades", ref.label("case_origin", case.origin.value)),
        _applicant_row(case, ref),
        ("Ansökan inkom", day_text(app.received_on)),
        ("Ansökans form", form if app.items else ""),
        ("Ansökan återtagen", day_text(app.withdrawn_on)),
    )
    discharge = None
    if case.discharge is not None:
        d = case.discharge
        discharge = optional_section(
            "Utskrivning från sjukhus",
            rows(
                ("Avdelning", d.hospital_ward),
                ("Inskrivningsmeddelande", day_text(d.admission_notice_on)),
                ("Utskrivningsklar", day_text(d.ready_for_discharge_on)),
                ("SIP-möte", day_text(d.sip_meeting_on)),
                ("Utskriven", day_text(d.discharged_on)),
            ),
        )
    applied: list[Block] = []
    for item in app.items:
        label = insats_text(ref, item.insats_id, item.free_text)
        if item.in_persons_words.strip():
            applied.append(labelled(label, quoted(item.in_persons_words), "quote") or Paragraph(label))
        else:
            applied.append(Paragraph(label))
    what = (
        Section("Vad ansökan gäller", tuple(applied), level=2)
        if applied
        else Paragraph("Vad ansökan gäller är inte registrerat ännu.", "muted")
    )
    return section("Ärendet", facts, labelled("Om aktualiseringen", case.origin_note), discharge, what)


def _information_section(case: Case, ref: ReferenceData, today: date) -> Section:
    consent_rows = []
    for consent in case.consents:
        recipient = ref.label("consent_recipient", consent.recipient.value)
        if consent.recipient_name.strip():
            recipient = f"{recipient}: {consent.recipient_name.strip()}"
        status = _consent_status(case, consent, today)
        consent_rows.append(
            (
                recipient,
                consent.scope.strip(),
                ref.label("consent_form", consent.form.value),
                day_text(consent.given_on),
                status,
            )
        )
    consents: Block | None = None
    if consent_rows:
        consents = Section(
            "Samtycken",
            (
                Table(
                    ("Mottagare", "Omfattning", "Form", "Datum", "Status"), tuple(consent_rows), (3, 3.2, 1.6, 1.8, 1.8)
                ),
            ),
            level=2,
        )
    return section(
        "Information och samtycke",
        labelled("Information som lämnats till den enskilde", case.investigation.information_given),
        consents,
    )


def _consent_status(case: Case, consent: Consent, today: date) -> str:
    """A refusal as the person's answer; a consent a later refusal ended is not printed as standing."""
    if not consent.given:
        return "Samtycker inte"
    if consent.withdrawn_on is not None:
        return f"Återkallat {day_text(consent.withdrawn_on)}"
    refusal = refused_later(case.consents, consent, today)
    return "Gäller" if refusal is None else f"Upphört (nej {day_text(refusal.given_on)})"


def _participants_section(case: Case, person: Person, ref: ReferenceData, today: date) -> Section:
    visit_rows = []
    notes: list[Block | None] = []
    for visit in sorted(case.investigation.visits, key=lambda v: v.visited_on):
        people = "\n".join(
            f"{p.name} ({p.role})" if p.role.strip() else p.name for p in visit.participants if p.name.strip()
        )
        place = ref.label("visit_place", visit.place.value)
        if visit.interpreter_used:
            place += ", med tolk" + (f" ({visit.interpreter_language})" if visit.interpreter_language else "")
        visit_rows.append((day_text(visit.visited_on), place, people))
        notes.append(labelled(f"Anteckning från besöket {day_text(visit.visited_on)}", visit.note))
    visits = (
        Section(
            "Besök och möten",
            (Table(("Datum", "Plats", "Deltagare"), tuple(visit_rows), (1.6, 2.4, 5)), *blocks(*notes)),
            2,
        )
        if visit_rows
        else None
    )
    sources: dict[tuple[str, str], tuple[str, str, str]] = {}
    for assessment in case.investigation.assessments:
        for other in assessment.others:
            key = (name_key(other.source_name), name_key(other.source_role))
            if key not in sources and other.text.strip():
                basis = source_basis(other, case, person, today)
                sources[key] = (other.source_name.strip(), other.source_role.strip(), basis)
    others = (
        Section("Andra källor", (Table(("Källa", "Roll", "Grund"), tuple(sources.values()), (3, 2, 4)),), 2)
        if sources
        else None
    )
    return section("Deltagare och källor", visits, others)


def _situation_section(case: Case) -> Section:
    factors = case.investigation.related_factors
    related = optional_section(
        "Relaterade faktorer",
        labelled("Hälsotillstånd", factors.health_condition),
        labelled("Kroppsfunktioner", factors.body_functions),
        labelled("Omgivningsfaktorer", factors.environment),
        labelled("Personliga faktorer", factors.personal_factors),
    )
    return section("Den enskildes situation", paragraph(case.investigation.situation), related)


__all__ = ["DocumentOutline", "PersonNotInCase", "build_utredning", "secrecy_citation"]
