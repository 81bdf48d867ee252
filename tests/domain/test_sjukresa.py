"""Sjukresa on the person and the reference rule excluded_when (seed 001; issue 13, point 9)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ibic.completeness import check_completeness
from ibic.decisions import Proposal, Scope, make_decision, person_conditions, proposal_problems
from ibic.errors import DomainError, ReferenceDataError
from ibic.people import Person
from ibic.reference import DEFAULT_DIRECTORY, ReferenceData, load_reference_data
from ibic.vocabulary import DecisionOutcome

DAY = date(2026, 11, 23)


def _escort(*, to_the_doctor: bool, insats_id: str = "foljeslagare") -> Proposal:
    return Proposal(insats_id=insats_id, outcome=DecisionOutcome.GRANTED, scope=Scope(amount=4),
                    starts_on=date(2026, 12, 1), ends_on=date(2027, 5, 31), motivation="Följe behövs.",
                    need_exists="Behovet finns.", for_medical_visits=to_the_doctor)


def test_foljeslagare_to_the_doctor_is_refused_when_the_person_is_entitled_to_sjukresa(
    tolvan: Person, ref: ReferenceData
) -> None:
    tolvan.patient_transport_entitled = True
    problems = proposal_problems(_escort(to_the_doctor=True), ref, conditions=person_conditions(tolvan))
    assert [(p.field, p.text_sv) for p in problems] == [(
        "for_medical_visits",
        "Beviljas inte till läkarbesök när personen har rätt till sjukresor; personen kan i stället beställa "
        "sjukresa med särskild service.",
    )]
    with pytest.raises(DomainError, match="for_medical_visits"):
        make_decision(_escort(to_the_doctor=True), ref, decided_on=DAY, decided_by="Handläggare",
                      insats_text="följeslagare", conditions=person_conditions(tolvan))


def test_without_sjukresa_or_for_another_errand_the_escort_may_be_granted(tolvan: Person, ref: ReferenceData) -> None:
    assert person_conditions(tolvan) == frozenset()
    assert proposal_problems(_escort(to_the_doctor=True), ref, conditions=person_conditions(tolvan)) == []
    tolvan.patient_transport_entitled = True
    assert proposal_problems(_escort(to_the_doctor=False), ref, conditions=person_conditions(tolvan)) == []
    ledsagning = _escort(to_the_doctor=True, insats_id="ledsagning")
    assert proposal_problems(ledsagning, ref, conditions=person_conditions(tolvan)) == []


def test_the_quality_review_flags_it_from_the_person_record(tolvan: Person, ref: ReferenceData) -> None:
    from ibic.application import Application, ApplicationItem
    from ibic.cases import Case

    item = ApplicationItem(insats_id="foljeslagare")
    proposal = _escort(to_the_doctor=True)
    proposal.application_item_id = item.id
    case = Case(person_id=tolvan.id, opened_on=DAY, application=Application(items=[item]), proposals=[proposal])
    tolvan.patient_transport_entitled = True
    texts = [f.text_sv for f in check_completeness(case, tolvan, ref, DAY) if f.code == "proposal_incomplete"]
    assert any("sjukresor" in text for text in texts)


def test_an_unknown_excluded_when_condition_stops_the_reference_data(tmp_path: Path) -> None:
    directory = tmp_path / "reference"
    shutil.copytree(DEFAULT_DIRECTORY, directory)
    path = directory / "insatser.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"entitled_to_patient_transport_for_medical_visits"', '"has_a_car"', 1), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"insatser\.toml: at insatser\.\d+\.excluded_when: .*'has_a_car'"):
        load_reference_data(directory)
