"""Internal control of large decisions across cases (seed 004; issue 13, point 1).

Seed 004: "Kontrollen har avsett om uppföljning av beslut om omfattande hemtjänstinsatser som uppgår till motsvarande
cirka 100 timmar per månad eller mer": a control made on a day, of the decisions that amount to 100 hours then. So a
person is selected by the time granted in force on the period's last day (today, when the period ends later:
``Caseload.last_day``), summed over every insatsbeslut and rambeslut in every case, weekly and yearly scopes converted
to hours a month, reaching the threshold (default about 100 hours a month), as Att göra reminds of it on its day
(``granted_hours.summed_reminder``). A person at 100 hours in the period who was under it by its end is not listed:
on main the report listed them while Att göra reminded of nothing (s31-report); the table's title and note say which
day counts. 70 h + 35 h in two decisions is 105 h: selected. Decisions in force one after the other are not added. A
decision stops counting when a status record revokes or ends it, or when a decision replacing it starts. For each
person: the day the sum reached the threshold (the first day of the stretch at or over it up to that last day, which
may begin before the period: ``granted_hours.reached_on``, the day Att göra's reminder counts from), the follow-up
due (that day plus the guideline months) and whether a follow-up of one of those decisions was made since that day
and by the last day (held and recorded: ``follow_up_rules.is_done``; ``granted_hours.followed_since``, Att göra's
rule too: a follow-up before the sum reached the threshold followed up a smaller grant).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ibic.cases import Case
from ibic.deadlines import add_months
from ibic.documents.parts import day_text
from ibic.granted_hours import followed_since, hours_spans, in_force, reached_on
from ibic.messages import EXACT, Message, Number, Term, message
from ibic.reference import Rules
from ibic.reports.caseload import Caseload, case_number, period_ahead_note
from ibic.reports.table import ReportTable, decimal, yes_no


@dataclass(frozen=True)
class ControlRow:
    case_numbers: tuple[str, ...]
    hours_per_month: float
    decision_count: int
    reached_on: date
    follow_up_due: date
    followed_up_on: date | None


def _person_row(cases: list[Case], load: Caseload, rules: Rules, threshold: float) -> ControlRow | None:
    # The spans, the sum and the day it reached the threshold are the work list's too (ibic.granted_hours): the two
    # agree on who is due and from when.
    day = load.last_day
    spans = [(c, s) for c in cases for s in hours_spans(c, day)]
    counting, hours = in_force([s for _c, s in spans], day)
    reached = reached_on([s for _c, s in spans], day, threshold) if counting else None  # none without a decision
    if reached is None:
        return None
    decisions = [(c, s) for c, s in spans if s in counting]
    numbers = tuple(sorted({case_number(c) for c, _d in decisions}))
    due = add_months(reached, rules.follow_up.large_decision_follow_up_months)
    return ControlRow(numbers, hours, len(decisions), reached, due, followed_since(counting, reached))


def internal_control(load: Caseload, rules: Rules, threshold: float | None = None) -> list[ControlRow]:
    """Every person at or over the threshold on the period's last day (today, when it ends later), ordered by case
    number; none for a period that has not begun."""
    limit = rules.follow_up.large_decision_hours_per_month if threshold is None else threshold
    people = load.person_ids() if load.has_begun else []
    found = [_person_row(load.cases_of(pid), load, rules, limit) for pid in people]
    return sorted((row for row in found if row is not None), key=lambda r: r.case_numbers)


def internal_control_table(load: Caseload, rules: Rules, threshold: float | None = None) -> ReportTable:
    limit = rules.follow_up.large_decision_hours_per_month if threshold is None else threshold
    rows = tuple(
        (", ".join(r.case_numbers), decimal(r.hours_per_month), str(r.decision_count), day_text(r.reached_on),
         day_text(r.follow_up_due), yes_no(r.followed_up_on is not None), day_text(r.followed_up_on))
        for r in internal_control(load, rules, threshold)
    )
    return ReportTable(
        message("Internal control: granted time of at least %1 hours a month on %2", Number(limit, EXACT),
                load.last_day),
        (message("Case number"), message("Granted time (hours a month)"), message("Number of decisions"),
         message("Threshold reached"), message("Follow-up due by"), message("Followed up since it was reached"),
         message("Followed up on")),
        rows,
        _note(load),
    )


def _note(load: Caseload) -> Message:
    """Which day counts, and why a period ending after today was counted up to today (the server's answers carry the
    table's note alone)."""
    # Short: one line more of note at 20 pt on a 600-pixel screen cut the table to less than its header.
    rule = message("The sum of every decision in force on the period's last day, in every case; time a week is "
                   "converted to time a month.")
    if not load.reaches_ahead:
        return rule
    ahead = period_ahead_note(load)
    return message("%1 %2", Term(rule.sv, rule.en), Term(ahead.sv, ahead.en))
