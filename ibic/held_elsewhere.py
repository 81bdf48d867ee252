"""A new case for a person whose decisions in another case are in force (seed 001: "Uppföljning sker efter att en
större förändring skett, t ex i samband med sjukhusvistelse").

A case still being started (aktualiserad, under utredning) names those decisions, in Ny ärende and in the work
list, and proposes a follow-up of them; the handläggare decides, and nothing is changed by it. Plain Python: the
unlocked case list builds its rows without pydantic (the decisions in force are read from each case's summary,
``ibic.work_list.held_insatser``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ibic.messages import Message, Term, message
from ibic.reminders import Reminder, ReminderKind, Urgency
from ibic.vocabulary import CaseStatus

NEW_CASE_STATUSES = frozenset({CaseStatus.ACTUALISED, CaseStatus.INVESTIGATION})
# (case number, [(insats id, Swedish wording, English name), ...]) for each other case with decisions in force
Held = Iterable[tuple[str, Iterable[tuple[str, str, str]]]]


def held_elsewhere(others: Held) -> Message | None:
    """What a new case says of the person's decisions in force in their other cases; None when there are none."""
    parts = []
    for number, held in others:
        names = [(sv, en or sv) for _insats, sv, en in held]
        if names:
            parts.append(Term(f"{', '.join(sv for sv, _ in names)} (ärende {number})",
                              f"{', '.join(en for _, en in names)} (case {number})"))
    if not parts:
        return None
    return message("The person has decisions in force: %1. Propose a follow-up of them after the change (a stay "
                   "in hospital, needs grown for a time); you decide, nothing is changed by this.",
                   Term("; ".join(p.sv for p in parts), "; ".join(p.en for p in parts)))


def held_elsewhere_reminder(status: CaseStatus, today: date, others: Held) -> Reminder | None:
    """The work list's row for a new case of a person with decisions in force elsewhere: due today, upcoming."""
    if status not in NEW_CASE_STATUSES:
        return None
    reason = held_elsewhere(others)
    return None if reason is None else Reminder(ReminderKind.DECISIONS_HELD, today, Urgency.UPCOMING, reason)
