"""The completeness check: a fully filled case has no findings; each cause brings its own finding."""

from __future__ import annotations

from datetime import date

import pytest

from ibic.application import ApplicationItem
from ibic.case_actions import provider_contact
from ibic.cases import Case
from ibic.communication import Communication
from ibic.completeness import Finding, check_completeness
from ibic.consent import Consent
from ibic.demo import demo_cases, fully_filled_case
from ibic.investigation import NotRelevant, OtherDescription
from ibic.people import Person, Representative
from ibic.reference import ReferenceData
from ibic.vocabulary import Applicant, ConsentForm, ConsentRecipient, RepresentativeKind

TODAY = date(2026, 11, 23)


@pytest.fixture
def filled() -> tuple[Person, Case]:
    return fully_filled_case(TODAY)


def findings(filled: tuple[Person, Case], ref: ReferenceData) -> list[Finding]:
    person, case = filled
    return check_completeness(case, person, ref, TODAY)


def codes(filled: tuple[Person, Case], ref: ReferenceData) -> list[str]:
    return [f.code for f in findings(filled, ref)]


def test_a_fully_filled_case_has_no_findings(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    assert findings(filled, ref) == []


def test_the_demo_case_in_progress_has_findings_in_step_order(ref: ReferenceData) -> None:
    people, cases = demo_cases(TODAY)
    steps = [f.step for f in check_completeness(cases[0], people[0], ref, TODAY)]
    order = ["case", "visit", "areas", "proposal"]
    assert steps == sorted(steps, key=order.index)
    assert "areas" in steps and "proposal" in steps


def test_empty_application_is_found(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    filled[1].application.items = []
    found = findings(filled, ref)
    assert [f.code for f in found] == ["application_empty"]
    assert found[0].text_sv == "Ansökan saknar vad den enskilde ansöker om."


def test_missing_received_date_is_found(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    filled[1].application.received_on = None
    assert codes(filled, ref) == ["application_date"]


def test_no_visit_is_found(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    filled[1].investigation.visits = []
    assert codes(filled, ref) == ["no_visit"]


def test_an_area_neither_assessed_nor_marked_is_found(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    case = filled[1]
    case.investigation.assessments = [a for a in case.investigation.assessments if a.area_id != "d7"]
    found = findings(filled, ref)
    assert [(f.code, f.area_id) for f in found] == [("area_not_addressed", "d7")]
    assert found[0].text_sv.startswith("Mellanmänskliga interaktioner och relationer:")


def test_every_life_area_in_the_reference_data_is_checked(ref: ReferenceData) -> None:
    person, case = fully_filled_case(TODAY)
    case.investigation.assessments = []
    found = check_completeness(case, person, ref, TODAY)
    assert [f.area_id for f in found if f.code == "area_not_addressed"] == [a.id for a in ref.life_areas]


def test_ej_aktuellt_counts_as_addressed(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    area = filled[1].investigation.ensure_assessment("d7")
    area.not_relevant = NotRelevant(reason_id="person_declines")
    assert findings(filled, ref) == []


def test_a_missing_field_in_an_area_is_found_and_named(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    area = filled[1].investigation.ensure_assessment("d5")
    area.goal = ""
    found = findings(filled, ref)
    assert [(f.code, f.area_id, f.field) for f in found] == [("area_field_missing", "d5", "goal")]
    assert found[0].text_sv == "Personlig vård: mål/önskat resultat saknas."


def test_source_without_consent_is_flagged(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    other = OtherDescription(source_name="Grannen Gun (fiktiv)", text="Hon verkar ensam.")
    filled[1].investigation.ensure_assessment("d7").others.append(other)
    found = findings(filled, ref)
    assert [(f.code, f.area_id, f.item_id) for f in found] == [("source_without_consent", "d7", other.id)]
    assert "saknar samtycke" in found[0].text_sv


def test_source_with_an_active_consent_is_accepted(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    case = filled[1]
    consent = case.consents[0]
    other = OtherDescription(source_name="Dottern Tova (fiktiv)", consent_id=consent.id, text="Ramlar ofta.")
    case.investigation.ensure_assessment("d4").others.append(other)
    assert findings(filled, ref) == []


def test_source_whose_consent_was_withdrawn_before_recording_is_flagged(
    filled: tuple[Person, Case], ref: ReferenceData
) -> None:
    case = filled[1]
    withdrawn = Consent(
        recipient=ConsentRecipient.HEALTHCARE,
        form=ConsentForm.WRITTEN,
        given_on=date(2026, 10, 1),
        withdrawn_on=date(2026, 11, 1),
    )
    case.consents.append(withdrawn)
    other = OtherDescription(
        source_name="Hemsjukvården", consent_id=withdrawn.id, text="Tar sin medicin.", recorded_on=date(2026, 11, 5)
    )
    case.investigation.ensure_assessment("d5").others.append(other)
    assert codes(filled, ref) == ["source_without_consent"]
    assert findings(filled, ref)[0].text_sv == "Uppgifter från Hemsjukvården saknar samtycke.", "withdrawn, not a no"


def test_source_resting_on_a_no_says_the_person_said_no(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    case = filled[1]
    refusal = Consent(recipient=ConsentRecipient.HEALTHCARE, form=ConsentForm.ORAL, given=False,
                      given_on=date(2026, 11, 1))
    case.consents.append(refusal)
    other = OtherDescription(
        source_name="Hemsjukvården", consent_id=refusal.id, text="Tar sin medicin.", recorded_on=date(2026, 11, 5)
    )
    case.investigation.ensure_assessment("d5").others.append(other)
    assert [f.text_sv for f in findings(filled, ref)] == [
        "Uppgifter från Hemsjukvården är inhämtade efter att den enskilde sagt nej 2026-11-01 till kontakten."]


def test_representative_as_source_needs_no_consent(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    person, case = filled
    god_man = person.representatives[0].name
    case.investigation.ensure_assessment("d8").others.append(
        OtherDescription(source_name=god_man.upper(), source_role="God man", text="Räkningarna betalas i tid.")
    )
    assert findings(filled, ref) == []


def test_contact_relative_as_source_needs_a_consent(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    person, case = filled
    person.representatives.append(Representative(kind=RepresentativeKind.CONTACT_RELATIVE, name="Sonen Sven (fiktiv)"))
    case.investigation.ensure_assessment("d7").others.append(
        OtherDescription(source_name="Sonen Sven (fiktiv)", text="Pappa är ensam.")
    )
    assert codes(filled, ref) == ["source_without_consent"]


def test_former_representative_as_source_needs_a_consent(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    person, case = filled
    person.representatives.append(
        Representative(kind=RepresentativeKind.OMBUD, name="Olle Ombud (fiktiv)", valid_to=date(2026, 6, 30))
    )
    during = OtherDescription(source_name="Olle Ombud (fiktiv)", text="Före.", recorded_on=date(2026, 6, 1))
    after = OtherDescription(source_name="Olle Ombud (fiktiv)", text="Efter.", recorded_on=date(2026, 9, 1))
    case.investigation.ensure_assessment("d8").others.extend([during, after])
    assert [(f.code, f.item_id) for f in findings(filled, ref)] == [("source_without_consent", after.id)]


def test_applied_item_without_proposal_is_found(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    item = ApplicationItem(free_text="Hjälp med fönsterputs")
    filled[1].application.items.append(item)
    found = findings(filled, ref)
    assert [(f.code, f.item_id) for f in found] == [("proposal_missing", item.id)]
    assert found[0].text_sv == "Förslag till beslut saknas för Hjälp med fönsterputs."


def test_incomplete_proposal_is_found_per_problem(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    proposal = filled[1].proposals[0]
    proposal.ends_on = None
    proposal.need_exists = ""
    found = findings(filled, ref)
    assert [(f.code, f.field, f.item_id) for f in found] == [
        ("proposal_incomplete", "ends_on", proposal.application_item_id),
        ("proposal_incomplete", "need_exists", proposal.application_item_id),
    ]
    assert found[0].text_sv.startswith("Hemtjänst – serviceinsatser: ")


def test_missing_kommunicering_is_found(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    filled[1].communication = Communication()
    assert codes(filled, ref) == ["communication_missing"]


def test_kommunicering_not_needed_with_a_reason_is_recorded(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    filled[1].communication = Communication(not_done_reason="Beslutet bifaller ansökan i sin helhet.")
    assert findings(filled, ref) == []


def test_kommunicering_date_without_method_is_not_recorded(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    filled[1].communication = Communication(done_on=TODAY)
    assert codes(filled, ref) == ["communication_missing"]


def test_trygghetslarm_proposal_without_motivation_is_fine_for_a_person_over_65(
    filled: tuple[Person, Case], ref: ReferenceData
) -> None:
    person, case = filled
    assert person.age_on(TODAY) >= 65
    alarm = next(p for p in case.proposals if p.insats_id == "trygghetslarm")
    alarm.motivation = ""
    assert findings(filled, ref) == []


def test_provider_contact_follows_the_signed_application(filled: tuple[Person, Case]) -> None:
    _, case = filled
    assert not provider_contact(case, TODAY).allowed
    case.application.signed_by_person = True
    assert provider_contact(case, TODAY).allowed


@pytest.mark.parametrize(("applicant", "kind"), [
    (Applicant.GUARDIAN, RepresentativeKind.FORVALTARE),
    (Applicant.POWER_OF_ATTORNEY, RepresentativeKind.FRAMTIDSFULLMAKT),
    (Applicant.AGENT, RepresentativeKind.OMBUD),
])
def test_an_application_by_a_representative_needs_that_representative_on_the_application_day(
        filled: tuple[Person, Case], ref: ReferenceData, applicant: Applicant, kind: RepresentativeKind) -> None:
    person, case = filled
    case.applicant = applicant
    person.representatives = [Representative(kind=RepresentativeKind.CONTACT_RELATIVE, name="Tova (fiktiv)")]
    assert "applicant_without_mandate" in codes(filled, ref)
    received = case.application.received_on or TODAY
    person.representatives.append(Representative(kind=kind, name="Företrädare (fiktiv)", valid_to=received))
    assert "applicant_without_mandate" not in codes(filled, ref)
    person.representatives[-1].valid_to = None
    person.representatives[-1].valid_from = received.replace(year=received.year + 1)  # not yet on that day
    assert "applicant_without_mandate" in codes(filled, ref)


def test_the_person_applying_themself_needs_no_representative(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    person, case = filled
    case.applicant = Applicant.PERSON
    person.representatives = []
    assert "applicant_without_mandate" not in codes(filled, ref)


def test_a_kommunicering_must_name_the_god_man_or_forvaltare_holding_the_mandate_that_day(
        filled: tuple[Person, Case], ref: ReferenceData) -> None:
    person, case = filled
    person.representatives = [Representative(kind=RepresentativeKind.FORVALTARE, name="Fia Förvaltare (fiktiv)"),
                              Representative(kind=RepresentativeKind.CONTACT_RELATIVE, name="Tova (fiktiv)")]
    case.communication.with_whom = "Den enskilde"
    assert codes(filled, ref).count("communication_without_representative") == 1  # the contact relative need not be
    case.communication.with_whom = "Den enskilde och FIA  förvaltare"
    assert "communication_without_representative" not in codes(filled, ref)
    case.communication.with_whom = "Den enskilde"
    assert case.communication.done_on is not None
    person.representatives[0].valid_to = case.communication.done_on.replace(year=case.communication.done_on.year - 1)
    assert "communication_without_representative" not in codes(filled, ref)  # no longer förvaltare that day


def test_source_recorded_after_the_person_said_no_is_flagged(filled: tuple[Person, Case], ref: ReferenceData) -> None:
    """The consent is neither withdrawn nor expired, but a refusal recorded since ends it (the person's latest word,
    as ``may_contact`` reads it): on main a description gathered after the no passed Kontroll (s26-consent)."""
    case = filled[1]
    given = Consent(recipient=ConsentRecipient.HEALTHCARE, form=ConsentForm.WRITTEN, given_on=date(2026, 10, 1))
    refused = Consent(recipient=ConsentRecipient.HEALTHCARE, form=ConsentForm.ORAL, given=False,
                      given_on=date(2026, 11, 1))
    case.consents += [given, refused]
    before = OtherDescription(source_name="Hemsjukvården", consent_id=given.id, text="Tar sin medicin.",
                              recorded_on=date(2026, 10, 20))
    after = OtherDescription(source_name="Hemsjukvården", consent_id=given.id, text="Har ramlat.",
                             recorded_on=date(2026, 11, 5))
    case.investigation.ensure_assessment("d5").others += [before, after]
    assert [(f.code, f.item_id) for f in findings(filled, ref)] == [("source_without_consent", after.id)]
