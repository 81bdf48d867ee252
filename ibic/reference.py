"""Reference data: life areas, scales, insatser, law references, vocabulary labels and rule targets.

The data lives in ``resources/reference/*.toml`` so a municipality can correct it without a code
change; here it is loaded and validated. A malformed file fails with the file, the place and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ibic.errors import ReferenceDataError
from ibic.name_key import name_key

# Plain (the case list reads its labels without building ReferenceData): named here too, where callers found them.
from ibic.reference_files import DEFAULT_DIRECTORY as DEFAULT_DIRECTORY
from ibic.reference_files import check_labels, label_in, read_toml
from ibic.vocabulary import ScopeUnit

ICF_CODE_PATTERN = r"^[bdes]\d{1,5}A?$"
# Facts about the person an insats's ``excluded_when`` may name; the proposal checks know each one (decisions.py).
PATIENT_TRANSPORT = "entitled_to_patient_transport_for_medical_visits"
EXCLUSION_CONDITIONS = frozenset({PATIENT_TRANSPORT})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SubArea(_Strict):
    code: str = Field(pattern=ICF_CODE_PATTERN)
    label_sv: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    # Where the code and title come from; verified = false until checked against that source (an administrator
    # sees the list: ``unverified_codes``).
    source: str = Field(min_length=1)
    verified: bool


class OtherCode(SubArea):
    """An IBIC code used outside the life areas, e.g. e598A experienced quality at follow-up."""

    use: Literal["follow_up"]


class Provider(_Strict):
    """An utförare and who runs it: the municipality or a private company (seed 002's consent rule)."""

    name: str = Field(min_length=1)
    regi: Literal["municipal", "private"]


class LifeArea(_Strict):
    id: str = Field(pattern=ICF_CODE_PATTERN)
    kind: Literal["life_area", "category"]
    icf_chapter: str
    label_sv: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    guidance_sv: str = ""
    guidance_en: str = ""
    scale: str = "icf_activity"
    sub_areas: tuple[SubArea, ...] = ()
    source: str = Field(min_length=1)
    verified: bool

    def label(self, language: str) -> str:
        return self.label_sv if language == "sv" else self.label_en


class ScaleStep(_Strict):
    value: str = Field(min_length=1)
    label_sv: str
    label_en: str
    range: str = ""
    explanation_sv: str = ""


class Scale(_Strict):
    id: str
    label_sv: str
    label_en: str
    steps: tuple[ScaleStep, ...] = Field(min_length=2)

    def step(self, value: str | None) -> ScaleStep | None:
        return next((s for s in self.steps if s.value == value), None)


class LabelledValue(_Strict):
    value: str
    label_sv: str
    label_en: str


class Insats(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    group: str
    label_sv: str
    label_en: str
    time_limited: bool
    always_time_limited: bool = False
    requires_decision: bool = True
    needs_test_from_age: int | None = Field(default=None, ge=0, le=130)
    default_scope_unit: ScopeUnit
    description_sv: str = ""
    rules_sv: tuple[str, ...] = ()
    rules_en: tuple[str, ...] = ()  # the same rules in English, for the English interface (ibic.messages)
    excluded_when: tuple[str, ...] = ()

    @field_validator("excluded_when")
    @classmethod
    def _known_conditions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - EXCLUSION_CONDITIONS)
        if unknown:
            raise ValueError(f"unknown condition {unknown[0]!r}; known: {', '.join(sorted(EXCLUSION_CONDITIONS))}")
        return value


class LawReference(_Strict):
    id: str
    citation: str
    title_sv: str
    valid_from: date
    valid_to: date | None = None
    use: Literal["decision", "secrecy", "procedure", "appeal"]

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class NotRelevantReason(_Strict):
    id: str
    label_sv: str
    label_en: str


class DeadlineRules(_Strict):
    decision_expiry_reminder_days: int = Field(ge=0)
    reassessment_interval_months: int = Field(ge=1)
    reassessment_reminder_days: int = Field(ge=0)
    undecided_application_months: int = Field(ge=1)
    undecided_application_warning_days: int = Field(ge=0)
    investigation_target_days: int = Field(ge=1)
    discharge_sip_days: int = Field(ge=0)
    discharge_payment_days: int = Field(ge=0)
    communication_reply_days: int = Field(ge=0)
    appeal_weeks: int = Field(ge=1)
    # A closed case may be opened again by its handläggare within this many days of the closing (ibic.reopening).
    reopen_within_days: int = Field(default=30, ge=0, le=3650)


class FollowUpRules(_Strict):
    time_tolerance_percent: float = Field(gt=0, lt=100)
    large_decision_hours_per_month: float = Field(gt=0)
    large_decision_follow_up_months: int = Field(ge=1)
    implementation_plan_days: int = Field(ge=1)


class ReportRules(_Strict):
    """Reports to the nämnd (issue 13): small counts withheld, the size of the checklist review's sample."""

    small_number_limit: int = Field(default=5, ge=1, le=100)
    checklist_sample_size: int = Field(default=16, ge=1, le=1000)


SATISFACTION_FORM_SV = (
    "Tillsammans med beslutsmeddelandet får du ett frågeformulär om hur du har upplevt biståndsenhetens "
    "bemötande, tillgänglighet och information. Det är frivilligt att svara. Dina svar hjälper oss att bli bättre."
)


class DocumentRules(_Strict):
    """What a municipality's documents say beyond the law. Seed 004 (mål 5): satisfaction is measured by a form sent
    with each beslutsmeddelande; the notice tells the person so. An empty text leaves the section out (a
    municipality that sends no form)."""

    satisfaction_form_sv: str = Field(default=SATISFACTION_FORM_SV, max_length=2000)


class Rules(_Strict):
    deadlines: DeadlineRules
    follow_up: FollowUpRules
    reports: ReportRules = ReportRules()
    documents: DocumentRules = DocumentRules()


class TimeNorm(_Strict):
    id: str
    label_sv: str
    insats: str
    minutes: int = Field(gt=0)
    per: str
    note_sv: str = ""


class ReferenceData(_Strict):
    """Everything loaded from ``resources/reference``; one immutable object, passed to the rules."""

    life_areas: tuple[LifeArea, ...] = Field(min_length=1)
    scales: tuple[Scale, ...] = Field(min_length=1)
    goal_attainment: tuple[LabelledValue, ...]
    insatser: tuple[Insats, ...] = Field(min_length=1)
    laws: tuple[LawReference, ...] = Field(min_length=1)
    labels: dict[str, dict[str, tuple[str, str]]]
    not_relevant_reasons: tuple[NotRelevantReason, ...]
    rules: Rules
    time_norms: tuple[TimeNorm, ...]
    other_codes: tuple[OtherCode, ...] = ()
    providers: tuple[Provider, ...] = ()

    @field_validator("life_areas")
    @classmethod
    def _unique_areas(cls, areas: tuple[LifeArea, ...]) -> tuple[LifeArea, ...]:
        _require_unique([a.id for a in areas], "life area id")
        return areas

    @field_validator("insatser")
    @classmethod
    def _unique_insatser(cls, insatser: tuple[Insats, ...]) -> tuple[Insats, ...]:
        _require_unique([i.id for i in insatser], "insats id")
        for insats in insatser:
            if insats.always_time_limited and not insats.time_limited:
                raise ValueError(f"insats {insats.id}: always_time_limited needs time_limited = true")
        return insatser

    def life_area(self, area_id: str) -> LifeArea:
        for area in self.life_areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(scale_id)

    def scale_for(self, area_id: str) -> Scale:
        return self.scale(self.life_area(area_id).scale)

    def insats(self, insats_id: str | None) -> Insats | None:
        return next((i for i in self.insatser if i.id == insats_id), None)

    def granted_until_further_notice(self, insats_id: str | None) -> bool:
        """Trygghetslarm, servicehuslägenhet and vård- och omsorgsboende: no end date needed."""
        insats = self.insats(insats_id)
        return insats is not None and not insats.time_limited

    def has_law(self, law_id: str) -> bool:
        return any(law.id == law_id for law in self.laws)

    def law(self, law_id: str) -> LawReference:
        for law in self.laws:
            if law.id == law_id:
                return law
        raise KeyError(law_id)

    def decision_laws_on(self, day: date) -> list[LawReference]:
        return [law for law in self.laws if law.use == "decision" and law.valid_on(day)]

    def label(self, vocabulary: str, value: str, language: str = "sv") -> str:
        """The Swedish (or English) label of an enum value."""
        return label_in(self.labels, vocabulary, value, language)

    def not_relevant_reason(self, reason_id: str) -> NotRelevantReason | None:
        return next((r for r in self.not_relevant_reasons if r.id == reason_id), None)

    def provider(self, name: str) -> Provider | None:
        """The listed utförare with this name (``name_key``: Unicode form, case and spacing ignored)."""
        key = name_key(name)
        return next((p for p in self.providers if name_key(p.name) == key), None)


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"duplicate {what}: {item}")
        seen.add(item)


