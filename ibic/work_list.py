"""The "Att göra" work list: every reminder of every open case, most urgent first, each with its reason.

The reminders are those of ``ibic.deadlines`` (the case list's next deadline is the first of them), plus follow-ups
the handläggare planned, which are work to do but not a deadline of the case. Follow-ups of decisions of about
100 hours a month or more are marked: internal control (seed 004) asks for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ibic.cases import Case
from ibic.deadlines import Reminder, ReminderKind, reminders, requires_follow_up, urgency_of
from ibic.limits import in_event_range
from ibic.reference import Rules
from ibic.vocabulary import CaseStatus

# A planned follow-up enters the list this many days ahead: time to book the visit and ask the provider for times.
FOLLOW_UP_NOTICE_DAYS = 14
_FOLLOW_UP_KINDS = (ReminderKind.LARGE_DECISION_FOLLOW_UP, ReminderKind.FOLLOW_UP_PLANNED)


@dataclass(frozen=True)
class WorkItem:
    case_id: str
    case_number: str
    reminder: Reminder
    large: bool  # a follow-up of a decision of about 100 hours a month or more

    @property
    def reason_sv(self) -> str:
        return self.reminder.text_sv


def next_planned_follow_up(case: Case) -> date | None:
    """The earliest follow-up planned and not yet done; what the case list stores to find cases with one due."""
    planned = [f.planned_on for f in case.follow_ups
               if f.done_on is None and f.planned_on is not None and in_event_range(f.planned_on)]
    return min(planned, default=None)


def may_have_work(urgency: int, planned_follow_up: date | None, today: date) -> bool:
    """From a case's stored summary: whether it can have rows, so only those cases need loading. Every reminder
    gives the case an urgency (its next deadline's); a planned follow-up counts from its notice period."""
    return urgency > 0 or (planned_follow_up is not None and (planned_follow_up - today).days <= FOLLOW_UP_NOTICE_DAYS)


def work_items(case: Case, today: date, rules: Rules) -> list[WorkItem]:
    """The work list's rows for one case (none for a closed case)."""
    if case.status == CaseStatus.CLOSED:
        return []
    found = [*reminders(case, today, rules), *_planned_follow_ups(case, today)]
    return [WorkItem(case.id, case.case_number, r, _is_large(case, r, rules)) for r in found]


def work_list(cases: Iterable[Case], today: date, rules: Rules) -> list[WorkItem]:
    """Rows of all ``cases``: overdue first, then soonest due; large follow-ups before others due the same day."""
    items = [item for case in cases for item in work_items(case, today, rules)]
    return sorted(items, key=lambda i: (-i.reminder.urgency, i.reminder.due, not i.large, i.case_number))


def _planned_follow_ups(case: Case, today: date) -> list[Reminder]:
    out = []
    for follow_up in case.follow_ups:
        due = follow_up.planned_on
        if follow_up.done_on is not None or due is None or not in_event_range(due):
            continue
        urgency = urgency_of(due, today, FOLLOW_UP_NOTICE_DAYS)
        if urgency is None:
            continue
        insatser = [d.insats_text for d in map(case.decision, follow_up.decision_ids) if d is not None]
        what = f" av {', '.join(insatser)}" if insatser else ""
        text = f"Uppföljning{what} planerad {due.isoformat()}."
        decision_id = follow_up.decision_ids[0] if follow_up.decision_ids else None
        out.append(Reminder(ReminderKind.FOLLOW_UP_PLANNED, due, urgency, text, decision_id,
                            tuple(follow_up.decision_ids)))
    return out


def _is_large(case: Case, reminder: Reminder, rules: Rules) -> bool:
    if reminder.kind not in _FOLLOW_UP_KINDS:
        return False
    ids = reminder.decision_ids or ((reminder.decision_id,) if reminder.decision_id else ())
    return any((d := case.decision(i)) is not None and requires_follow_up(d, rules) for i in ids)
