"""IBIC values are validated: a qualifier off the scale and a sub-area of another life area are refused (point 10)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from ibic.area_values import area_value_problems
from ibic.cases import Case
from ibic.completeness import check_completeness
from ibic.investigation import LifeAreaAssessment, SubAreaAssessment
from ibic.people import Person
from ibic.reference import ReferenceData


def test_a_qualifier_of_5_is_refused() -> None:
    with pytest.raises(ValidationError, match="not on the ICF scale"):
        LifeAreaAssessment(area_id="d5", qualifier="5")


def test_assigning_5_is_refused_and_the_earlier_qualifier_is_kept() -> None:
    assessment = LifeAreaAssessment(area_id="d5", qualifier="3")
    with pytest.raises(ValidationError):
        assessment.qualifier = "5"
    assert assessment.qualifier == "3"


def test_an_environment_category_takes_barrier_or_facilitator_values_only() -> None:
    assert LifeAreaAssessment(area_id="e398A", qualifier="+2").qualifier == "+2"
    with pytest.raises(ValidationError):
        LifeAreaAssessment(area_id="e398A", qualifier="2")
    with pytest.raises(ValidationError):
        LifeAreaAssessment(area_id="d4", qualifier=".2")


def _subs(*codes: str) -> list[SubAreaAssessment]:
    return [SubAreaAssessment(code=code) for code in codes]


def test_a_sub_area_code_of_another_life_area_is_refused() -> None:
    with pytest.raises(ValidationError, match="another life area"):
        LifeAreaAssessment(area_id="d5", sub_areas=_subs("d510", "d450"))
    assessment = LifeAreaAssessment(area_id="d4", sub_areas=_subs("d450"))
    with pytest.raises(ValidationError):
        assessment.sub_areas = _subs("d450", "d640")
    assert [sub.code for sub in assessment.sub_areas] == ["d450"]


def test_a_sub_area_chosen_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="chosen twice"):
        LifeAreaAssessment(area_id="d4", sub_areas=_subs("d450", "d450"))


def test_a_sub_area_value_must_be_on_the_icf_scale_of_its_area() -> None:
    assert LifeAreaAssessment(area_id="d4", sub_areas=[SubAreaAssessment(code="d450", qualifier="3")])
    with pytest.raises(ValidationError, match="ICF scale"):
        LifeAreaAssessment(area_id="d4", sub_areas=[SubAreaAssessment(code="d450", qualifier="+2")])
    with pytest.raises(ValidationError, match="ICF scale"):
        LifeAreaAssessment(area_id="e398A", sub_areas=[SubAreaAssessment(code="e310", qualifier="2")])


def test_an_old_document_with_bare_sub_area_codes_is_read_as_unassessed_sub_areas() -> None:
    old = LifeAreaAssessment.model_validate({"area_id": "d4", "qualifier": "2", "sub_area_codes": ["d450", "d460"]})
    assert [(sub.code, sub.qualifier, sub.text) for sub in old.sub_areas] == [("d450", None, ""), ("d460", None, "")]
    assert "sub_area_codes" not in old.model_dump()
    # A change pulled from a laptop not yet updated adds its codes beside the delområden already held.
    mixed = LifeAreaAssessment.model_validate(
        {"area_id": "d4", "sub_areas": [{"code": "d450", "qualifier": "1", "text": "Inne"}],
         "sub_area_codes": ["d450", "d465"]}
    )
    assert [(sub.code, sub.qualifier) for sub in mixed.sub_areas] == [("d450", "1"), ("d465", None)]


def test_the_reference_data_names_a_step_or_code_its_lists_do_not_hold(ref: ReferenceData) -> None:
    fine = LifeAreaAssessment(area_id="d4", qualifier="2", sub_areas=_subs("d450", "d465"))
    assert area_value_problems(fine, ref) == []
    odd = LifeAreaAssessment(area_id="d4", qualifier="2", sub_areas=_subs("d499"))
    assert [m.sv for m in area_value_problems(odd, ref)] == ["Förflyttning: delområdet d499 hör inte till området."]
    unknown = LifeAreaAssessment(area_id="x1")
    assert [m.sv for m in area_value_problems(unknown, ref)] == ["Livsområdet x1 finns inte i referensdata."]


def test_the_quality_review_names_a_sub_area_the_list_does_not_hold(tolvan: Person, ref: ReferenceData) -> None:
    case = Case(person_id=tolvan.id, opened_on=date(2026, 11, 1))
    case.investigation.assessments.append(LifeAreaAssessment(
        area_id="d4", own_description="Går med rollator.", qualifier="2", assessment="Behöver stöd ute.",
        need="Följe ut.", goal="Komma ut varje vecka.", sub_areas=_subs("d499")))
    found = [f for f in check_completeness(case, tolvan, ref, date(2026, 11, 23)) if f.code == "area_value_invalid"]
    assert [(f.area_id, f.text_sv) for f in found] == [("d4", "Förflyttning: delområdet d499 hör inte till området.")]


def test_a_value_off_its_scale_is_refused_when_assigned_to_a_delomrade_alone() -> None:
    area = LifeAreaAssessment(area_id="d4", sub_areas=_subs("d450"))
    environment = LifeAreaAssessment(area_id="e3", sub_areas=_subs("e310"))
    for sub, refused in ((area.sub_areas[0], ("hög", ".1", "+2")), (environment.sub_areas[0], ("hög", "1", "3"))):
        for value in refused:
            with pytest.raises(ValidationError):
                sub.qualifier = value
            assert sub.qualifier is None
    environment.sub_areas[0].qualifier = "+2"
    assert environment.sub_areas[0].qualifier == "+2"