_FILES = ("life_areas", "scales", "insatser", "law_references", "vocabulary", "rules", "time_norms", "providers")
# The top-level keys each file may have: a misspelt table name ([[area]]) must fail, not load as empty.
_TOP_LEVEL_KEYS = {
    "life_areas": {"schema_version", "selection", "areas", "other_codes"},
    "scales": {"schema_version", "scales", "goal_attainment"},
    "insatser": {"schema_version", "insatser"},
    "law_references": {"schema_version", "laws"},
    "vocabulary": {"schema_version", "labels", "not_relevant_reasons"},
    "rules": {"schema_version", "deadlines", "follow_up", "reports", "documents"},
    "time_norms": {"schema_version", "norms"},
    "providers": {"schema_version", "providers"},
}


@cache
def load_reference_data(directory: Path = DEFAULT_DIRECTORY) -> ReferenceData:
    """Load and validate every reference file; cached per directory."""
    raw = {name: read_toml(directory / f"{name}.toml") for name in _FILES}
    for name, content in raw.items():
        unknown = sorted(content.keys() - _TOP_LEVEL_KEYS[name])
        if unknown:
            raise ReferenceDataError(f"{directory / f'{name}.toml'}: at {unknown[0]}: unknown key")
    merged: dict[str, Any] = {
        "life_areas": raw["life_areas"].get("areas", []),
        "scales": raw["scales"].get("scales", []),
        "goal_attainment": raw["scales"].get("goal_attainment", []),
        "insatser": raw["insatser"].get("insatser", []),
        "laws": raw["law_references"].get("laws", []),
        "labels": raw["vocabulary"].get("labels", {}),
        "not_relevant_reasons": raw["vocabulary"].get("not_relevant_reasons", []),
        "rules": {k: v for k, v in raw["rules"].items() if k != "schema_version"},
        "time_norms": raw["time_norms"].get("norms", []),
        "other_codes": raw["life_areas"].get("other_codes", []),
        "providers": raw["providers"].get("providers", []),
    }
    # Field of ReferenceData -> (file, its key in that file); rules.toml's tables sit at the top level.
    origin = {
        "life_areas": ("life_areas", ["areas"]),
        "scales": ("scales", ["scales"]),
        "goal_attainment": ("scales", ["goal_attainment"]),
        "insatser": ("insatser", ["insatser"]),
        "laws": ("law_references", ["laws"]),
        "labels": ("vocabulary", ["labels"]),
        "not_relevant_reasons": ("vocabulary", ["not_relevant_reasons"]),
        "rules": ("rules", []),
        "time_norms": ("time_norms", ["norms"]),
        "other_codes": ("life_areas", ["other_codes"]),
        "providers": ("providers", ["providers"]),
    }
    try:
        data = ReferenceData.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(part) for part in first["loc"]]
        name, key = origin.get(loc[0], (loc[0], [loc[0]]))
        place = ".".join(key + loc[1:]) or loc[0]
        raise ReferenceDataError(f"{directory / f'{name}.toml'}: at {place}: {first['msg']}") from exc
    check_labels(data.labels, directory / "vocabulary.toml")
    _check_cross_references(data, directory)
    return data


