"""The investigation (utredning): visits and the kartläggning of every IBIC life area."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, model_validator

from ibic.base import DomainModel, new_id, reads
from ibic.limits import Code, EventDate, Identifier, LongText, Name, ShortText
from ibic.vocabulary import Actor, VisitPlace


class Participant(DomainModel):
    id: Identifier = Field(default_factory=new_id)
    name: Name
    role: ShortText = ""


class Visit(DomainModel):
    """A hembesök (or a meeting at hospital, the office or online)."""

    id: Identifier = Field(default_factory=new_id)
    visited_on: EventDate
    place: VisitPlace = VisitPlace.HOME
    participants: list[Participant] = Field(default_factory=list)
    interpreter_used: bool = False
    interpreter_language: ShortText = ""
    note: LongText = ""


class OtherDescription(DomainModel):
    """What someone else says about the area; rests on a consent unless the source is a representative."""

    id: Identifier = Field(default_factory=new_id)
    source_name: Name
    source_role: ShortText = ""
    consent_id: Identifier | None = None
    text: LongText = ""
    recorded_on: EventDate | None = None


class NotRelevant(DomainModel):
    """An explicit "ej aktuellt": a reason from the reference data and an optional note."""

    reason_id: Identifier
    note: LongText = ""


class SubAreaAssessment(DomainModel):
    """One delområde (an ICF activity such as d450 Gå) chosen under a life area: its own value on the area's scale
    and its own text. Keyed by its code, so two devices editing different delområden never touch one path."""

    code: Code
    qualifier: Code | None = None
    text: LongText = ""

    @model_validator(mode="after")
    @reads("code", "qualifier")
    def _value_on_its_icf_scale(self) -> SubAreaAssessment:
        # Checked here as well as by the life area, so an assignment to this object alone is refused too
        # (the area's own check runs only when the area is validated).
        # A delområde shares its life area's chapter, so its code says which ICF scale it is on.
        allowed = ENVIRONMENT_QUALIFIERS if self.code.startswith("e") else GENERIC_QUALIFIERS
        if self.qualifier is not None and self.qualifier not in allowed:
            raise ValueError("qualifier is not on the ICF scale of this delområde")
        return self


class LifeAreaAssessment(DomainModel):
    """Everything recorded for one IBIC life area or category."""

    area_id: Identifier
    own_description: LongText = ""
    others: list[OtherDescription] = Field(default_factory=list)
    qualifier: Code | None = None
    sub_areas: list[SubAreaAssessment] = Field(default_factory=list)
    assessment: LongText = ""
    need: LongText = ""
    resources: LongText = ""
    goal: LongText = ""
    not_relevant: NotRelevant | None = None
    judged_by: Actor = Actor.CASEWORKER
    judged_on: EventDate | None = None

    @model_validator(mode="before")
    @classmethod
    @reads("sub_area_codes", "sub_areas/*/code")
    def _read_sub_area_codes(cls, data: Any) -> Any:
        """Documents stored or synced before delområden had values hold ``sub_area_codes``, a bare list of codes:
        each becomes a delområde with no value and no text (one already present by its code is kept as it is)."""
        if not isinstance(data, dict) or "sub_area_codes" not in data:
            return data
        data = dict(data)
        codes = data.pop("sub_area_codes") or []
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            # A refusal, not a TypeError further down (which pydantic does not turn into one: the server answered
            # 500 to a whole push holding it, and a laptop's pull failed on it).
            raise ValueError("sub_area_codes is not a list of sub-area codes")
        current = data.get("sub_areas") or []
        if not isinstance(current, list):
            return data  # refused by the type of sub_areas
        current = list(current)
        held = {code for entry in current if isinstance(code := _sub_area_code(entry), str)}
        current.extend({"code": code} for code in codes if code not in held)
        data["sub_areas"] = current
        return data

    @model_validator(mode="after")
    @reads("area_id", "qualifier", "sub_areas/*/code", "sub_areas/*/qualifier")
    def _values_fit_the_area(self) -> LifeAreaAssessment:
        # ICF's own qualifier forms: a 5 or a ".2" on an activity is refused before any reference data is read.
        allowed = ENVIRONMENT_QUALIFIERS if self.area_id.startswith("e") else GENERIC_QUALIFIERS
        values = [self.qualifier, *(sub.qualifier for sub in self.sub_areas)]
        if any(value is not None and value not in allowed for value in values):
            raise ValueError("qualifier is not on the ICF scale of this area")
        chapter = self.area_id[:2]
        codes = [sub.code for sub in self.sub_areas]
        if any(not code.startswith(chapter) for code in codes):
            raise ValueError("a sub-area code belongs to another life area")
        if len(set(codes)) != len(codes):
            raise ValueError("a sub-area is chosen twice")
        return self

    def sub_area(self, code: str) -> SubAreaAssessment | None:
        return next((sub for sub in self.sub_areas if sub.code == code), None)

    def assessed_sub_areas(self) -> int:
        """How many chosen delområden carry a value (the navigator shows the count)."""
        return sum(1 for sub in self.sub_areas if sub.qualifier is not None)


def _sub_area_code(entry: Any) -> Any:
    if isinstance(entry, SubAreaAssessment):
        return entry.code
    return entry.get("code") if isinstance(entry, dict) else None


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
    if not any(texts) and assessment.qualifier is None and not assessment.others and not assessment.sub_areas:
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

    health_condition: LongText = ""
    body_functions: LongText = ""
    environment: LongText = ""
    personal_factors: LongText = ""


class Investigation(DomainModel):
    started_on: EventDate | None = None
    visits: list[Visit] = Field(default_factory=list)
    situation: LongText = ""
    information_given: LongText = ""
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
