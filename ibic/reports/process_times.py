"""Case-process times: aktualisering → beslut → beslutsmeddelande (issue 13; seed 004's checklist span).

Per case whose first decision was made in the period: the days from aktualisering to that decision, and from the
decision to the first beslutsmeddelande sent for it; a median over the cases where both ends are known.
"""

from __future__ import annotations

from statistics import median

from ibic.cases import Case
from ibic.documents.parts import day_text
from ibic.notices import notice_for
from ibic.reports.caseload import Caseload, case_number
from ibic.reports.table import ReportTable, decimal_sv


def _times(case: Case) -> tuple[str, ...] | None:
    if not case.decisions:
        return None
    first = min(case.decisions, key=lambda d: d.decided_on)
    notice = notice_for(case.decision_notices, first.id)
    sent = notice.sent_on if notice else None
    to_decision = (first.decided_on - case.opened_on).days
    to_notice = (sent - first.decided_on).days if sent else None
    return (case_number(case), day_text(case.opened_on), day_text(first.decided_on), day_text(sent),
            str(to_decision), "" if to_notice is None else str(to_notice),
            "" if to_notice is None else str(to_decision + to_notice))


def process_times_table(load: Caseload) -> ReportTable:
    decided = sorted((c for c in load.cases if c.decisions and load.in_period(min(d.decided_on for d in c.decisions))),
                     key=case_number)
    rows = [row for c in decided if (row := _times(c)) is not None]
    whole = [int(r[6]) for r in rows if r[6]]
    to_decision = [int(r[4]) for r in rows]
    summary = ("Median", "", "", "", decimal_sv(median(to_decision)) if to_decision else "",
               decimal_sv(median(int(r[5]) for r in rows if r[5])) if whole else "",
               decimal_sv(median(whole)) if whole else "")
    return ReportTable(
        "Handläggningstider: aktualisering, beslut och beslutsmeddelande",
        ("Ärendenummer", "Aktualiserat", "Beslut", "Beslutsmeddelande skickat", "Dagar till beslut",
         "Dagar till beslutsmeddelande", "Dagar totalt"),
        (*rows, summary) if rows else (),
    )
