"""Case status: only the process's transitions are allowed, each recorded; DECIDED needs a decision."""

from __future__ import annotations

from datetime import date

import pytest

from ibic.cases import ALLOWED_TRANSITIONS, Case, can_transition, change_status, consistency_problems
from ibic.decisions import Decision, DecisionStatusEntry, Scope
from ibic.errors import InvalidTransition
from ibic.vocabulary import CaseStatus, ClosingReason, DecisionOutcome, DecisionStatusKind

DAY = date(2026, 11, 23)
S = CaseStatus
# In the enum's order, not the set's: the parallel run's workers must collect the same tests in the same order.
ALLOWED = [(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in S if b in targets]
FORBIDDEN = [(a, b) for a in S for b in S if b not in ALLOWED_TRANSITIONS[a]]


def decision(ends_on: date | None = None, outcome: DecisionOutcome = DecisionOutcome.GRANTED) -> Decision:
    return Decision(
        proposal_id="p1",
        insats_id="serviceinsatser",
        insats_text="hemtjänst",
        outcome=outcome,
        scope=Scope(amount=10),
        starts_on=date(2026, 1, 1),
        ends_on=ends_on,
        law_reference_id="sol2025_11_1",
        motivation="Motivering.",
        decided_on=date(2025, 12, 20),
        decided_by="Handläggare Demo",
    )


def case_in(status: CaseStatus, *, with_decision: bool = True) -> Case:
    return Case(person_id="p", opened_on=DAY, status=status, decisions=[decision()] if with_decision else [])


def test_the_process_allows_exactly_these_transitions() -> None:
    assert set(ALLOWED) == {
        (S.ACTUALISED, S.INVESTIGATION),
        (S.ACTUALISED, S.CLOSED),
        (S.INVESTIGATION, S.DECIDED),
        (S.INVESTIGATION, S.CLOSED),
        (S.DECIDED, S.IMPLEMENTATION),
        (S.DECIDED, S.CLOSED),
        (S.IMPLEMENTATION, S.INVESTIGATION),
        (S.IMPLEMENTATION, S.CLOSED),
    }


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_is_made_and_recorded(current: CaseStatus, target: CaseStatus) -> None:
    case = case_in(current)
    reason = ClosingReason.MOVED if target == S.CLOSED else None  # a closing says why
    change_status(case, target, DAY, by="Handläggare Demo", reason=reason)
    assert case.status == target
    assert case.status_history[-1].reason == reason
    assert case.status_history[-1].status == target
    assert case.status_history[-1].on == DAY
    assert case.status_history[-1].by == "Handläggare Demo"


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.ACTUALISED, S.DECIDED),
        (S.ACTUALISED, S.IMPLEMENTATION),
        (S.ACTUALISED, S.ACTUALISED),
        (S.INVESTIGATION, S.ACTUALISED),
        (S.INVESTIGATION, S.IMPLEMENTATION),
        (S.DECIDED, S.INVESTIGATION),
        (S.DECIDED, S.ACTUALISED),
        (S.IMPLEMENTATION, S.DECIDED),
        (S.CLOSED, S.ACTUALISED),
        (S.CLOSED, S.INVESTIGATION),
        (S.CLOSED, S.CLOSED),
    ],
)
def test_a_forbidden_transition_raises_and_changes_nothing(current: CaseStatus, target: CaseStatus) -> None:
    assert (current, target) in FORBIDDEN
    case = case_in(current)
    with pytest.raises(InvalidTransition):
        change_status(case, target, DAY, reason=ClosingReason.DIED if target == S.CLOSED else None)
    assert case.status == current
    assert case.status_history == []


def test_can_transition_agrees_with_the_table() -> None:
    for current in S:
        for target in S:
            assert can_transition(current, target) == ((current, target) in ALLOWED)


def test_a_closed_case_goes_nowhere() -> None:
    assert ALLOWED_TRANSITIONS[S.CLOSED] == frozenset()


def test_deciding_without_a_decision_record_is_refused() -> None:
    case = case_in(S.INVESTIGATION, with_decision=False)
    with pytest.raises(InvalidTransition):
        change_status(case, S.DECIDED, DAY)
    assert case.status == S.INVESTIGATION


def test_error_message_names_no_person_data() -> None:
    with pytest.raises(InvalidTransition, match="cannot go from closed to investigation"):
        change_status(case_in(S.CLOSED), S.INVESTIGATION, DAY)


def test_decisions_in_force_leave_out_refused_expired_and_revoked() -> None:
    running, expired, refused, revoked = (
        decision(),
        decision(ends_on=date(2026, 6, 30)),
        decision(outcome=DecisionOutcome.REFUSED),
        decision(),
    )
    case = Case(
        person_id="p",
        opened_on=DAY,
        decisions=[running, expired, refused, revoked],
        decision_statuses=[DecisionStatusEntry(decision_id=revoked.id, status=DecisionStatusKind.REVOKED, on=DAY)],
    )
    assert case.decisions_in_force(DAY) == [running]
    # The revocation is dated today: before it, the decision was still in force.
    assert case.decisions_in_force(date(2026, 6, 30)) == [running, expired, revoked]
    assert case.decision(revoked.id) is revoked
    assert case.decision("unknown") is None



def test_a_status_naming_a_decision_the_case_does_not_hold_is_a_consistency_problem() -> None:
    held = decision()
    stray = DecisionStatusEntry(decision_id="another", status=DecisionStatusKind.ENDED, on=DAY)
    kept = DecisionStatusEntry(decision_id=held.id, status=DecisionStatusKind.ENDED, on=DAY)
    assert consistency_problems(Case(person_id="p", opened_on=DAY, decisions=[held], decision_statuses=[stray])) == [
        "decision_statuses/0: a decision status must name a decision of this case"
    ]
    ended = Case(person_id="p", opened_on=DAY, decisions=[held], decision_statuses=[kept])
    assert consistency_problems(ended) == [] and ended.decisions_in_force(DAY) == []
