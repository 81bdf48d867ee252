"""What a reminder is, and a row of the "Att göra" list: plain Python, no models.

The rules that make them live in ``ibic.deadlines`` and ``ibic.work_list`` (which read the case's models); the case
list reads stored reminders with these alone, so the unlocked list imports no pydantic (docs/architecture.md,
"Steady memory after unlock").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from ibic.messages import Message


class ReminderKind(StrEnum):
    DECISION_EXPIRING = "decision_expiring"
    REASSESSMENT_DUE = "reassessment_due"
    UNDECIDED_APPLICATION = "undecided_application"
    INVESTIGATION_SLOW = "investigation_slow"
    DISCHARGE_SIP = "discharge_sip"
    DISCHARGE_PAYMENT = "discharge_payment"
    COMMUNICATION_REPLY = "communication_reply"
    LARGE_DECISION_FOLLOW_UP = "large_decision_follow_up"
    # Only in the work list (ibic.work_list): a follow-up the handläggare planned is not a deadline of the case.
    FOLLOW_UP_PLANNED = "follow_up_planned"
    # Only in the work list, from the listing (ibic.work_list.held_elsewhere): a new case for a person whose
    # decisions in another case are in force (seed 001, a follow-up after a larger change).
    DECISIONS_HELD = "decisions_held"


class Urgency(IntEnum):
    """Ordering for the case list's colour: later members are more urgent."""

    UPCOMING = 1
    SOON = 2
    OVERDUE = 3


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    due: date
    urgency: Urgency
    reason: Message  # shown in the interface's language (ibic.messages)
    decision_id: str | None = None

    @property
    def text_sv(self) -> str:
        return self.reason.sv


@dataclass(frozen=True)
class WorkItem:
    case_id: str
    case_number: str
    reminder: Reminder
    large: bool  # a follow-up of a decision of about 100 hours a month or more

    @property
    def reason(self) -> Message:
        return self.reminder.reason

    @property
    def reason_sv(self) -> str:
        return self.reminder.text_sv


def order_key(urgency: int, due: date, large: bool, case_number: str) -> tuple[int, date, bool, str]:
    """The work list's order: overdue first, then soonest due; large follow-ups before others due the same day."""
    return (-urgency, due, not large, case_number)


def months_later(day: date, months: int) -> date:
    """Calendar months later, clamped to the month's last day (31 jan + 1 month = 28/29 feb); ``deadlines.add_months``
    checks the day's range first. Here, plain, for the listing's reminders (``ibic.granted_hours``)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def urgency_of(due: date, today: date, warn_days: int) -> Urgency | None:
    """OVERDUE before ``today``, SOON within ``warn_days`` of it, else None (not yet worth a reminder)."""
    if due < today:
        return Urgency.OVERDUE
    if (due - today).days <= warn_days:
        return Urgency.SOON
    return None
