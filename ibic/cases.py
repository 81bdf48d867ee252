"""The case (ärende): how it arose, who applied, and its place in the process.

aktualiserad → utredning → beslut → verkställighet/uppföljning → avslutad; a follow-up may open a new
investigation (nyprövning). Only the transitions in ``ALLOWED_TRANSITIONS`` are possible; a closing says why
(``ClosingReason``), and a case closed by mistake may be opened again to the status it was closed from
(``reopen_case``: not a transition of the process but the closing undone, recorded beside it).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from pydantic import Field, model_validator

from ibic.application import Application
from ibic.base import DomainModel, new_id, reads
from ibic.communication import Communication
from ibic.consent import Consent
from ibic.decisions import Decision, DecisionStatusEntry, Proposal
from ibic.errors import InvalidTransition
from ibic.follow_up import FollowUp
from ibic.investigation import Investigation
from ibic.limits import Counter, EventDate, Identifier, LongText, Name, ShortText
from ibic.name_rules import blank_name
from ibic.notices import DecisionNotice, ProviderOrder
from ibic.vocabulary import Applicant, CaseOrigin, CaseStatus, ClosingReason, DecisionOutcome

ALLOWED_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    # A case may close before any decision: the person does not wish to apply, or withdraws.
    CaseStatus.ACTUALISED: frozenset({CaseStatus.INVESTIGATION, CaseStatus.CLOSED}),
    CaseStatus.INVESTIGATION: frozenset({CaseStatus.DECIDED, CaseStatus.CLOSED}),
    # After an avslag with nothing to implement, the case closes directly.
    CaseStatus.DECIDED: frozenset({CaseStatus.IMPLEMENTATION, CaseStatus.CLOSED}),
    # Uppföljning may lead to nyprövning: a new investigation in the same case.
    CaseStatus.IMPLEMENTATION: frozenset({CaseStatus.INVESTIGATION, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class InForceSpan(NamedTuple):
    """A decision and the days it is in force (``Case.in_force_spans``); ``last`` None: tills vidare."""

    decision: Decision
    first: date
    last: date | None

    def covers(self, day: date) -> bool:
        return self.first <= day and (self.last is None or day <= self.last)


class StatusChange(DomainModel):
    id: Identifier = Field(default_factory=new_id)
    status: CaseStatus
    on: EventDate
    by: Name = ""
    # Avslutsorsak, on a change to CLOSED; None on one recorded before the closing asked for it.
    reason: ClosingReason | None = None
    # "Annat" in the handläggare's words: required with it and taken by no other reason.
    reason_note: ShortText = ""
    # The status a closing closed the case from, which reopening returns to: the history may not hold it (a case
    # registered centrally in verkställighet has no change before its closing). None on a closing recorded before.
    closed_from: CaseStatus | None = None

    @model_validator(mode="after")
    @reads("status", "reason", "reason_note", "closed_from")
    def _reason_of_a_closing(self) -> StatusChange:
        problem = closing_reason_problem(self.status, self.reason, self.reason_note)
        if not problem and self.closed_from is not None and (
                self.status != CaseStatus.CLOSED or self.closed_from == CaseStatus.CLOSED):
            problem = "only a closing names the open status it closed the case from"
        if problem:
            raise ValueError(problem)
        return self


def closing_reason_problem(status: CaseStatus, reason: ClosingReason | None, note: str) -> str:
    """What is wrong with a status change's reason ("" if nothing); never the note itself (the handläggare's text)."""
    if reason is not None and status != CaseStatus.CLOSED:
        return "only a closing has a reason"
    # Blank as a name is (``blank_name``): a zero-width space said nothing either.
    if reason == ClosingReason.OTHER and blank_name(note):
        return "the reason 'other' needs a short text"
    if note and reason != ClosingReason.OTHER:
        return "a reason's text goes only with the reason 'other'"
    return ""


class DischargeContext(DomainModel):
    """Utskrivningsplanering under lag (2017:612): the clocks that start at the hospital's notices."""

    hospital_ward: ShortText = ""
    admission_notice_on: EventDate | None = None
    ready_for_discharge_on: EventDate | None = None
    sip_meeting_on: EventDate | None = None
    discharged_on: EventDate | None = None


