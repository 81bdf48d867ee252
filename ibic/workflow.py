"""The flow of the case workspace: its steps, each step's state, and which life area comes next.

A domain object the UI only renders: the navigator asks here what to show, the form never decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ibic.cases import Case
from ibic.completeness import Finding, check_completeness
from ibic.follow_up_rules import follow_up_findings, is_concluded_by
from ibic.investigation import AreaState, area_state
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.unprintable import unprintable_findings


class Step(StrEnum):
    CASE = "case"
    VISIT = "visit"
    AREAS = "areas"
    PROPOSAL = "proposal"
    CHECK = "check"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class StepView:
    """One row of the navigator: the step (and area), its state, and how many findings remain."""

    step: Step
    area_id: str | None
    state: AreaState
    findings: int


@dataclass(frozen=True)
class WorkspaceFlow:
    steps: tuple[StepView, ...]
    findings: tuple[Finding, ...]


def workspace_flow(case: Case, person: Person, ref: ReferenceData, today: date,
                   can_print: Callable[[str], bool] | None = None) -> WorkspaceFlow:
    """The navigator's content for ``case``: every step and every life area with its state; with ``can_print``
    (whether the printed documents can show a text), text they cannot show is a finding too."""
    findings = [*check_completeness(case, person, ref, today), *follow_up_findings(case, ref, today)]
    if can_print is not None:
        findings += unprintable_findings(case, person, ref, can_print)
    by_step: dict[str, int] = {}
    for finding in findings:
        by_step[finding.step] = by_step.get(finding.step, 0) + 1
    rows: list[StepView] = [
        StepView(
            Step.CASE,
            None,
            _state_from_count(by_step.get("case", 0), started=bool(case.application.items)),
            by_step.get("case", 0),
        ),
        StepView(
            Step.VISIT,
            None,
            _state_from_count(by_step.get("visit", 0), started=bool(case.investigation.visits)),
            by_step.get("visit", 0),
        ),
    ]
    for area in ref.life_areas:
        state = area_state(case.investigation.assessment_for(area.id))
        area_findings = sum(1 for f in findings if f.area_id == area.id)
        rows.append(StepView(Step.AREAS, area.id, state, area_findings))
    rows.append(
        StepView(
            Step.PROPOSAL,
            None,
            _state_from_count(by_step.get("proposal", 0), started=bool(case.proposals)),
            by_step.get("proposal", 0),
        )
    )
    rows.append(StepView(Step.CHECK, None, AreaState.DONE if not findings else AreaState.IN_PROGRESS, len(findings)))
    rows.append(StepView(Step.FOLLOW_UP, None, follow_up_state(case, today), 0))
    return WorkspaceFlow(tuple(rows), tuple(findings))


def follow_up_state(case: Case, today: date) -> AreaState:
    """No follow-up yet, one under way, or every follow-up concluded by ``today`` (held, recorded, with an outcome:
    ``is_concluded_by``, the rule the printed uppföljning drops UTKAST by; a done date typed ahead showed the step
    done while its print said UTKAST)."""
    if not case.follow_ups:
        return AreaState.NOT_STARTED
    finished = all(is_concluded_by(f, today) for f in case.follow_ups)
    return AreaState.DONE if finished else AreaState.IN_PROGRESS


def _state_from_count(count: int, *, started: bool) -> AreaState:
    if count == 0:
        return AreaState.DONE
    return AreaState.IN_PROGRESS if started else AreaState.NOT_STARTED


def neighbour_area(ref: ReferenceData, area_id: str, offset: int) -> str | None:
    """The life area ``offset`` steps away in reference order (Ctrl+PgDown / Ctrl+PgUp), or None at the ends."""
    ids = [a.id for a in ref.life_areas]
    index = ids.index(area_id) + offset
    return ids[index] if 0 <= index < len(ids) else None
