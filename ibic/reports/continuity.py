"""Continuity in hemtjänst in the shape of Kommunens Kvalitet i Korthet (seed 003; issue 13, point 12).

KKiK's measure: the number of staff a person with hemtjänst meets during 14 days, as a mean over the persons
measured (seed 003: 14 in the municipality, 16 nationally). Here each person counts once, with the latest follow-up
made in the period (held up to today and recorded: ``Caseload.made_in_period``); the share with a named fast
omsorgskontakt is over the persons followed up in the period. Figures by women and men withhold small counts like
every statistic.
"""

from __future__ import annotations

from statistics import mean, median

from ibic.follow_up import FollowUp
from ibic.messages import Message, message
from ibic.reports.by_sex import SEXES, shown
from ibic.reports.caseload import Caseload, statistical_sex
from ibic.reports.table import WITHHELD, Cell, ReportTable, decimal, percent
from ibic.vocabulary import Sex

LABELS = {Sex.FEMALE: message("Women"), Sex.MALE: message("Men")}


def _latest(load: Caseload, person_id: str) -> FollowUp | None:
    held = [f for c in load.cases_of(person_id) for f in c.follow_ups if load.made_in_period(f)]
    return max(held, key=lambda f: f.done_on or load.period_start) if held else None


def _row(label: Message, followed: list[FollowUp], limit: int) -> tuple[Cell, ...]:
    counts = [f.staff_count_14_days for f in followed if f.staff_count_14_days is not None]
    named = sum(1 for f in followed if f.named_care_contact.strip())
    small = len(counts) < limit
    return (
        label,
        shown(len(counts), limit),
        WITHHELD if small else decimal(mean(counts)),
        WITHHELD if small else decimal(median(counts)),
        WITHHELD if len(followed) < limit else percent(100 * named / len(followed)),
    )


def continuity_table(load: Caseload, limit: int) -> ReportTable:
    latest = {pid: f for pid in load.person_ids() if (f := _latest(load, pid)) is not None}
    rows = [_row(message("All"), list(latest.values()), limit)]
    for sex in SEXES:
        rows.append(_row(LABELS[sex], [f for pid, f in latest.items()
                                       if statistical_sex(load.persons[pid]) == sex], limit))
    return ReportTable(
        message("Continuity of staff: number of staff met during 14 days (KKiK)"),
        (message("Group"), message("Persons measured"), message("Mean number of staff"), message("Median"),
         message("Share with a named care contact")),
        tuple(rows),
        message("Latest follow-up in the period per person. Fewer than %1 are not shown (%2).", limit, WITHHELD),
    )
