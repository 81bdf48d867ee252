"""Deadlines and reminders: expiring decisions, nyprövning, discharge clocks, six months, large decisions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ibic.application import Application, ApplicationItem
from ibic.cases import Case, DischargeContext
from ibic.communication import Communication
from ibic.deadlines import ReminderKind, Urgency, add_months, next_deadline, reminders, requires_follow_up
from ibic.decisions import Decision, Scope
from ibic.follow_up import FollowUp
from ibic.reference import ReferenceData, Rules
from ibic.vocabulary import CaseStatus, CommunicationMethod, DecisionOutcome, ScopeUnit

TODAY = date(2026, 11, 23)
ARISEN = date(2026, 11, 16)  # a case under utredning for a week: its target for a decision not near yet
K = ReminderKind


def decision(
    *,
    ends_on: date | None = None,
    starts_on: date = date(2026, 6, 1),
    decided_on: date = date(2026, 5, 25),
    amount: float = 10,
    unit: ScopeUnit = ScopeUnit.HOURS_PER_MONTH,
    outcome: DecisionOutcome = DecisionOutcome.GRANTED,
) -> Decision:
    return Decision(
        proposal_id="p",
        insats_id="serviceinsatser",
        insats_text="hemtjänst",
        outcome=outcome,
        scope=Scope(amount=amount, unit=unit),
        starts_on=starts_on,
        ends_on=ends_on,
        law_reference_id="sol2025_11_1",
        motivation="Motivering.",
        decided_on=decided_on,
        decided_by="Handläggare Demo",
    )


def case_with(*decisions: Decision, status: CaseStatus = CaseStatus.IMPLEMENTATION, **fields: object) -> Case:
    base = {"person_id": "p", "opened_on": date(2026, 1, 1), "status": status, "decisions": list(decisions)}
    return Case.model_validate({**base, **fields})


def kinds(case: Case, rules: Rules, today: date = TODAY) -> list[tuple[ReminderKind, Urgency]]:
    return [(r.kind, r.urgency) for r in reminders(case, today, rules)]


@pytest.fixture
def rules(ref: ReferenceData) -> Rules:
    return ref.rules


# --- add_months ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 5, 25), 12, date(2027, 5, 25)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


# --- decisions -------------------------------------------------------------------------------------------


def test_decision_ending_within_the_warning_days_is_soon(rules: Rules) -> None:
    ending = decision(ends_on=TODAY + timedelta(days=30))
    found = reminders(case_with(ending), TODAY, rules)
    assert [(r.kind, r.urgency, r.due, r.decision_id) for r in found] == [
        (K.DECISION_EXPIRING, Urgency.SOON, ending.ends_on, ending.id)
    ]
    assert found[0].text_sv == "Beslutet om hemtjänst upphör 2026-12-23."


def test_decision_ending_later_gives_no_reminder(rules: Rules) -> None:
    assert kinds(case_with(decision(ends_on=TODAY + timedelta(days=31))), rules) == []


def test_decision_ending_today_is_still_soon(rules: Rules) -> None:
    assert kinds(case_with(decision(ends_on=TODAY)), rules) == [(K.DECISION_EXPIRING, Urgency.SOON)]


def test_decision_until_further_notice_is_due_for_nyprovning_after_a_year(rules: Rules) -> None:
    alarm = decision(decided_on=date(2025, 12, 10), starts_on=date(2025, 12, 10))
    found = reminders(case_with(alarm), TODAY, rules)
    assert [(r.kind, r.urgency, r.due) for r in found] == [(K.REASSESSMENT_DUE, Urgency.SOON, date(2026, 12, 10))]
    assert "Nyprövning" in found[0].text_sv


def test_a_time_limited_decision_ending_after_the_year_is_due_for_nyprovning_and_its_end(rules: Rules) -> None:
    """Seed 001's "en gång per år" for a decision of three years too; its end is reminded of as before."""
    help_ = decision(decided_on=date(2025, 12, 10), starts_on=date(2025, 12, 10), ends_on=date(2028, 12, 9))
    found = reminders(case_with(help_), TODAY, rules)
    assert [(r.kind, r.urgency, r.due) for r in found] == [(K.REASSESSMENT_DUE, Urgency.SOON, date(2026, 12, 10))]
    assert "tidsbegränsat beslut, upphör 2028-12-09" in found[0].text_sv


