"""Proposals (förslag till beslut) and decisions (beslut).

A proposal is the handläggare's draft per applied insats. A decision is made from a complete proposal
and is never edited afterwards (FL 31–33 §§): a change is a new decision, and the decision's status
(laga kraft, överklagat, upphävt …) is kept in separate records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import ConfigDict, Field, field_validator, model_validator

from ibic.base import DomainModel, new_id, reads
from ibic.errors import DomainError
from ibic.limits import EventDate, Identifier, LongText, Name
from ibic.messages import Message, Term, message
from ibic.people import Person
from ibic.reference import PATIENT_TRANSPORT, ReferenceData, load_reference_data
from ibic.vocabulary import DecisionForm, DecisionOutcome, DecisionStatusKind, ScopeUnit
from ibic.working_days import working_day_on_or_after

WEEKS_PER_MONTH = 52 / 12
SCOPE_AMOUNT_MAX = 10_000  # hours or occasions in the scope's unit; the editors say this figure when refusing more


class Scope(DomainModel):
    """Omfattning: an amount in a unit; also the fee basis."""

    amount: float | None = Field(default=None, ge=0, le=SCOPE_AMOUNT_MAX)
    unit: ScopeUnit = ScopeUnit.HOURS_PER_MONTH
    form: DecisionForm = DecisionForm.PER_INSATS

    def hours_per_month(self) -> float | None:
        """The scope as hours per month where that is meaningful (for the follow-up duty)."""
        if self.amount is None:
            return None
        factors = {
            ScopeUnit.HOURS_PER_MONTH: 1.0,
            ScopeUnit.HOURS_PER_WEEK: WEEKS_PER_MONTH,
            ScopeUnit.HOURS_PER_YEAR: 1 / 12,
        }
        factor = factors.get(self.unit)
        return None if factor is None else self.amount * factor


class FrozenScope(Scope):
    """The scope as decided: frozen like the decision that holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Proposal(DomainModel):
    """Förslag till beslut for one applied item, with the bedömning behind it."""

    id: Identifier = Field(default_factory=new_id)
    application_item_id: Identifier | None = None
    insats_id: Identifier | None = None
    outcome: DecisionOutcome | None = None
    scope: Scope = Field(default_factory=Scope)
    starts_on: EventDate | None = None
    ends_on: EventDate | None = None
    law_reference_id: Identifier = "sol2025_11_1"
    motivation: LongText = ""
    # The four questions of the bedömning per applied insats (domain.md, Documents).
    need_exists: LongText = ""
    met_otherwise: LongText = ""
    needed_for_reasonable_living: LongText = ""
    fitting_insats: LongText = ""
    # Följe to doctor's and other medical visits: excluded when the person is entitled to sjukresa (seed 001).
    for_medical_visits: bool = False

    @model_validator(mode="after")
    @reads("starts_on", "ends_on")
    def _end_not_before_start(self) -> Proposal:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("end date is before start date")
        return self


@dataclass(frozen=True)
class ProposalProblem:
    """What stops a proposal from becoming a decision: field name and a message (ibic.messages)."""

    field: str
    message: Message

    @property
    def text_sv(self) -> str:
        return self.message.sv


def proposal_problems(
    proposal: Proposal, ref: ReferenceData, *, person_age: int | None = None, conditions: frozenset[str] = frozenset()
) -> list[ProposalProblem]:
    """Every rule a proposal must meet before a decision can be made from it."""
    problems: list[ProposalProblem] = []
    add = problems.append
    insats = ref.insats(proposal.insats_id) if proposal.insats_id else None
    if proposal.outcome is None:
        add(ProposalProblem("outcome", message("Choose granted, partly granted or refused.")))
    if insats is not None and not insats.requires_decision:
        name = Term(insats.label_sv, insats.label_en)
        add(ProposalProblem("insats_id", message("%1 needs no decision on bistånd.", name)))
    granted = proposal.outcome in (DecisionOutcome.GRANTED, DecisionOutcome.PARTLY_GRANTED)
    if granted:
        problems.extend(_granted_problems(proposal, ref, person_age))
        problems.extend(_exclusion_problems(proposal, ref, conditions))
    if (
        proposal.outcome in (DecisionOutcome.REFUSED, DecisionOutcome.PARTLY_GRANTED)
        and not proposal.motivation.strip()
    ):
        add(ProposalProblem("motivation", message("A motivation is required when anything is refused (FL 32 §).")))
    if not ref.has_law(proposal.law_reference_id):
        add(ProposalProblem("law_reference_id", message("Choose a law reference from the list.")))
    elif proposal.starts_on is not None and not ref.law(proposal.law_reference_id).valid_on(proposal.starts_on):
        # Old decisions cite SoL (2001:453); a decision starting after 1 July 2025 must cite SoL (2025:400).
        add(ProposalProblem("law_reference_id", message(
            "The law reference does not apply from the start date: choose the one in force then.")))
    # No needs test (trygghetslarm from 65, seed 001): no assessment of the need to ask for either.
    if not proposal.need_exists.strip() and not no_needs_test(proposal, ref, person_age):
        add(ProposalProblem("need_exists", message("Describe the assessment of whether the need exists.")))
    return problems