class Case(DomainModel):
    """One ärende about one person; the aggregate that is stored, synced and printed."""

    id: Identifier = Field(default_factory=new_id)
    case_number: ShortText = ""
    person_id: Identifier
    origin: CaseOrigin = CaseOrigin.APPLICATION
    origin_note: LongText = ""
    # None: no one has applied (a case from a report, ``case_actions.REPORTED_ORIGINS``). A case stored before it could
    # be None keeps what it holds; one stored without the field reads as the person, as it always did.
    applicant: Applicant | None = Applicant.PERSON
    opened_on: EventDate
    status: CaseStatus = CaseStatus.ACTUALISED
    status_history: list[StatusChange] = Field(default_factory=list)
    caseworker: Name = ""
    unit: ShortText = ""
    chosen_provider: Name = ""
    consents: list[Consent] = Field(default_factory=list)
    application: Application = Field(default_factory=Application)
    investigation: Investigation = Field(default_factory=Investigation)
    discharge: DischargeContext | None = None
    proposals: list[Proposal] = Field(default_factory=list)
    communication: Communication = Field(default_factory=Communication)
    decisions: list[Decision] = Field(default_factory=list)
    decision_statuses: list[DecisionStatusEntry] = Field(default_factory=list)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    document_version: Counter = 1
    # When each beslutsmeddelande was sent and taken part of, and each uppdrag sent to the utförare (notices.py).
    decision_notices: list[DecisionNotice] = Field(default_factory=list)
    provider_orders: list[ProviderOrder] = Field(default_factory=list)

    def proposal_for(self, application_item_id: str) -> Proposal | None:
        return next((p for p in self.proposals if p.application_item_id == application_item_id), None)

    def decision(self, decision_id: str) -> Decision | None:
        return next((d for d in self.decisions if d.id == decision_id), None)

    def stopped_or_replaced(self) -> set[str]:
        """Ids of the decisions a status record revoked or ended, or another decision names as replaced, whenever
        that is: what the work list's lapsed decisions, the decision documents and a follow-up's fallback leave out."""
        return {s.decision_id for s in self.decision_statuses if s.status in ("revoked", "ended")} | {
            d.replaces_decision_id for d in self.decisions if d.replaces_decision_id}

    def decisions_in_force(self, day: date, spans: list[InForceSpan] | None = None) -> list[Decision]:
        """Decisions in force on ``day`` that have not been revoked or ended by a status record, nor replaced by a
        decision started by that day (``replaces_decision_id``, written by the central system): a replaced decision
        kept its reminders, printed in the uppdrag beside its successor and was followed up twice. The days of
        ``in_force_spans``, or of ``spans`` where the caller built them once for several reads (the day's refresh)."""
        return [span.decision for span in (self.in_force_spans() if spans is None else spans) if span.covers(day)]

    def in_force_spans(self) -> list[InForceSpan]:
        """Each decision ever in force with its first and last day, in the case's order: from its start to the first
        of its end, the day before a status record revoking or ending it and the day before a successor replacing it
        starts. A refused decision, one without a start and one stopped by its start are never in force. The one
        rule of ``decisions_in_force`` and of the hours in force (``ibic.granted_hours.hours_spans``, the stored
        spans Att göra sums): the two once said it each, s30's read-back."""
        stops = self._stops()
        spans = []
        for decision in self.decisions:
            stop = stops.get(decision.id)
            if decision.starts_on is None or decision.outcome == DecisionOutcome.REFUSED or (
                    stop is not None and stop <= decision.starts_on):
                continue
            last = decision.ends_on
            if stop is not None:
                before = stop - timedelta(days=1)  # after its start, so a day exists before it
                last = before if last is None else min(last, before)
            if last is None or last >= decision.starts_on:  # an end before the start: never in force
                spans.append(InForceSpan(decision, decision.starts_on, last))
        return spans

    def _stops(self) -> dict[str, date]:
        """Each stopped decision's first day out of force: a status record revoking or ending it, or the start of a
        successor replacing it (not refused). A successor later revoked, ended or run out does not bring back what
        it replaced (a shorter successor once did: the old decision was reminded of and printed again)."""
        stops: dict[str, date] = {}
        days = [(s.decision_id, s.on) for s in self.decision_statuses if s.status in ("revoked", "ended")]
        days += [(d.replaces_decision_id, d.starts_on) for d in self.decisions
                 if d.replaces_decision_id and d.starts_on is not None and d.outcome != DecisionOutcome.REFUSED]
        for decision_id, day in days:
            stops[decision_id] = min(day, stops.get(decision_id, day))
        return stops