def test_a_time_limited_decisions_nyprovning_gives_way_to_its_end_once_that_is_reminded_of(rules: Rules) -> None:
    """One new decision answers both: the end alone, and the case's next deadline is the end in days, not a
    nyprövning overdue for two years (s27-probe showed both, the overdue nyprövning first)."""
    help_ = decision(decided_on=date(2025, 12, 10), starts_on=date(2025, 12, 10), ends_on=date(2028, 12, 9))
    near_the_end = date(2028, 11, 20)
    assert kinds(case_with(help_), rules, near_the_end) == [(K.DECISION_EXPIRING, Urgency.SOON)]
    found = next_deadline(case_with(help_), near_the_end, rules)
    assert found is not None and found.text_sv == "Beslutet om hemtjänst upphör 2028-12-09."


def test_a_time_limited_decisions_nyprovning_is_answered_by_a_successor_decided_early(rules: Rules) -> None:
    """A new decision on the insats, starting when this one ends, made before the end was reminded of: nothing is
    left to do for the old one (s27-probe kept its nyprövning "Försenad" until the end day); the new one's year runs."""
    old = decision(decided_on=date(2024, 10, 1), starts_on=date(2024, 10, 1), ends_on=date(2027, 3, 31))
    assert kinds(case_with(old), rules) == [(K.REASSESSMENT_DUE, Urgency.OVERDUE)]
    successor = decision(decided_on=date(2026, 11, 2), starts_on=date(2027, 4, 1))
    assert kinds(case_with(old, successor), rules) == []


def test_a_time_limited_decision_ending_before_the_year_is_reminded_of_its_end_alone(rules: Rules) -> None:
    """Twelve months and two weeks: the end, reminded of from a month before it, comes first; one reminder."""
    help_ = decision(decided_on=date(2025, 12, 1), starts_on=date(2025, 12, 1), ends_on=date(2026, 12, 14))
    assert kinds(case_with(help_), rules) == [(K.DECISION_EXPIRING, Urgency.SOON)]


def test_nyprovning_overdue_after_the_year(rules: Rules) -> None:
    alarm = decision(decided_on=date(2025, 10, 1), starts_on=date(2025, 10, 1))
    assert kinds(case_with(alarm), rules) == [(K.REASSESSMENT_DUE, Urgency.OVERDUE)]


def test_nyprovning_not_yet_within_warning_days(rules: Rules) -> None:
    alarm = decision(decided_on=date(2026, 1, 10), starts_on=date(2026, 1, 10))
    assert kinds(case_with(alarm), rules) == []


def test_a_done_follow_up_stops_the_nyprovning_reminder(rules: Rules) -> None:
    alarm = decision(decided_on=date(2025, 10, 1), starts_on=date(2025, 10, 1))
    planned = FollowUp(decision_ids=[alarm.id], planned_on=TODAY)
    assert kinds(case_with(alarm, follow_ups=[planned]), rules) == [(K.REASSESSMENT_DUE, Urgency.OVERDUE)]
    done = FollowUp(decision_ids=[alarm.id], done_on=TODAY, how_best_done="Hembesök.")
    assert kinds(case_with(alarm, follow_ups=[done]), rules) == []


def test_nyprovning_falls_due_again_a_year_after_the_last_follow_up(rules: Rules) -> None:
    alarm = decision(decided_on=date(2024, 6, 1), starts_on=date(2024, 6, 1))
    held = FollowUp(decision_ids=[alarm.id], done_on=date(2025, 11, 1), how_best_done="Hembesök.")
    found = reminders(case_with(alarm, follow_ups=[held]), TODAY, rules)
    assert [(r.kind, r.urgency, r.due) for r in found] == [(K.REASSESSMENT_DUE, Urgency.OVERDUE, date(2026, 11, 1))]


