"""Hours granted to a person in force on a day, summed over every decision in every case (seed 004's internal
control: "beslut om cirka 100 timmar per månad eller mer följs upp").

One rule for Rapporter → Internkontroll (``reports.internal_control``) and the "Att göra" list: on s29-probe the work
list reminded of a decision only when it alone reached the threshold, so 70 + 35 h in two cases was listed by the
report as due and reminded of by nothing. A case's decisions with time are kept as spans (first and last day in
force, as ``Case.decisions_in_force`` tells them), small enough to be stored with the case's summary, so the work
list sums a person's cases without loading them. Plain Python at import (no models, no pydantic): the unlocked
case list reads the stored spans with this module alone (docs/architecture.md, "Steady memory after unlock").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ibic.messages import Number, Term, message
from ibic.reminders import Reminder, ReminderKind, months_later, urgency_of

if TYPE_CHECKING:
    from ibic.cases import Case, InForceSpan
    from ibic.reference import Rules


@dataclass(frozen=True)
class HoursSpan:
    """One decision's granted time a month and the days it is in force (``until`` None: no last day)."""

    decision_id: str
    insats: Term
    starts_on: date
    until: date | None
    hours: float
    followed_on: date | None = None  # its latest follow-up held (``deadlines.followed_on``)

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.until is None or day <= self.until)


class ControlRule(NamedTuple):
    """Seed 004's numbers as ``rules.toml [follow_up]`` and ``[deadlines]`` give them, kept with each case's stored
    spans so the listing judges them without loading the reference data's models."""

    hours_per_month: float
    follow_up_months: int
    reminder_days: int


def control_rule(rules: Rules) -> ControlRule:
    return ControlRule(rules.follow_up.large_decision_hours_per_month,
                       rules.follow_up.large_decision_follow_up_months, rules.deadlines.decision_expiry_reminder_days)


def reaches(hours: float, threshold: float) -> bool:
    """At or over the threshold; relative room for float sums (60 + 40 is 100), never absolute: "+ 1e-9" once let a
    threshold below it select a person with no granted time at all."""
    return hours >= threshold or math.isclose(hours, threshold, rel_tol=1e-9)


def hours_spans(case: Case, today: date, followed: dict[str, date] | None = None,
                spans: list[InForceSpan] | None = None) -> list[HoursSpan]:
    """The case's decisions with time in hours (weekly and yearly scopes converted), each with the days it is in
    force by ``Case.in_force_spans``, the rule of ``Case.decisions_in_force`` (this once restated it), and its latest
    follow-up held by ``today`` (``followed``: ``deadlines.followed_on``, and ``spans``: ``case.in_force_spans()``,
    where the caller has them already)."""
    from ibic.deadlines import followed_on  # the models: only where a whole case is at hand (its summary, a report)
    from ibic.decisions import insats_name

    if followed is None:
        followed = followed_on(case, today)  # as the report counts a follow-up made: is_made_by
    found = []
    for in_force_span in case.in_force_spans() if spans is None else spans:  # decisions_in_force's own rule
        decision = in_force_span.decision
        hours = decision.scope.hours_per_month()
        if hours is not None:
            found.append(HoursSpan(decision.id, insats_name(decision.insats_id, decision.insats_text),
                                   in_force_span.first, in_force_span.last, hours, followed.get(decision.id)))
    return found


def in_force(spans: list[HoursSpan], day: date) -> tuple[list[HoursSpan], float]:
    """The spans in force on ``day`` and their hours a month together."""
    counting = [s for s in spans if s.in_force_on(day)]
    return counting, sum(s.hours for s in counting)


def reached_on(spans: list[HoursSpan], today: date, threshold: float) -> date | None:
    """The first day of the stretch up to ``today`` over which the person's sum has stayed at or over the threshold;
    None when it is under it today. The sum changes only where a span starts or the day after one ends. The one rule of
    the day the sum reached the threshold: Att göra asks it of today, Rapporter → Internkontroll of the period's first
    day at the threshold (``first_reached``)."""
    _counting, hours = in_force(spans, today)
    if not reaches(hours, threshold):
        return None
    changes = {s.starts_on for s in spans if s.starts_on <= today}
    changes |= {s.until + timedelta(days=1) for s in spans if s.until is not None and s.until < today}
    reached = today
    for day in sorted(changes, reverse=True):  # back from today until the sum was under the threshold
        before = day - timedelta(days=1)
        reached = day
        if day == date.min or not reaches(in_force(spans, before)[1], threshold):
            break
    return reached


def first_reached(spans: list[HoursSpan], first: date, last: date, threshold: float) -> tuple[date, date] | None:
    """The first day of ``first``..``last`` on which the person's sum is at or over the threshold, and the day the
    sum reached it (``reached_on`` that day: the stretch may have begun before ``first``); None when it is under the
    threshold all along. Rapporter → Internkontroll's selection (a look-back: at the threshold on any day of the
    period) and its "Gränsen nådd", Att göra's day (``reached_on`` today) for the same stretch: the report once said
    the period's first day for a sum reached before the period, while Att göra said the day the sum got there."""
    days = {first} | {s.starts_on for s in spans if first < s.starts_on <= last}  # the sum rises only where one starts
    for day in sorted(days):
        counting, _hours = in_force(spans, day)
        reached = reached_on(spans, day, threshold) if counting else None  # a threshold of 0 selects no one without
        if reached is not None:
            return day, reached
    return None


def followed_since(counting: list[HoursSpan], reached: date) -> date | None:
    """The latest follow-up held of a decision counting in the sum, when held on or after the day the sum reached the
    threshold; None when none was. One held before followed up a smaller grant, not the large one: Rapporter →
    Internkontroll once said "Ja" for a follow-up earlier in its period while Att göra reminded of the same decisions
    (s30-hours). The spans' ``followed_on`` are follow-ups held by the day they were made for (the report's last)."""
    days = [s.followed_on for s in counting if s.followed_on is not None and s.followed_on >= reached]
    return max(days) if days else None


def summed_reminder(own: list[HoursSpan], person: list[HoursSpan], today: date, rule: ControlRule) -> Reminder | None:
    """The work list's reminder for a case whose decisions count in a person's sum at or over the threshold while
    none reaches it alone (those are reminded of one by one, ``deadlines._large_decision_reminder``): due the
    guideline months after the sum reached it, unless one of the decisions counting was followed up since."""
    limit = rule.hours_per_month
    counting, hours = in_force(person, today)
    mine = [s for s in own if s.in_force_on(today)]
    if not mine or any(reaches(s.hours, limit) for s in counting):
        return None
    reached = reached_on(person, today, limit)
    if reached is None or followed_since(counting, reached) is not None:
        return None
    due = months_later(reached, rule.follow_up_months)
    urgency = urgency_of(due, today, rule.reminder_days)
    if urgency is None:
        return None
    names = Term(", ".join(s.insats.sv for s in mine), ", ".join(s.insats.text("en") for s in mine))
    return Reminder(
        ReminderKind.LARGE_DECISION_FOLLOW_UP, due, urgency,
        message("The decisions on %1 and the person's other decisions in force come to %2 hours a month together, "
                "at least %3, and must be followed up.", names, Number(hours, ".1f"), Number(limit, "g")),
        mine[0].decision_id,
    )