def consistency_problems(case: Case) -> list[str]:
    """Rules spanning several fields, checked where a case is written from outside (the central system) and at a
    laptop push touching the decisions or their statuses.

    Not a model validator: a pulled case is re-validated one changed field at a time (storage's fast path), which a
    validator over the whole model would turn off for every case. Each problem names its entry's position, never a
    value: decisions and statuses are append-only, so one stored before a rule can never be corrected, and a write
    is refused only for the problems it brings itself (sync.server's checks compare before and after).
    """
    held = {d.id for d in case.decisions}
    problems = [f"decisions/{index}: {problem}"
                for index, decision in enumerate(case.decisions) for problem in _decision_problems(decision, held)]
    # A status about a decision the case does not hold would silently never apply.
    problems += [f"decision_statuses/{index}: a decision status must name a decision of this case"
                 for index, status in enumerate(case.decision_statuses) if status.decision_id not in held]
    return problems


def _decision_problems(decision: Decision, held: set[str]) -> list[str]:
    problems = []
    # A decision ending before it starts is never in force: it would silently drop out of the follow-ups, the
    # internal control and the uppdrag, and print as "2027-01-01 – 2026-01-01". A proposal refuses it (Proposal).
    if decision.starts_on and decision.ends_on and decision.ends_on < decision.starts_on:
        problems.append("a decision's end date is before its start date")
    # FL 31-33 §§: a decision says what it is about and who made it; a blank one printed a beslutsmeddelande with
    # an empty heading and no decision-maker. Blank as a person's name is (``blank_name``): a zero-width space or a
    # lone combining accent passed ``strip()`` and printed just as empty.
    if blank_name(decision.insats_text) or blank_name(decision.decided_by):
        problems.append("a decision must name its insats and who made it")
    # What a decision replaces must be another decision of this case: a dangling reference would silently lose it.
    replaces = decision.replaces_decision_id
    if replaces is not None and (replaces == decision.id or replaces not in held):
        problems.append("a decision can only replace another decision of this case")
    return problems


def can_transition(current: CaseStatus, target: CaseStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[current]


def change_status(
    case: Case, target: CaseStatus, on: date, by: str = "", *, reason: ClosingReason | None = None, note: str = ""
) -> None:
    """Move the case to ``target``, recording the change (a closing with its ``reason``, and ``note`` for "annat");
    raises on a transition the process forbids, and on a closing without a reason, changing nothing."""
    if not can_transition(case.status, target):
        raise InvalidTransition(f"case status cannot go from {case.status.value} to {target.value}")
    if target == CaseStatus.DECIDED and not case.decisions:
        raise InvalidTransition("a case cannot be decided without a decision record")
    if target == CaseStatus.CLOSED and reason is None:
        raise InvalidTransition("a case is closed with a reason")
    problem = closing_reason_problem(target, reason, note)
    if problem:
        raise InvalidTransition(problem)
    closed_from = case.status if target == CaseStatus.CLOSED else None
    case.status = target
    case.status_history.append(
        StatusChange(status=target, on=on, by=by, reason=reason, reason_note=note, closed_from=closed_from))


def closing(case: Case) -> StatusChange | None:
    """The change that closed the case, while it is closed: the history's last entry, when that is the closing (a
    case registered closed by the central system may have none)."""
    if case.status != CaseStatus.CLOSED or not case.status_history:
        return None
    last = case.status_history[-1]
    return last if last.status == CaseStatus.CLOSED else None


def closed_from(case: Case) -> CaseStatus | None:
    """The status a closed case was closed from, which reopening returns it to: as its closing records it, or for a
    closing recorded before it did, the change before it. None when neither says."""
    closed = closing(case)
    if closed is None:
        return None
    if closed.closed_from is not None:
        return closed.closed_from
    before = case.status_history[-2].status if len(case.status_history) >= 2 else None
    return None if before == CaseStatus.CLOSED else before


def reopened(case: Case) -> tuple[StatusChange, StatusChange] | None:
    """The closing and the reopening after it, when the case's last status change opened it again."""
    history = case.status_history
    if len(history) < 2 or history[-2].status != CaseStatus.CLOSED or history[-1].status == CaseStatus.CLOSED:
        return None
    return history[-2], history[-1]