def test_a_follow_up_dated_after_today_is_not_held_yet(rules: Rules) -> None:
    alarm = decision(decided_on=date(2025, 10, 1), starts_on=date(2025, 10, 1))
    ahead = FollowUp(decision_ids=[alarm.id], done_on=TODAY + timedelta(days=1), how_best_done="Hembesök.")
    assert kinds(case_with(alarm, follow_ups=[ahead]), rules) == [(K.REASSESSMENT_DUE, Urgency.OVERDUE)]


def test_a_refused_decision_gives_no_reminder(rules: Rules) -> None:
    refused = decision(outcome=DecisionOutcome.REFUSED, decided_on=date(2025, 1, 1))
    assert kinds(case_with(refused), rules) == []


def test_a_closed_case_has_no_reminders(rules: Rules) -> None:
    assert kinds(case_with(decision(ends_on=TODAY), status=CaseStatus.CLOSED), rules) == []


# --- the follow-up duty for large decisions (seed 004) ----------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "required"),
    [
        (100, ScopeUnit.HOURS_PER_MONTH, True),
        (99.9, ScopeUnit.HOURS_PER_MONTH, False),
        (23.1, ScopeUnit.HOURS_PER_WEEK, True),  # 23.1 × 52 / 12 = 100.1
        (23, ScopeUnit.HOURS_PER_WEEK, False),  # 99.7
        (1200, ScopeUnit.HOURS_PER_YEAR, True),
        (1199, ScopeUnit.HOURS_PER_YEAR, False),
        (500, ScopeUnit.OCCASIONS_PER_MONTH, False),
    ],
)
def test_large_decision_duty_from_100_hours_a_month(
    rules: Rules, amount: float, unit: ScopeUnit, required: bool
) -> None:
    assert requires_follow_up(decision(amount=amount, unit=unit), rules) == required


def test_a_large_refusal_needs_no_follow_up(rules: Rules) -> None:
    assert not requires_follow_up(decision(amount=200, outcome=DecisionOutcome.REFUSED), rules)


def test_large_decision_reminder_three_months_after_start(rules: Rules) -> None:
    large = decision(amount=104, starts_on=date(2026, 9, 1), ends_on=date(2027, 8, 31))
    found = reminders(case_with(large), TODAY, rules)
    assert [(r.kind, r.urgency, r.due) for r in found] == [
        (K.LARGE_DECISION_FOLLOW_UP, Urgency.SOON, date(2026, 12, 1))
    ]
    assert "minst 100 timmar per månad" in found[0].text_sv


def test_large_decision_in_hours_per_week_gets_the_reminder(rules: Rules) -> None:
    weekly = decision(amount=24, unit=ScopeUnit.HOURS_PER_WEEK, starts_on=date(2026, 8, 1), ends_on=date(2027, 7, 31))
    assert kinds(case_with(weekly), rules) == [(K.LARGE_DECISION_FOLLOW_UP, Urgency.OVERDUE)]


def test_large_decision_reminder_stops_once_followed_up(rules: Rules) -> None:
    large = decision(amount=104, starts_on=date(2026, 8, 1), ends_on=date(2027, 7, 31))
    done = FollowUp(decision_ids=[large.id], done_on=date(2026, 11, 1), how_person_wants_it="Hemma.")
    assert kinds(case_with(large, follow_ups=[done]), rules) == []
    # Held and left empty: no follow-up in internal control (follow_up_rules.is_done), nor here (s30-hours).
    empty = FollowUp(decision_ids=[large.id], done_on=date(2026, 11, 1))
    due = [(ReminderKind.LARGE_DECISION_FOLLOW_UP, Urgency.OVERDUE)]
    assert kinds(case_with(large, follow_ups=[empty]), rules) == due


