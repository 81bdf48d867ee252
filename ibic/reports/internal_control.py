"""Internal control of large decisions across cases (seed 004; issue 13, point 1).

A look-back: seed 004's control "har avsett om uppföljning av beslut om omfattande hemtjänstinsatser som uppgår till
motsvarande cirka 100 timmar per månad eller mer. I samtliga fall hade uppföljning gjorts", so a 100-hour decision
reduced or ended within the period was still one to check. A person is selected when the time granted to them in
force on one day of the period — summed over every insatsbeslut and rambeslut in every case, weekly and yearly scopes
converted to hours a month — reaches the threshold (default about 100 hours a month). 70 h + 35 h in two decisions is
105 h: selected. Decisions in force one after the other are not added. A decision stops counting when a status record
revokes or ends it, or when a decision replacing it starts. For each person: the day the sum reached the threshold
(the first day of the stretch at or over it that holds the period's first such day, which may begin before the
period: ``granted_hours.first_reached``, the day Att göra's reminder counts from), the follow-up due (that day plus
the guideline months) and whether a follow-up of one of those decisions was done since that day and by the period's
end (held and recorded by then: ``follow_up_rules.is_made_by``; ``granted_hours.followed_since``, Att göra's rule
too: a follow-up in the period but before the sum reached the threshold followed up a smaller grant). The period
ends today at the latest (``Caseload.last_day``): a decision starting later is not in force yet, a follow-up dated
ahead not held; the dialog and the PDF say so once, for every report (``CaseloadReport.period_note``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ibic.cases import Case
from ibic.deadlines import add_months
from ibic.documents.parts import day_text
from ibic.granted_hours import first_reached, followed_since, hours_spans, in_force
from ibic.messages import EXACT, Number, message
from ibic.reference import Rules
from ibic.reports.caseload import Caseload, case_number
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
    spans = [(c, s) for c in cases for s in hours_spans(c, load.last_day)]
    found = first_reached([s for _c, s in spans], load.period_start, load.last_day, threshold)
    if found is None:
        return None
    day, reached = found
    counting, hours = in_force([s for _c, s in spans], day)
    decisions = [(c, s) for c, s in spans if s in counting]
    numbers = tuple(sorted({case_number(c) for c, _d in decisions}))
    due = add_months(reached, rules.follow_up.large_decision_follow_up_months)
    return ControlRow(numbers, hours, len(decisions), reached, due, followed_since(counting, reached))


def internal_control(load: Caseload, rules: Rules, threshold: float | None = None) -> list[ControlRow]:
    """Every person at or over the threshold on a day of the period up to today, ordered by case number; none for a
    period that has not begun."""
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
        message("Internal control: granted time of at least %1 hours a month", Number(limit, EXACT)),
        (message("Case number"), message("Granted time (hours a month)"), message("Number of decisions"),
         message("Threshold reached"), message("Follow-up due by"), message("Followed up since it was reached"),
         message("Followed up on")),
        rows,
        message("The sum of every decision in force on the same day, in every case; time a week is converted to "
                "time a month."),
    )
