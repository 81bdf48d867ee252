"""The "Att göra" work list's rules: which reminders, in which order, which follow-ups are marked large."""

from __future__ import annotations

from datetime import date, timedelta

from test_deadlines import case_with, decision

from ibic.application import Application, ApplicationItem
from ibic.cases import DischargeContext
from ibic.deadlines import ReminderKind, Urgency
from ibic.follow_up import FollowUp
from ibic.reference import ReferenceData
from ibic.vocabulary import CaseStatus, ScopeUnit
from ibic.work_list import FOLLOW_UP_NOTICE_DAYS, work_items, work_list

TODAY = date(2026, 11, 23)
K = ReminderKind


def test_every_kind_of_work_is_listed_most_urgent_first_with_a_swedish_reason(ref: ReferenceData) -> None:
    rules = ref.rules
    expiring = case_with(decision(ends_on=TODAY + timedelta(days=20)), case_number="A-3")
    yearly = case_with(decision(decided_on=date(2025, 10, 1), starts_on=date(2025, 10, 1)), case_number="A-2")
    large = decision(amount=120, starts_on=date(2026, 7, 1))
    followed = case_with(large, case_number="A-1",
                         follow_ups=[FollowUp(decision_ids=[large.id], planned_on=TODAY + timedelta(days=5))])
    small = decision(amount=10)
    planned_small = case_with(small, case_number="A-5",
                              follow_ups=[FollowUp(decision_ids=[small.id], planned_on=TODAY + timedelta(days=5))])
    applied = case_with(status=CaseStatus.INVESTIGATION, case_number="A-4", application=Application(
        received_on=TODAY - timedelta(days=170), items=[ApplicationItem(insats_id="trygghetslarm")]))
    discharge = case_with(status=CaseStatus.INVESTIGATION, case_number="A-6",
                          discharge=DischargeContext(ready_for_discharge_on=TODAY - timedelta(days=1)))
    closed = case_with(decision(ends_on=TODAY), status=CaseStatus.CLOSED, case_number="A-7")
    rows = work_list([expiring, yearly, followed, planned_small, applied, discharge, closed], TODAY, rules)
    seen = [(r.case_number, r.reminder.kind, r.large) for r in rows]
    assert ("A-3", K.DECISION_EXPIRING, False) in seen
    assert ("A-2", K.REASSESSMENT_DUE, False) in seen
    assert ("A-1", K.LARGE_DECISION_FOLLOW_UP, True) in seen and ("A-1", K.FOLLOW_UP_PLANNED, True) in seen
    assert ("A-5", K.FOLLOW_UP_PLANNED, False) in seen
    assert ("A-4", K.UNDECIDED_APPLICATION, False) in seen and ("A-4", K.INVESTIGATION_SLOW, False) in seen
    assert {("A-6", K.DISCHARGE_SIP, False), ("A-6", K.DISCHARGE_PAYMENT, False)} <= set(seen)
    assert all(r.case_number != "A-7" for r in rows)
    order = [(-r.reminder.urgency, r.reminder.due) for r in rows]
    assert order == sorted(order)
    assert rows[0].reminder.urgency == Urgency.OVERDUE
    planned = next(r for r in rows if r.case_number == "A-1" and r.reminder.kind == K.FOLLOW_UP_PLANNED)
    assert planned.reason_sv == f"Uppföljning av hemtjänst planerad {(TODAY + timedelta(days=5)).isoformat()}."
    assert all(r.reason_sv and r.reason_sv[0].isupper() for r in rows)


def test_a_large_follow_up_comes_before_another_due_the_same_day(ref: ReferenceData) -> None:
    day = TODAY + timedelta(days=3)
    big, small = decision(amount=25, unit=ScopeUnit.HOURS_PER_WEEK), decision(amount=5)
    cases = [case_with(d, case_number=n, follow_ups=[FollowUp(decision_ids=[d.id], planned_on=day)])
             for d, n in ((small, "B-1"), (big, "B-2"))]
    rows = [r for r in work_list(cases, TODAY, ref.rules) if r.reminder.kind == K.FOLLOW_UP_PLANNED]
    assert [(r.case_number, r.large) for r in rows] == [("B-2", True), ("B-1", False)]


def test_a_follow_up_enters_the_list_at_its_notice_period_and_leaves_when_done(ref: ReferenceData) -> None:
    alarm = decision(decided_on=date(2026, 10, 1), starts_on=date(2026, 10, 1))
    at_notice = FollowUp(decision_ids=[alarm.id], planned_on=TODAY + timedelta(days=FOLLOW_UP_NOTICE_DAYS))
    later = FollowUp(decision_ids=[alarm.id], planned_on=TODAY + timedelta(days=FOLLOW_UP_NOTICE_DAYS + 1))
    assert [r.reminder.urgency for r in work_items(case_with(alarm, follow_ups=[at_notice]), TODAY, ref.rules)] == [
        Urgency.SOON]
    assert work_items(case_with(alarm, follow_ups=[later]), TODAY, ref.rules) == []
    done = FollowUp(decision_ids=[alarm.id], planned_on=TODAY, done_on=TODAY)
    assert work_items(case_with(alarm, follow_ups=[done]), TODAY, ref.rules) == []