def test_a_follow_up_dated_with_nothing_recorded_is_not_held(rules: Rules) -> None:
    """A done date alone is no follow-up made (``follow_up_rules.is_done``, as Kontroll and Internkontroll count it):
    the large decision and the nyprövning stay due (s30-probe: a date alone took both off Att göra)."""
    large = decision(amount=104, decided_on=date(2025, 7, 1), starts_on=date(2025, 7, 1))
    empty = FollowUp(decision_ids=[large.id], done_on=date(2026, 11, 1))
    assert sorted(kinds(case_with(large, follow_ups=[empty]), rules)) == sorted(
        [(K.REASSESSMENT_DUE, Urgency.OVERDUE), (K.LARGE_DECISION_FOLLOW_UP, Urgency.OVERDUE)])


def test_small_decision_gets_no_follow_up_reminder(rules: Rules) -> None:
    small = decision(amount=20, starts_on=date(2026, 8, 1), ends_on=date(2027, 7, 31))
    assert kinds(case_with(small), rules) == []


# --- applications ---------------------------------------------------------------------------------------


def application_case(received_on: date, **fields: object) -> Case:
    application = Application(received_on=received_on, items=[ApplicationItem(insats_id="serviceinsatser")])
    return case_with(status=CaseStatus.INVESTIGATION, application=application, **fields)


def test_application_undecided_for_almost_six_months_warns(rules: Rules) -> None:
    found = reminders(application_case(date(2026, 6, 1)), TODAY, rules)
    assert [(r.kind, r.urgency, r.due) for r in found] == [
        (K.INVESTIGATION_SLOW, Urgency.OVERDUE, date(2026, 7, 1)),
        (K.UNDECIDED_APPLICATION, Urgency.SOON, date(2026, 12, 1)),
    ]
    assert "FL 12 §" in found[1].text_sv


def test_application_undecided_for_six_months_is_overdue(rules: Rules) -> None:
    found = kinds(application_case(date(2026, 5, 22)), rules)
    assert (K.UNDECIDED_APPLICATION, Urgency.OVERDUE) in found


def test_a_fresh_application_only_warns_when_the_target_nears(rules: Rules) -> None:
    assert kinds(application_case(date(2026, 11, 20)), rules) == []
    assert kinds(application_case(date(2026, 10, 31)), rules) == [(K.INVESTIGATION_SLOW, Urgency.SOON)]


def test_an_investigation_with_no_received_day_counts_its_target_from_the_day_the_case_arose(rules: Rules) -> None:
    """No received day typed (Ny ärende asks for none; a case from an orosanmälan has no application): the target
    for a decision runs from the aktualisering, FL 12 §'s six months from nothing (s35-probedocs: no reminder at
    all). Across a month's end and a leap day: 30 days from 2028-01-31 is 2028-03-01."""
    untyped = case_with(status=CaseStatus.INVESTIGATION, opened_on=date(2026, 10, 1))
    assert [(r.kind, r.urgency, r.due) for r in reminders(untyped, TODAY, rules)] == [
        (K.INVESTIGATION_SLOW, Urgency.OVERDUE, date(2026, 10, 31))]
    leap = case_with(status=CaseStatus.ACTUALISED, opened_on=date(2028, 1, 31))
    assert [(r.kind, r.urgency, r.due) for r in reminders(leap, date(2028, 2, 29), rules)] == [
        (K.INVESTIGATION_SLOW, Urgency.SOON, date(2028, 3, 1))]
    assert kinds(case_with(status=CaseStatus.IMPLEMENTATION, opened_on=date(2026, 1, 1)), rules) == []


def test_a_withdrawn_or_decided_application_has_no_clock(rules: Rules) -> None:
    withdrawn = application_case(date(2026, 4, 1))
    withdrawn.application.withdrawn_on = date(2026, 5, 1)
    assert kinds(withdrawn, rules) == []
    decided = application_case(date(2026, 4, 1))
    decided.decisions.append(decision(ends_on=date(2027, 6, 1)))
    assert all(kind != K.UNDECIDED_APPLICATION for kind, _ in kinds(decided, rules))


def test_application_without_received_date_has_no_clock_while_the_case_is_fresh(rules: Rules) -> None:
    """Arisen a week ago: FL 12 § needs an application received, and the target is weeks away (its clock runs from
    the day the case arose, ``test_an_investigation_with_no_received_day_…``)."""
    case = case_with(status=CaseStatus.ACTUALISED, opened_on=ARISEN)
    assert kinds(case, rules) == []


