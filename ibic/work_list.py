"""The "Att göra" work list: every reminder of every open case, most urgent first, each with its reason.

The reminders are those of ``ibic.deadlines`` (the case list's next deadline is the first of them), plus follow-ups
the handläggare planned, which are work to do but not a deadline of the case. Follow-ups of decisions of about
100 hours a month or more are marked: internal control (seed 004) asks for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from ibic.cases import Case, InForceSpan
from ibic.deadlines import followed_on, reminders, requires_follow_up, urgency_of
from ibic.decisions import Decision, insats_name
from ibic.granted_hours import HoursSpan, hours_spans
from ibic.limits import in_event_range
from ibic.messages import Term, message
from ibic.reference import Rules
from ibic.reminders import Reminder, ReminderKind, WorkItem, order_key
from ibic.vocabulary import CaseStatus

# A planned follow-up enters the list this many days ahead: time to book the visit and ask the provider for times.
FOLLOW_UP_NOTICE_DAYS = 14


class DayColumns(NamedTuple):
    """What the case list's summary keeps of a case for a day (``storage.repositories.cases.case_summary``): its
    work (``work_reminders``), its decisions in force (``held_insatser``) and its hours in force (``hours_spans``)."""

    work: list[tuple[Reminder, bool]]
    held: list[tuple[str, str, str]]
    hours: list[HoursSpan]


def day_columns(case: Case, today: date, rules: Rules) -> DayColumns:
    """A case's ``DayColumns`` for ``today``, each follow-up held read once for the reminders and the hours (the
    summary once read them twice, s30's read-back), and the decisions' days in force built once for all three (the
    day's refresh built them three times a case, s31's read-back)."""
    followed, spans = followed_on(case, today), case.in_force_spans()
    return DayColumns(work_reminders(case, today, rules, followed, spans), held_insatser(case, today, spans),
                      hours_spans(case, today, followed, spans))


def work_reminders(case: Case, today: date, rules: Rules, followed: dict[str, date] | None = None,
                   spans: list[InForceSpan] | None = None) -> list[tuple[Reminder, bool]]:
    """A case's work as (reminder, large follow-up), none for a closed case. Reads only what the case list's
    summary may read (storage computes it once a day per case, so the list never loads whole cases); ``followed``
    and ``spans`` as ``deadlines.reminders``'."""
    if case.status == CaseStatus.CLOSED:
        return []
    return [*((r, _is_large(case, r, rules)) for r in reminders(case, today, rules, followed, spans)),
            *_planned_follow_ups(case, today, rules)]


def work_items(case: Case, today: date, rules: Rules) -> list[WorkItem]:
    """The work list's rows for one case."""
    return [WorkItem(case.id, case.case_number, r, large) for r, large in work_reminders(case, today, rules)]


def ordered(items: Iterable[WorkItem]) -> list[WorkItem]:
    """The items in the work list's order (``order_key``)."""
    return sorted(items, key=lambda i: order_key(i.reminder.urgency, i.reminder.due, i.large, i.case_number))


def work_list(cases: Iterable[Case], today: date, rules: Rules) -> list[WorkItem]:
    """Rows of all ``cases``, in the work list's order."""
    return ordered(item for case in cases for item in work_items(case, today, rules))


def _planned_follow_ups(case: Case, today: date, rules: Rules) -> list[tuple[Reminder, bool]]:
    out = []
    for follow_up in case.follow_ups:
        due = follow_up.planned_on
        held = follow_up.done_on is not None and follow_up.done_on <= today  # a done date ahead is not held yet
        if held or due is None or not in_event_range(due):
            continue
        urgency = urgency_of(due, today, FOLLOW_UP_NOTICE_DAYS)
        if urgency is None:
            continue
        decisions = [d for d in map(case.decision, follow_up.decision_ids) if d is not None]
        text = (message("Follow-up of %1 planned for %2.", _names(decisions), due) if decisions
                else message("Follow-up planned for %1.", due))
        large = any(requires_follow_up(d, rules) for d in decisions)
        first = decisions[0].id if decisions else None
        out.append((Reminder(ReminderKind.FOLLOW_UP_PLANNED, due, urgency, text, first), large))
    return out


def _names(decisions: list[Decision]) -> Term:
    names = [insats_name(d.insats_id, d.insats_text) for d in decisions]
    return Term(", ".join(n.sv for n in names), ", ".join(n.text("en") for n in names))


def _is_large(case: Case, reminder: Reminder, rules: Rules) -> bool:
    if reminder.kind != ReminderKind.LARGE_DECISION_FOLLOW_UP or reminder.decision_id is None:
        return False
    decision = case.decision(reminder.decision_id)
    return decision is not None and requires_follow_up(decision, rules)


def held_insatser(case: Case, today: date, spans: list[InForceSpan] | None = None) -> list[tuple[str, str, str]]:
    """(catalogue id or "", Swedish wording, English name) of each decision of ``case`` in force on ``today``: what
    the listing keeps of a case to tell a new case of the same person (``ibic.held_elsewhere``); ``spans``:
    ``case.in_force_spans()`` where the caller has them already."""
    if case.status == CaseStatus.CLOSED:
        return []
    held = []
    for decision in case.decisions_in_force(today, spans):
        name = insats_name(decision.insats_id, decision.insats_text)
        held.append((decision.insats_id or "", name.sv, name.text("en")))
    return held
