"""The investigation (utredning): visits and the kartläggning of every IBIC life area."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from ibic.base import DomainModel, new_id
from ibic.vocabulary import Actor, VisitPlace


class Participant(DomainModel):
    id: str = Field(default_factory=new_id)
    name: str
    role: str = ""


class Visit(DomainModel):
    """A hembesök (or a meeting at hospital, the office or online)."""

    id: str = Field(default_factory=new_id)
    visited_on: date
    place: VisitPlace = VisitPlace.HOME
    participants: list[Participant] = Field(default_factory=list)
    interpreter_used: bool = False
    interpreter_language: str = ""
    note: str = ""


class OtherDescription(DomainModel):
    """What someone else says about the area; rests on a consent unless the source is a representative."""

    id: str = Field(default_factory=new_id)
    source_name: str
    source_role: str = ""
    consent_id: str | None = None
    text: str = ""
    recorded_on: date | None = None


class NotRelevant(DomainModel):
    """An explicit "ej aktuellt": a reason from the reference data and an optional note."""

    reason_id: str
    note: str = ""


class LifeAreaAssessment(DomainModel):
    """Everything recorded for one IBIC life area or category."""

    area_id: str
    own_description: str = ""
    others: list[OtherDescription] = Field(default_factory=list)
    qualifier: str | None = None
    sub_area_codes: list[str] = Field(default_factory=list)
    assessment: str = ""
    need: str = ""
    resources: str = ""
    goal: str = ""
    not_relevant: NotRelevant | None = None
    judged_by: Actor = Actor.CASEWORKER
    judged_on: date | None = None

    @model_validator(mode="after")
    def _values_fit_the_area(self) -> LifeAreaAssessment:
        # ICF's own qualifier forms: a 5 or a ".2" on an activity is refused before any reference data is read.
        allowed = ENVIRONMENT_QUALIFIERS if self.area_id.startswith("e") else GENERIC_QUALIFIERS
        if self.qualifier is not None and self.qualifier not in allowed:
            raise ValueError("qualifier is not on the ICF scale of this area")
        chapter = self.area_id[:2]
        if any(not code.startswith(chapter) for code in self.sub_area_codes):
            raise ValueError("a sub-area code belongs to another life area")
        return self


# ICF's generic qualifier (activities, body functions) and the environment's barrier/facilitator forms.
GENERIC_QUALIFIERS = frozenset({"0", "1", "2", "3", "4", "8", "9"})
ENVIRONMENT_QUALIFIERS = frozenset({".0", ".1", ".2", ".3", ".4", ".8", ".9", "+0", "+1", "+2", "+3", "+4", "+8"})


class AreaState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_RELEVANT = "not_relevant"


_TEXT_FIELDS = ("own_description", "assessment", "need", "resources", "goal")
# Qualifiers that mean "no difficulty/problem/barrier": no need text is required then.
NO_DIFFICULTY_QUALIFIERS = frozenset({"0", ".0", "+0", "+1", "+2", "+3", "+4", "+8", "9"})


def area_state(assessment: LifeAreaAssessment | None) -> AreaState:
    """Where the handläggare stands in one area: the navigator shows this."""
    if assessment is None:
        return AreaState.NOT_STARTED
    if assessment.not_relevant is not None:
        return AreaState.NOT_RELEVANT
    texts = [getattr(assessment, name).strip() for name in _TEXT_FIELDS]
    if not any(texts) and assessment.qualifier is None and not assessment.others:
        return AreaState.NOT_STARTED
    return AreaState.DONE if not missing_in_area(assessment) else AreaState.IN_PROGRESS


def missing_in_area(assessment: LifeAreaAssessment) -> list[str]:
    """The fields still needed before an area counts as done (names of fields)."""
    if assessment.not_relevant is not None:
        return []
    missing: list[str] = []
    has_view = assessment.own_description.strip() or any(o.text.strip() for o in assessment.others)
    if not has_view:
        missing.append("own_description")
    if assessment.qualifier is None:
        missing.append("qualifier")
    if not assessment.assessment.strip():
        missing.append("assessment")
    needs_need = assessment.qualifier is not None and assessment.qualifier not in NO_DIFFICULTY_QUALIFIERS
    if needs_need and not assessment.need.strip():
        missing.append("need")
    if assessment.need.strip() and not assessment.goal.strip():
        missing.append("goal")
    return missing


class RelatedFactors(DomainModel):
    """IBIC's relaterade faktorer: health, body functions, environment, personal factors."""

    health_condition: str = ""
    body_functions: str = ""
    environment: str = ""
    personal_factors: str = ""


class Investigation(DomainModel):
    started_on: date | None = None
    visits: list[Visit] = Field(default_factory=list)
    situation: str = ""
    information_given: str = ""
    assessments: list[LifeAreaAssessment] = Field(default_factory=list)
    related_factors: RelatedFactors = Field(default_factory=RelatedFactors)

    def assessment_for(self, area_id: str) -> LifeAreaAssessment | None:
        return next((a for a in self.assessments if a.area_id == area_id), None)

    def ensure_assessment(self, area_id: str) -> LifeAreaAssessment:
        """The assessment for ``area_id``, created empty when the area is first opened."""
        found = self.assessment_for(area_id)
        if found is None:
            found = LifeAreaAssessment(area_id=area_id)
            self.assessments.append(found)
        return found