# --- discharge from hospital (lag 2017:612) --------------------------------------------------------------


def discharge_case(ready: date, **discharge: object) -> Case:
    return case_with(
        status=CaseStatus.INVESTIGATION,
        opened_on=ARISEN,
        discharge=DischargeContext.model_validate({"ready_for_discharge_on": ready, **discharge}),
    )


def test_discharge_starts_the_sip_and_payment_clocks(rules: Rules) -> None:
    found = reminders(discharge_case(TODAY), TODAY, rules)
    assert [(r.kind, r.urgency, r.due) for r in found] == [
        (K.DISCHARGE_SIP, Urgency.SOON, date(2026, 11, 26)),
        (K.DISCHARGE_PAYMENT, Urgency.SOON, date(2026, 11, 26)),
    ]
    assert "2026-11-26" in found[1].text_sv


def test_discharge_clocks_overdue_after_three_days(rules: Rules) -> None:
    assert kinds(discharge_case(date(2026, 11, 19)), rules) == [
        (K.DISCHARGE_SIP, Urgency.OVERDUE),
        (K.DISCHARGE_PAYMENT, Urgency.OVERDUE),
    ]


def test_sip_meeting_held_stops_the_sip_clock_only(rules: Rules) -> None:
    assert kinds(discharge_case(TODAY, sip_meeting_on=TODAY), rules) == [(K.DISCHARGE_PAYMENT, Urgency.SOON)]


def test_discharged_person_has_no_discharge_clocks(rules: Rules) -> None:
    assert kinds(discharge_case(date(2026, 11, 19), discharged_on=TODAY), rules) == []


def test_no_ready_notice_no_discharge_clocks(rules: Rules) -> None:
    case = case_with(status=CaseStatus.INVESTIGATION, opened_on=ARISEN,
                     discharge=DischargeContext(admission_notice_on=TODAY))
    assert kinds(case, rules) == []


# --- kommunicering --------------------------------------------------------------------------------------


def test_reply_time_after_communication_is_reminded_near_its_end(rules: Rules) -> None:
    done = Communication(done_on=date(2026, 11, 11), method=CommunicationMethod.LETTER)
    found = reminders(case_with(status=CaseStatus.INVESTIGATION, opened_on=ARISEN, communication=done), TODAY, rules)
    assert [(r.kind, r.urgency, r.due) for r in found] == [(K.COMMUNICATION_REPLY, Urgency.SOON, date(2026, 11, 25))]


def test_an_explicit_reply_date_wins_and_an_answer_stops_the_clock(rules: Rules) -> None:
    explicit = Communication(done_on=date(2026, 11, 1), method=CommunicationMethod.LETTER, reply_by=date(2026, 11, 25))
    case = case_with(status=CaseStatus.INVESTIGATION, opened_on=ARISEN, communication=explicit)
    # Without reply_by the due day would be 2026-11-15 (overdue); the explicit date is what counts.
    assert [(r.due, r.urgency) for r in reminders(case, TODAY, rules)] == [(date(2026, 11, 25), Urgency.SOON)]
    case.communication.response = "Inga synpunkter."
    assert kinds(case, rules) == []


# --- ordering -------------------------------------------------------------------------------------------


def test_most_urgent_first_then_earliest(rules: Rules) -> None:
    case = discharge_case(TODAY)
    case.decisions.append(decision(ends_on=TODAY + timedelta(days=2)))
    case.decisions.append(decision(decided_on=date(2025, 10, 1), starts_on=date(2025, 10, 1)))
    assert [(r.kind, r.urgency) for r in reminders(case, TODAY, rules)] == [
        (K.REASSESSMENT_DUE, Urgency.OVERDUE),
        (K.DECISION_EXPIRING, Urgency.SOON),
        (K.DISCHARGE_SIP, Urgency.SOON),
        (K.DISCHARGE_PAYMENT, Urgency.SOON),
    ]
    top = next_deadline(case, TODAY, rules)
    assert top is not None and top.kind == K.REASSESSMENT_DUE