def _granted_problems(proposal: Proposal, ref: ReferenceData, person_age: int | None) -> list[ProposalProblem]:
    problems: list[ProposalProblem] = []
    until_further_notice = ref.granted_until_further_notice(proposal.insats_id)
    if proposal.starts_on is None:
        problems.append(ProposalProblem("starts_on", message("Enter the date from which the insats applies.")))
    if proposal.ends_on is None and not until_further_notice:
        problems.append(ProposalProblem("ends_on", message("The decision must be time-limited: enter an end date.")))
    if proposal.ends_on is not None and until_further_notice and _needs_decision(proposal, ref):
        # Seed 001: every decision but these three is time-limited; an end typed here was printed beside "tills
        # vidare" ("Omfattning tills vidare … Period 2027-01-01 – 2027-06-30") with the proposal called complete.
        problems.append(ProposalProblem("ends_on", message(
            "%1 is granted until further notice, not for a time: remove the end date.", _insats_term(proposal, ref))))
    if proposal.scope.unit != ScopeUnit.UNTIL_FURTHER_NOTICE and proposal.scope.amount is None:
        problems.append(ProposalProblem("scope", message("Enter the scope (time or number of occasions).")))
    elif proposal.scope.unit != ScopeUnit.UNTIL_FURTHER_NOTICE and proposal.scope.amount == 0:
        # "0" typed as the scope of a bifall left the proposal complete, and the draft proposed "0 timmar per
        # månad" granted (s34-probe3): a scope is the time or occasions granted, and the fee's basis.
        problems.append(ProposalProblem("scope", message(
            "A granted insats needs a scope above 0: enter the time or number of occasions.")))
    if not proposal.motivation.strip() and not no_needs_test(proposal, ref, person_age):
        problems.append(ProposalProblem("motivation", message("Write a motivation in plain language.")))
    return problems


def _needs_decision(proposal: Proposal, ref: ReferenceData) -> bool:
    """Fixartjänst, träffpunkt: no decision at all, so no end of one to remove (that is flagged on its own)."""
    insats = ref.insats(proposal.insats_id) if proposal.insats_id else None
    return insats is not None and insats.requires_decision


def _insats_term(proposal: Proposal, ref: ReferenceData) -> Term:
    insats = ref.insats(proposal.insats_id) if proposal.insats_id else None
    return Term(insats.label_sv, insats.label_en) if insats is not None else Term(proposal.insats_id or "")


def person_conditions(person: Person) -> frozenset[str]:
    """The facts about the person that an insats's ``excluded_when`` in the reference data may name."""
    return frozenset({PATIENT_TRANSPORT}) if person.patient_transport_entitled else frozenset()


def _exclusion_problems(proposal: Proposal, ref: ReferenceData, conditions: frozenset[str]) -> list[ProposalProblem]:
    """Seed 001: följeslagare is not granted to a doctor's visit when the person is entitled to sjukresa."""
    insats = ref.insats(proposal.insats_id) if proposal.insats_id else None
    if insats is None:
        return []
    applies = {PATIENT_TRANSPORT: proposal.for_medical_visits}
    if not any(condition in conditions and applies[condition] for condition in insats.excluded_when):
        return []
    # The reference data's own rule says why, in both languages where the data has both.
    name = Term(insats.label_sv, insats.label_en)
    rule = Term(insats.rules_sv[0], insats.rules_en[0] if insats.rules_en else "") if insats.rules_sv else None
    reason = message("%1", rule) if rule is not None else message("%1 is not granted here.", name)
    return [ProposalProblem("for_medical_visits", reason)]


def no_needs_test(proposal: Proposal, ref: ReferenceData, person_age: int | None) -> bool:
    """The insats is given without a needs test at the person's age (trygghetslarm from 65, seed 001)."""
    return no_needs_test_from(proposal.insats_id, ref, person_age) is not None


