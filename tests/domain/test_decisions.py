"""Proposals and decisions: what a proposal needs, how a decision is made, and that it never changes."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from ibic.cases import Case
from ibic.decisions import (
    Decision,
    Proposal,
    Scope,
    appeal_deadline,
    appeal_notice_sv,
    make_decision,
    may_replace,
    proposal_problems,
)
from ibic.errors import DomainError
from ibic.reference import ReferenceData
from ibic.vocabulary import DecisionForm, DecisionOutcome, ScopeUnit

START, END, DECIDED = date(2026, 12, 1), date(2027, 5, 31), date(2026, 11, 23)


def proposal(insats_id: str | None = "serviceinsatser", **changes: object) -> Proposal:
    fields: dict[str, object] = {
        "insats_id": insats_id,
        "outcome": DecisionOutcome.GRANTED,
        "scope": Scope(amount=8, unit=ScopeUnit.HOURS_PER_MONTH),
        "starts_on": START,
        "ends_on": END,
        "motivation": "Behovet kan inte tillgodoses på annat sätt.",
        "need_exists": "Behovet finns.",
    }
    fields.update(changes)
    return Proposal.model_validate(fields)


def fields_of(p: Proposal, ref: ReferenceData, age: int | None = None) -> list[str]:
    return [problem.field for problem in proposal_problems(p, ref, person_age=age)]


def decide(p: Proposal, ref: ReferenceData, **kwargs: object) -> Decision:
    return make_decision(
        p, ref, decided_on=DECIDED, decided_by="Handläggare Demo", insats_text="hemtjänst", **kwargs  # type: ignore[arg-type]
    )


def test_a_complete_time_limited_proposal_has_no_problems(ref: ReferenceData) -> None:
    assert proposal_problems(proposal(), ref) == []


def test_a_proposal_without_outcome_asks_for_one(ref: ReferenceData) -> None:
    assert fields_of(proposal(outcome=None), ref) == ["outcome"]


def test_a_time_limited_insats_needs_an_end_date(ref: ReferenceData) -> None:
    problems = proposal_problems(proposal(ends_on=None), ref)
    assert [p.field for p in problems] == ["ends_on"]
    assert problems[0].text_sv == "Beslutet ska vara tidsbegränsat: ange ett slutdatum."


@pytest.mark.parametrize("insats_id", ["trygghetslarm", "servicehus", "vard_och_omsorgsboende"])
def test_insatser_granted_until_further_notice_need_no_end_date(ref: ReferenceData, insats_id: str) -> None:
    p = proposal(insats_id, ends_on=None, scope=Scope(unit=ScopeUnit.UNTIL_FURTHER_NOTICE))
    assert proposal_problems(p, ref) == []


def test_trygghetslarm_needs_no_end_date(ref: ReferenceData) -> None:
    assert "ends_on" not in fields_of(proposal("trygghetslarm", ends_on=None), ref)


def test_korttidsvistelse_is_always_time_limited(ref: ReferenceData) -> None:
    insats = ref.insats("korttidsvistelse")
    assert insats is not None and insats.time_limited and insats.always_time_limited
    short_stay = proposal("korttidsvistelse", ends_on=None, scope=Scope(amount=14, unit=ScopeUnit.DAYS))
    assert fields_of(short_stay, ref) == ["ends_on"]


def test_free_text_item_is_time_limited(ref: ReferenceData) -> None:
    assert fields_of(proposal(None, ends_on=None), ref) == ["ends_on"]


def test_a_granted_proposal_needs_start_scope_and_motivation(ref: ReferenceData) -> None:
    bare = proposal(starts_on=None, scope=Scope(amount=None), motivation=" ")
    assert fields_of(bare, ref) == ["starts_on", "scope", "motivation"]


def test_a_granted_scope_of_nothing_is_no_scope_and_a_refusal_has_none(ref: ReferenceData) -> None:
    for outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED):
        nothing = proposal(outcome=outcome, scope=Scope(amount=0, unit=ScopeUnit.OCCASIONS_PER_WEEK))
        assert [p.message.sv for p in proposal_problems(nothing, ref) if p.field == "scope"] == [
            "En beviljad insats behöver en omfattning över 0: ange tid eller antal tillfällen."]
    assert "scope" not in fields_of(proposal(scope=Scope(amount=0.25)), ref)
    assert fields_of(proposal(outcome=DecisionOutcome.REFUSED, scope=Scope(amount=0), starts_on=None, ends_on=None),
                     ref) == []


def test_scope_until_further_notice_needs_no_amount(ref: ReferenceData) -> None:
    p = proposal("trygghetslarm", ends_on=None, scope=Scope(amount=None, unit=ScopeUnit.UNTIL_FURTHER_NOTICE))
    assert "scope" not in fields_of(p, ref)


def test_refusal_needs_a_motivation(ref: ReferenceData) -> None:
    refused = proposal(outcome=DecisionOutcome.REFUSED, motivation="", starts_on=None, ends_on=None)
    problems = proposal_problems(refused, ref)
    assert [p.field for p in problems] == ["motivation"]
    assert "FL 32 §" in problems[0].text_sv


def test_partial_grant_needs_a_motivation_like_a_refusal(ref: ReferenceData) -> None:
    assert "motivation" in fields_of(proposal(outcome=DecisionOutcome.PARTLY_GRANTED, motivation=""), ref)


def test_refusal_needs_no_dates_or_scope(ref: ReferenceData) -> None:
    refused = proposal(outcome=DecisionOutcome.REFUSED, starts_on=None, ends_on=None, scope=Scope(amount=None))
    assert proposal_problems(refused, ref) == []


def test_trygghetslarm_from_65_needs_no_needs_test_motivation(ref: ReferenceData) -> None:
    alarm = proposal("trygghetslarm", ends_on=None, motivation="", scope=Scope(unit=ScopeUnit.UNTIL_FURTHER_NOTICE))
    assert fields_of(alarm, ref, age=65) == []
    assert fields_of(alarm, ref, age=90) == []


def test_trygghetslarm_under_65_or_age_unknown_needs_a_motivation(ref: ReferenceData) -> None:
    alarm = proposal("trygghetslarm", ends_on=None, motivation="", scope=Scope(unit=ScopeUnit.UNTIL_FURTHER_NOTICE))
    assert fields_of(alarm, ref, age=64) == ["motivation"]
    assert fields_of(alarm, ref, age=None) == ["motivation"]


def test_refused_trygghetslarm_still_needs_a_motivation_at_any_age(ref: ReferenceData) -> None:
    refused = proposal("trygghetslarm", outcome=DecisionOutcome.REFUSED, motivation="", ends_on=None)
    assert fields_of(refused, ref, age=80) == ["motivation"]


def test_an_end_date_on_an_insats_granted_until_further_notice_is_flagged(ref: ReferenceData) -> None:
    for insats in ("trygghetslarm", "servicehus", "vard_och_omsorgsboende"):  # seed 001: not time-limited
        assert fields_of(proposal(insats, scope=Scope(unit=ScopeUnit.UNTIL_FURTHER_NOTICE)), ref) == ["ends_on"]
        assert fields_of(proposal(insats, ends_on=None, scope=Scope(unit=ScopeUnit.UNTIL_FURTHER_NOTICE)), ref) == []


def test_insats_without_decision_is_flagged(ref: ReferenceData) -> None:
    problems = proposal_problems(proposal("fixartjanst"), ref)
    assert [p.field for p in problems] == ["insats_id"]
    assert "kräver inget biståndsbeslut" in problems[0].text_sv


def test_unknown_law_reference_is_flagged(ref: ReferenceData) -> None:
    assert fields_of(proposal(law_reference_id="sol1980_6"), ref) == ["law_reference_id"]


def test_the_need_assessment_is_required(ref: ReferenceData) -> None:
    assert fields_of(proposal(need_exists=""), ref) == ["need_exists"]


def test_end_before_start_is_refused_on_the_model() -> None:
    with pytest.raises(ValidationError, match="end date is before start date"):
        proposal(ends_on=date(2026, 11, 30))


def test_make_decision_copies_the_proposal(ref: ReferenceData) -> None:
    p = proposal(scope=Scope(amount=12, unit=ScopeUnit.HOURS_PER_WEEK, form=DecisionForm.FRAME))
    d = decide(p, ref)
    assert (d.proposal_id, d.insats_id, d.outcome, d.starts_on, d.ends_on) == (
        p.id,
        "serviceinsatser",
        DecisionOutcome.GRANTED,
        START,
        END,
    )
    assert d.scope.amount == 12 and d.scope.unit == ScopeUnit.HOURS_PER_WEEK and d.scope.form == DecisionForm.FRAME
    assert (d.decided_on, d.decided_by, d.insats_text) == (DECIDED, "Handläggare Demo", "hemtjänst")
    assert d.law_reference_id == "sol2025_11_1"
    assert d.appeal_notice_sv == ""
    assert d.replaces_decision_id is None


def test_make_decision_refuses_an_incomplete_proposal(ref: ReferenceData) -> None:
    with pytest.raises(DomainError, match="proposal is incomplete: ends_on"):
        decide(proposal(ends_on=None), ref)


def test_refusal_gets_the_appeal_notice(ref: ReferenceData) -> None:
    d = decide(proposal(outcome=DecisionOutcome.REFUSED, starts_on=None, ends_on=None), ref)
    assert d.appeal_notice_sv == appeal_notice_sv(3)
    assert "inom 3 veckor" in d.appeal_notice_sv
    assert "förvaltningsrätten" in d.appeal_notice_sv


def test_partial_grant_gets_the_appeal_notice(ref: ReferenceData) -> None:
    assert decide(proposal(outcome=DecisionOutcome.PARTLY_GRANTED), ref).appeal_notice_sv


def test_decision_is_frozen(ref: ReferenceData) -> None:
    d = decide(proposal(), ref)
    with pytest.raises(ValidationError):
        d.motivation = "Ändrad i efterhand"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        d.scope.amount = 100  # type: ignore[misc]
    assert d.motivation == "Behovet kan inte tillgodoses på annat sätt." and d.scope.amount == 8


def test_editing_the_proposal_afterwards_does_not_touch_the_decision(ref: ReferenceData) -> None:
    p = proposal()
    d = decide(p, ref)
    p.scope.amount = 40
    p.motivation = "Ny text"
    assert d.scope.amount == 8
    assert d.motivation == "Behovet kan inte tillgodoses på annat sätt."


def test_a_decision_built_from_a_proposals_scope_gets_its_own_copy() -> None:
    p = proposal()
    d = Decision(
        proposal_id=p.id,
        insats_id=p.insats_id,
        insats_text="hemtjänst",
        outcome=DecisionOutcome.GRANTED,
        scope=p.scope,
        starts_on=START,
        ends_on=END,
        law_reference_id="sol2025_11_1",
        motivation="",
        decided_on=DECIDED,
        decided_by="Handläggare Demo",
    )
    p.scope.amount = 99
    assert d.scope.amount == 8


def test_until_further_notice_may_not_be_replaced_by_a_time_limited_decision(ref: ReferenceData) -> None:
    alarm = proposal("trygghetslarm", ends_on=None, scope=Scope(unit=ScopeUnit.UNTIL_FURTHER_NOTICE))
    old = decide(alarm, ref)
    with pytest.raises(DomainError, match="ends_on"):  # an end on a trygghetslarm is refused as such (seed 001)
        decide(proposal("trygghetslarm"), ref, replaces=old)
    assert not may_replace(old, END)


def test_until_further_notice_may_be_replaced_until_further_notice(ref: ReferenceData) -> None:
    alarm = proposal("trygghetslarm", ends_on=None, scope=Scope(unit=ScopeUnit.UNTIL_FURTHER_NOTICE))
    old = decide(alarm, ref)
    new = decide(alarm.model_copy(update={"id": "p2"}), ref, replaces=old)
    assert new.replaces_decision_id == old.id


def test_a_time_limited_decision_may_be_replaced_by_a_time_limited_one(ref: ReferenceData) -> None:
    old = decide(proposal(), ref)
    assert decide(proposal(), ref, replaces=old).replaces_decision_id == old.id


def test_a_refusal_may_be_followed_by_a_time_limited_grant(ref: ReferenceData) -> None:
    refused = decide(proposal(outcome=DecisionOutcome.REFUSED, starts_on=None, ends_on=None), ref)
    assert may_replace(refused, END)


def _in_force(decision: Decision, day: date) -> bool:
    return decision in Case(person_id="p1", opened_on=DECIDED, decisions=[decision]).decisions_in_force(day)


def test_in_force_between_start_and_end_inclusive(ref: ReferenceData) -> None:
    d = decide(proposal(), ref)
    assert not _in_force(d, date(2026, 11, 30))
    assert _in_force(d, START) and _in_force(d, END)
    assert not _in_force(d, date(2027, 6, 1))


def test_refusal_is_never_in_force(ref: ReferenceData) -> None:
    d = decide(proposal(outcome=DecisionOutcome.REFUSED), ref)
    assert not _in_force(d, START)


def test_appeal_deadline_is_weeks_after_notification() -> None:
    assert appeal_deadline(date(2026, 11, 23), 3) == date(2026, 12, 14)


@pytest.mark.parametrize(
    ("amount", "unit", "hours"),
    [
        (100, ScopeUnit.HOURS_PER_MONTH, 100.0),
        (12, ScopeUnit.HOURS_PER_WEEK, 52.0),
        (24, ScopeUnit.HOURS_PER_YEAR, 2.0),
        (3, ScopeUnit.OCCASIONS_PER_WEEK, None),
        (14, ScopeUnit.DAYS, None),
        (None, ScopeUnit.HOURS_PER_MONTH, None),
    ],
)
def test_scope_in_hours_per_month(amount: float | None, unit: ScopeUnit, hours: float | None) -> None:
    result = Scope(amount=amount, unit=unit).hours_per_month()
    assert result == pytest.approx(hours) if hours is not None else result is None


@pytest.mark.parametrize("amount", [-1, 10_001])
def test_scope_amount_out_of_range_is_refused(amount: float) -> None:
    with pytest.raises(ValidationError):
        Scope(amount=amount)


def test_a_law_not_in_force_on_the_start_date_is_flagged(ref: ReferenceData) -> None:
    proposal = Proposal(insats_id="serviceinsatser", outcome=DecisionOutcome.GRANTED, starts_on=date(2026, 1, 1),
                        ends_on=date(2026, 6, 30), scope=Scope(amount=8), motivation="Behov finns.",
                        need_exists="Ja.", law_reference_id="sol2001_4_1")
    problems = proposal_problems(proposal, ref)
    assert [p.field for p in problems] == ["law_reference_id"]
    assert "gäller inte från startdatumet" in problems[0].text_sv
    proposal.law_reference_id = "sol2025_11_1"
    assert proposal_problems(proposal, ref) == []