def test_no_reminders_means_no_next_deadline(rules: Rules) -> None:
    assert next_deadline(case_with(), TODAY, rules) is None


def test_a_time_limited_decision_that_ran_out_stays_overdue_until_a_new_decision(rules: Rules) -> None:
    """On main the reminder went the day after the end: only decisions in force were looked at."""
    ended = decision(ends_on=TODAY - timedelta(days=1))
    case = case_with(ended)
    [reminder] = reminders(case, TODAY, rules)
    assert (reminder.kind, reminder.urgency, reminder.due) == (K.DECISION_EXPIRING, Urgency.OVERDUE, ended.ends_on)
    assert reminder.text_sv == (
        f"Beslutet om hemtjänst upphörde {TODAY - timedelta(days=1)} och inget nytt beslut har fattats.")
    renewed = decision(starts_on=TODAY, decided_on=TODAY - timedelta(days=3), ends_on=TODAY + timedelta(days=300))
    assert [r.kind for r in reminders(case_with(ended, renewed), TODAY, rules)] == []
    refused = decision(decided_on=TODAY, outcome=DecisionOutcome.REFUSED)
    assert reminders(case_with(ended, refused), TODAY, rules) == [], "a refusal is a new decision too"


def test_a_replaced_decision_stays_replaced_after_its_successor_ran_out(rules: Rules) -> None:
    """A decision replaced (``replaces_decision_id``) by a shorter one did not come back in force when its successor
    ended: on s20-probe its own end was reminded of again, it printed in the uppdrag and was followed up, while the
    lapse of the successor was reported beside it."""
    old = decision(starts_on=date(2026, 1, 1), decided_on=date(2025, 12, 20), ends_on=date(2026, 12, 10))
    new = decision(starts_on=date(2026, 3, 1), decided_on=date(2026, 2, 20), ends_on=date(2026, 10, 31), amount=20)
    new = new.model_copy(update={"replaces_decision_id": old.id})
    case = case_with(old, new)
    assert case.decisions_in_force(date(2026, 2, 28)) == [old], "replaced only from the day its successor starts"
    assert case.decisions_in_force(date(2026, 6, 1)) == [new]
    assert case.decisions_in_force(TODAY) == []
    [reminder] = reminders(case, TODAY, rules)
    assert (reminder.decision_id, reminder.urgency, reminder.due) == (new.id, Urgency.OVERDUE, new.ends_on)


def test_a_lapse_answered_by_a_decision_on_another_insats_is_not_overdue(rules: Rules) -> None:
    """A korttidsvistelse ends as planned and the person goes home with hemtjänst; a hemtjänst ends as the person moves
    to a boende: a decision made when the end was reminded of answers it, whatever its insats. On s20-probe the
    lapse stayed overdue until a new decision on the same insats, which never comes: the case was red for good
    unless it was closed (a handläggare cannot record an "ended" status)."""
    ended = TODAY - timedelta(days=1)
    stay = decision(starts_on=TODAY - timedelta(days=20), decided_on=TODAY - timedelta(days=21), ends_on=ended)
    stay = stay.model_copy(update={"insats_id": "korttidsvistelse", "insats_text": "korttidsvistelse"})
    home = decision(starts_on=TODAY, decided_on=TODAY - timedelta(days=4), ends_on=TODAY + timedelta(days=180))
    assert reminders(case_with(stay, home), TODAY, rules) == []
    earlier = decision(starts_on=TODAY - timedelta(days=60), decided_on=stay.decided_on - timedelta(days=30),
                       ends_on=TODAY + timedelta(days=180))
    earlier = earlier.model_copy(update={"insats_id": "trygghetslarm", "insats_text": "trygghetslarm"})
    [reminder] = reminders(case_with(stay, earlier), TODAY, rules)
    assert (reminder.decision_id, reminder.urgency) == (stay.id, Urgency.OVERDUE), "made before the reminder began"