def no_needs_test_from(insats_id: str | None, ref: ReferenceData, person_age: int | None) -> int | None:
    """The age from which the insats is given without a needs test, once the person has reached it; else None. By
    the insats alone: an applied item with no proposal yet is printed without a needs assessment too."""
    insats = ref.insats(insats_id) if insats_id else None
    if insats is None or insats.needs_test_from_age is None or person_age is None:
        return None
    return insats.needs_test_from_age if person_age >= insats.needs_test_from_age else None


def insats_name(insats_id: str | None, text_sv: str) -> Term:
    """A decision's insats as shown: its own Swedish wording (kept as decided, and printed), the catalogue's English
    name in English; free text has no English and shows as written."""
    insats = load_reference_data().insats(insats_id) if insats_id else None
    return Term(text_sv, insats.label_en if insats is not None else "")


class Decision(DomainModel):
    """A decision as made. Frozen: a decision document is never edited afterwards."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier = Field(default_factory=new_id)
    proposal_id: Identifier
    insats_id: Identifier | None
    insats_text: LongText
    outcome: DecisionOutcome
    scope: FrozenScope
    starts_on: EventDate | None
    ends_on: EventDate | None
    law_reference_id: Identifier
    motivation: LongText
    decided_on: EventDate
    decided_by: Name
    appeal_notice_sv: LongText = ""
    replaces_decision_id: Identifier | None = None

    @field_validator("scope", mode="before")
    @classmethod
    def _own_frozen_scope(cls, value: object) -> object:
        # A proposal's Scope is mutable and would otherwise be shared: editing the proposal would edit the decision.
        if isinstance(value, Scope) and not isinstance(value, FrozenScope):
            return value.model_dump()
        return value


class DecisionStatusEntry(DomainModel):
    """The status of a decision at a point in time; appended, never edited."""

    id: Identifier = Field(default_factory=new_id)
    decision_id: Identifier
    status: DecisionStatusKind
    on: EventDate
    note: LongText = ""


def appeal_notice_sv(weeks: int) -> str:
    """The appeal notice that goes with every refusal (FL 44 §)."""
    return (
        "Om du inte är nöjd med beslutet kan du överklaga det. Skriv till kommunen inom "
        f"{weeks} veckor från den dag du fick del av beslutet och tala om vilket beslut du överklagar "
        "och hur du vill att det ska ändras. Kommunen prövar om beslutet ska ändras och skickar annars "
        "överklagandet vidare till förvaltningsrätten."
    )


def make_decision(
    proposal: Proposal,
    ref: ReferenceData,
    *,
    decided_on: date,
    decided_by: str,
    insats_text: str,
    person_age: int | None = None,
    replaces: Decision | None = None,
    conditions: frozenset[str] = frozenset(),
) -> Decision:
    """Turn a complete proposal into a decision; refuses an incomplete one."""
    problems = proposal_problems(proposal, ref, person_age=person_age, conditions=conditions)
    if problems:
        raise DomainError("proposal is incomplete: " + ", ".join(p.field for p in problems))
    if replaces is not None and not may_replace(replaces, proposal.ends_on):
        raise DomainError("a decision until further notice may not be replaced by a time-limited one")
    assert proposal.outcome is not None  # guaranteed by proposal_problems
    refused_any = proposal.outcome in (DecisionOutcome.REFUSED, DecisionOutcome.PARTLY_GRANTED)
    return Decision(
        proposal_id=proposal.id,
        insats_id=proposal.insats_id,
        insats_text=insats_text,
        outcome=proposal.outcome,
        scope=proposal.scope.model_copy(),
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        law_reference_id=proposal.law_reference_id,
        motivation=proposal.motivation,
        decided_on=decided_on,
        decided_by=decided_by,
        appeal_notice_sv=appeal_notice_sv(ref.rules.deadlines.appeal_weeks) if refused_any else "",
        replaces_decision_id=replaces.id if replaces else None,
    )


def may_replace(old: Decision, new_ends_on: date | None) -> bool:
    """A decision "tills vidare" may not later be made time-limited: that is to the person's disadvantage."""
    return not (old.ends_on is None and old.outcome != DecisionOutcome.REFUSED and new_ends_on is not None)


def appeal_deadline(notified_on: date, weeks: int) -> date:
    """The last day to appeal: ``weeks`` after the delgivning, moved to the next weekday when that day is a Saturday,
    a Sunday, a holiday or an afton (lag 1930:173, 2 §): three weeks from 4 December 2026 is juldagen, and the
    appeal may come in on 28 December."""
    return working_day_on_or_after(notified_on + timedelta(weeks=weeks))
