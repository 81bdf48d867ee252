"""Case-process times: aktualisering → beslut → beslutsmeddelande (issue 13; seed 004's checklist span).

Per case whose first decision was made in the period: the days from aktualisering to that decision, and from the
decision to the first beslutsmeddelande sent for it; a median over the cases where both ends are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from ibic.cases import Case
from ibic.documents.parts import day_text
from ibic.messages import message
from ibic.notices import notice_for
from ibic.reports.caseload import Caseload, case_number
from ibic.reports.table import Cell, ReportTable, decimal


@dataclass(frozen=True)
class _Times:
    number: str
    opened_on: date
    decided_on: date
    sent_on: date | None

    @property
    def to_decision(self) -> int:
        return (self.decided_on - self.opened_on).days

    @property
    def to_notice(self) -> int | None:
        return (self.sent_on - self.decided_on).days if self.sent_on else None

    def cells(self) -> tuple[Cell, ...]:
        to_notice = self.to_notice
        return (self.number, day_text(self.opened_on), day_text(self.decided_on), day_text(self.sent_on),
                str(self.to_decision), "" if to_notice is None else str(to_notice),
                "" if to_notice is None else str(self.to_decision + to_notice))


def _times(case: Case) -> _Times:
    first = min(case.decisions, key=lambda d: d.decided_on)
    notice = notice_for(case.decision_notices, first.id)
    return _Times(case_number(case), case.opened_on, first.decided_on, notice.sent_on if notice else None)


def _median_row(times: list[_Times]) -> tuple[Cell, ...]:
    to_notice = [t.to_notice for t in times if t.to_notice is not None]
    whole = [t.to_decision + n for t in times if (n := t.to_notice) is not None]
    return (message("Median"), "", "", "", decimal(median(t.to_decision for t in times)),
            decimal(median(to_notice)) if to_notice else "", decimal(median(whole)) if whole else "")


def process_times_table(load: Caseload) -> ReportTable:
    decided = sorted((c for c in load.cases if c.decisions and load.in_period(min(d.decided_on for d in c.decisions))),
                     key=case_number)
    times = [_times(c) for c in decided]
    return ReportTable(
        message("Case-process times: actualisation, decision and beslutsmeddelande"),
        (message("Case number"), message("Actualised on"), message("Decided on"), message("Beslutsmeddelande sent"),
         message("Days to decision"), message("Days to beslutsmeddelande"), message("Days in all")),
        (*(t.cells() for t in times), _median_row(times)) if times else (),
    )
