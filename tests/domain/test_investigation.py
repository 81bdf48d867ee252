"""Life area state for the navigator, and what is still missing in an area."""

from __future__ import annotations

import pytest

from ibic.investigation import (
    AreaState,
    Investigation,
    LifeAreaAssessment,
    NotRelevant,
    OtherDescription,
    area_state,
    missing_in_area,
)


def complete(**changes: object) -> LifeAreaAssessment:
    base = LifeAreaAssessment(
        area_id="d5",
        own_description="Jag klarar inte duschen själv.",
        qualifier="3",
        assessment="Stora svårigheter med personlig hygien.",
        need="Hjälp vid dusch två gånger i veckan.",
        goal="Att känna sig ren och fräsch.",
    )
    return base.model_copy(update=changes)


def test_no_assessment_is_not_started() -> None:
    assert area_state(None) == AreaState.NOT_STARTED


def test_an_empty_assessment_is_not_started() -> None:
    assert area_state(LifeAreaAssessment(area_id="d5")) == AreaState.NOT_STARTED


def test_whitespace_only_text_is_not_a_start() -> None:
    assert area_state(LifeAreaAssessment(area_id="d5", need="   ")) == AreaState.NOT_STARTED


def test_a_complete_area_is_done_with_nothing_missing() -> None:
    assert missing_in_area(complete()) == []
    assert area_state(complete()) == AreaState.DONE


def test_ej_aktuellt_with_a_reason_is_its_own_state_and_needs_nothing() -> None:
    marked = LifeAreaAssessment(area_id="d8", not_relevant=NotRelevant(reason_id="not_part_of_application"))
    assert area_state(marked) == AreaState.NOT_RELEVANT
    assert missing_in_area(marked) == []


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"own_description": ""}, ["own_description"]),
        ({"qualifier": None}, ["qualifier"]),
        ({"assessment": " "}, ["assessment"]),
        ({"need": ""}, ["need"]),
        ({"goal": ""}, ["goal"]),
    ],
)
def test_each_missing_field_is_named(change: dict[str, object], missing: list[str]) -> None:
    partial = complete(**change)
    assert missing_in_area(partial) == missing
    assert area_state(partial) == AreaState.IN_PROGRESS


def test_someone_elses_description_stands_in_for_the_persons_own() -> None:
    other = OtherDescription(source_name="Hemsjukvården", text="Faller ofta.")
    with_other = complete(own_description="", others=[other])
    assert "own_description" not in missing_in_area(with_other)


def test_someone_else_without_text_is_not_a_description() -> None:
    empty_other = complete(own_description="", others=[OtherDescription(source_name="Hemsjukvården")])
    assert missing_in_area(empty_other) == ["own_description"]


@pytest.mark.parametrize("qualifier", ["0", ".0", "+0", "+1", "+2", "+3", "+4", "+8", "9"])
def test_no_difficulty_qualifiers_need_no_need_text(qualifier: str) -> None:
    assert missing_in_area(complete(qualifier=qualifier, need="", goal="")) == []


@pytest.mark.parametrize("qualifier", ["1", "2", "3", "4", "8", ".1", ".4", ".8"])
def test_a_difficulty_qualifier_needs_a_need(qualifier: str) -> None:
    assert missing_in_area(complete(qualifier=qualifier, need="", goal="")) == ["need"]


def test_a_need_without_a_goal_asks_for_the_goal() -> None:
    assert missing_in_area(complete(qualifier="0", goal="")) == ["goal"]


def test_missing_fields_come_in_form_order() -> None:
    assert missing_in_area(LifeAreaAssessment(area_id="d5", need="Hjälp.")) == [
        "own_description",
        "qualifier",
        "assessment",
        "goal",
    ]


def test_ensure_assessment_creates_once_and_then_returns_the_same() -> None:
    investigation = Investigation()
    first = investigation.ensure_assessment("d4")
    assert investigation.ensure_assessment("d4") is first
    assert investigation.assessment_for("d4") is first
    assert investigation.assessment_for("d5") is None
    assert len(investigation.assessments) == 1
