"""The small case actions shared by screens: new case, proposals per item, consent withdrawal, follow-up start."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ibic.case_actions import (
    ensure_proposals,
    follow_up_record_refusal,
    new_case,
    parse_participants,
    provider_contact,
    start_follow_up,
    underlag_permission,
    withdraw_consent,
)
from ibic.cases import Case, change_status
from ibic.consent import Consent
from ibic.decisions import DecisionStatusEntry
from ibic.demo import demo_cases, demo_people
from ibic.errors import RefusalNotWithdrawn
from ibic.reference import ReferenceData
from ibic.vocabulary import (
    Applicant,
    CaseOrigin,
    CaseStatus,
    ClosingReason,
    ConsentForm,
    ConsentRecipient,
    DecisionOutcome,
    DecisionStatusKind,
    FollowUpTrigger,
    ScopeUnit,
)

TODAY = date(2026, 11, 23)


def test_a_new_case_starts_actualised_with_history_and_a_local_number() -> None:
    person = demo_people()[0]
    case = new_case(person, origin=CaseOrigin.HOSPITAL, applicant=Applicant.PERSON, opened_on=TODAY,
                    caseworker="Handläggare", unit="Enheten")
    assert case.status == CaseStatus.ACTUALISED
    assert [(s.status, s.on) for s in case.status_history] == [(CaseStatus.ACTUALISED, TODAY)]
    assert case.case_number == f"L-2026-{case.id[:6].upper()}"


def test_every_applied_item_gets_one_proposal_with_the_usual_unit(ref: ReferenceData) -> None:
    _, cases = demo_cases(TODAY)
    case = cases[0]
    proposals = ensure_proposals(case, ref)
    assert [p.application_item_id for p in proposals] == [i.id for i in case.application.items]
    assert proposals[1].scope.unit == ScopeUnit.UNTIL_FURTHER_NOTICE  # trygghetslarm
    assert ensure_proposals(case, ref) == proposals, "calling again adds nothing"
    assert len(case.proposals) == 2


def test_withdrawing_a_consent_never_dates_it_before_it_was_given() -> None:
    consent = Consent(recipient=ConsentRecipient.RELATIVE, form=ConsentForm.ORAL, given_on=TODAY)
    withdraw_consent(consent, date(2026, 11, 1))
    assert consent.withdrawn_on == TODAY
    withdraw_consent(consent, date(2026, 12, 24))
    assert consent.withdrawn_on == TODAY, "a withdrawal is recorded once"


def test_a_refusal_is_not_withdrawn() -> None:
    refusal = Consent(recipient=ConsentRecipient.RELATIVE, form=ConsentForm.ORAL, given=False, given_on=TODAY)
    with pytest.raises(RefusalNotWithdrawn):
        withdraw_consent(refusal, TODAY)
    assert refusal.withdrawn_on is None


def test_a_follow_up_covers_the_decisions_in_force_and_the_goals() -> None:
    _, cases = demo_cases(TODAY)
    case = cases[2]
    case.investigation.assessments[:0] = []
    follow_up = start_follow_up(case, today=TODAY, trigger=FollowUpTrigger.PROVIDER, planned_on=None)
    assert follow_up.decision_ids == [d.id for d in case.decisions]
    assert follow_up.trigger == FollowUpTrigger.PROVIDER


def test_a_follow_up_record_needs_a_follow_up_and_says_so() -> None:
    _, cases = demo_cases(TODAY)
    case = cases[2]
    case.follow_ups = []
    refusal = follow_up_record_refusal(case)
    assert refusal is not None and refusal.sv == "Lägg först till en uppföljning: det finns ingen att skriva ut."
    case.follow_ups.append(start_follow_up(case, today=TODAY, trigger=FollowUpTrigger.PROVIDER, planned_on=None))
    assert follow_up_record_refusal(case) is None


def test_participants_are_read_one_per_line() -> None:
    parsed = parse_participants("Tolvan Tolvansson – den enskilde\n\nDottern - anhörig\nSjuksköterska")
    assert [(p.name, p.role) for p in parsed] == [("Tolvan Tolvansson", "den enskilde"), ("Dottern", "anhörig"),
                                                  ("Sjuksköterska", "")]


def test_a_follow_up_once_the_decision_ran_out_follows_the_decisions_that_ended_last() -> None:
    """None in force: the decision that ran out last (not an older one, not a revoked one, not an avslag); on main
    the follow-up followed nothing (s25-probe; UI: test_follow_up_of_a_lapsed_decision.py)."""
    case = demo_cases(TODAY)[1][2]
    first = case.decisions[0]
    older = first.model_copy(update={"id": "older", "ends_on": TODAY - timedelta(days=200)})
    last = first.model_copy(update={"id": "last", "ends_on": TODAY - timedelta(days=5)})
    revoked = first.model_copy(update={"id": "revoked", "ends_on": TODAY - timedelta(days=1)})
    refused = first.model_copy(update={"id": "refused", "outcome": DecisionOutcome.REFUSED, "starts_on": None,
                                       "ends_on": TODAY - timedelta(days=1)})
    case.decisions = [older, last, revoked, refused]
    case.decision_statuses = [DecisionStatusEntry(decision_id="revoked", status=DecisionStatusKind.REVOKED,
                                                  on=TODAY - timedelta(days=3))]
    follow_up = start_follow_up(case, today=TODAY, trigger=FollowUpTrigger.CASEWORKER, planned_on=None)
    assert follow_up.decision_ids == ["last"]


def test_a_case_stored_before_no_applicant_could_be_keeps_the_person_and_a_null_stays_no_one() -> None:
    """s29-probe2: ``Case.applicant`` may be None (a case from a report); a case stored without the field, as every
    case before, reads as the person applied, and one stored with no applicant reads back with none."""
    stored = Case(person_id="p1", opened_on=date(2026, 1, 5)).model_dump(mode="json")
    del stored["applicant"]
    assert Case.model_validate(stored).applicant == Applicant.PERSON
    stored["applicant"] = None
    assert Case.model_validate(stored).applicant is None


def test_a_closed_case_gives_the_utforare_nothing_though_the_person_signed() -> None:
    """Seed 001's chosen utförare is covered while the person uses it; a closed case (died, moved away) has no
    follow-up nor uppdrag to send (s30-probe; UI: test_closed_case_provider.py)."""
    case = demo_cases(TODAY)[1][2]
    assert case.application.signed_by_person and provider_contact(case, TODAY).allowed
    change_status(case, CaseStatus.CLOSED, TODAY, "Handläggare Test", reason=ClosingReason.DIED)
    permission = provider_contact(case, TODAY)
    assert not permission.allowed
    assert permission.reason.sv.startswith("Ärendet är avslutat")


def test_no_utforare_chosen_is_given_no_uppdrag_nor_asked_for_underlag() -> None:
    """The signature, or a consent "to the utförare" naming none, covers no one while no utförare is chosen
    (s35-probedocs; UI: test_uppdrag_without_utforare.py): the reason names what is missing."""
    case = demo_cases(TODAY)[1][2]
    case.consents.append(Consent(recipient=ConsentRecipient.PROVIDER, form=ConsentForm.ORAL, given_on=TODAY))
    case.chosen_provider = "  "
    permission = provider_contact(case, TODAY)
    assert not permission.allowed and permission.reason.sv.startswith("Ingen utförare är vald för ärendet")
    follow_up = start_follow_up(case, today=TODAY, trigger=FollowUpTrigger.CASEWORKER, planned_on=None)
    assert underlag_permission(case, follow_up, TODAY) == permission


def test_the_utforare_is_asked_for_underlag_only_about_a_decision() -> None:
    """A follow-up of no decision (a case under utredning) asks the utförare nothing, covered or not (s30-probe;
    UI: test_underlag_without_decision.py); one of a decision in force follows provider_contact's rule."""
    case = demo_cases(TODAY)[1][2]
    follow_up = start_follow_up(case, today=TODAY, trigger=FollowUpTrigger.CASEWORKER, planned_on=None)
    assert follow_up.decision_ids and underlag_permission(case, follow_up, TODAY).allowed
    undecided = case.model_copy(update={"decisions": [], "decision_statuses": []})
    nothing = start_follow_up(undecided, today=TODAY, trigger=FollowUpTrigger.CASEWORKER, planned_on=None)
    permission = underlag_permission(undecided, nothing, TODAY)
    assert not permission.allowed and permission.reason.sv.startswith("Uppföljningen följer inget beslut")


def test_an_application_day_ahead_of_today_or_before_the_birth_is_refused() -> None:
    from ibic.case_actions import received_on_problem
    from ibic.personal_number import birth_date_of

    today = date(2026, 12, 7)
    born = birth_date_of("191212121212", today=today)
    assert born == date(1912, 12, 12)
    assert received_on_problem(None, born=born, today=today) is None
    assert received_on_problem(today, born=born, today=today) is None
    assert received_on_problem(born, born=born, today=today) is None
    ahead = received_on_problem(date(2026, 12, 8), born=born, today=today)
    assert ahead is not None and "after today" in ahead.en
    before = received_on_problem(date(1912, 12, 11), born=born, today=today)
    assert before is not None and "before the person was born" in before.en
    # A number the laptop cannot read (from the central system) gives no birth: only the rule on today is left.
    assert birth_date_of("", today=today) is None
    assert received_on_problem(date(1900, 1, 1), born=None, today=today) is None