def _check_cross_references(data: ReferenceData, directory: Path) -> None:
    scale_ids = {s.id for s in data.scales}
    for index, area in enumerate(data.life_areas):
        if area.scale not in scale_ids:
            raise ReferenceDataError(
                f"{directory / 'life_areas.toml'}: at areas.{index}.scale: unknown scale {area.scale!r}"
            )
    for index, area in enumerate(data.life_areas):
        for sub_index, sub in enumerate(area.sub_areas):
            problem = _sub_area_problem(area, sub.code)
            if problem:
                raise ReferenceDataError(
                    f"{directory / 'life_areas.toml'}: at areas.{index}.sub_areas.{sub_index}.code: {problem}"
                )
    insats_ids = {i.id for i in data.insatser}
    for index, norm in enumerate(data.time_norms):
        if norm.insats not in insats_ids:
            raise ReferenceDataError(
                f"{directory / 'time_norms.toml'}: at norms.{index}.insats: unknown insats {norm.insats!r}"
            )


def _sub_area_problem(area: LifeArea, code: str) -> str:
    """Why ``code`` cannot be a sub-area of ``area`` (empty when it can)."""
    if area.kind == "life_area" and not code.startswith(area.icf_chapter):
        return f"{code} is not in chapter {area.icf_chapter}"
    if is_residual_code(code):
        return f"{code} is an ICF 'other specified and unspecified' code, not a sub-area"
    return ""


def is_residual_code(code: str) -> bool:
    """ICF's "other specified" / "unspecified" codes: a three-digit code ending in 9 (a block's rest, e.g. d839)
    or 98/99, or a four-digit one ending in 8 or 9. Socialstyrelsen's additions end in "A" and are real categories."""
    if code.endswith("A"):
        return False
    digits = code[1:]
    if len(digits) == 3:
        return digits.endswith(("9", "98"))
    return len(digits) == 4 and digits[-1] in "89"


@dataclass(frozen=True)
class UnverifiedCode:
    """One reference entry not yet checked against its source, for the administrator's list."""

    code: str
    label_sv: str
    place: str
    source: str


def unverified_codes(ref: ReferenceData) -> list[UnverifiedCode]:
    """Every life area, sub-area and other code marked ``verified = false``, in file order."""
    found: list[UnverifiedCode] = []
    for area in ref.life_areas:
        if not area.verified:
            found.append(UnverifiedCode(area.id, area.label_sv, "life area", area.source))
        found.extend(
            UnverifiedCode(sub.code, sub.label_sv, f"sub-area of {area.id}", sub.source)
            for sub in area.sub_areas
            if not sub.verified
        )
    found.extend(UnverifiedCode(c.code, c.label_sv, c.use, c.source) for c in ref.other_codes if not c.verified)
    return found
