"""Continuity in hemtjänst in the shape of Kommunens Kvalitet i Korthet (seed 003; issue 13, point 12).

KKiK's measure: the number of staff a person with hemtjänst meets during 14 days, as a mean over the persons
measured (seed 003: 14 in the municipality, 16 nationally). Here each person counts once, with the latest follow-up
done in the period that recorded the count; the share with a named fast omsorgskontakt is over the persons followed
up in the period. Figures by women and men withhold small counts like every statistic.
"""

from __future__ import annotations

from statistics import mean, median

from ibic.follow_up import FollowUp
from ibic.reports.by_sex import SEXES, shown
from ibic.reports.caseload import Caseload, statistical_sex
from ibic.reports.table import WITHHELD, ReportTable, decimal_sv
from ibic.vocabulary import Sex

LABELS = {Sex.FEMALE: "Kvinnor", Sex.MALE: "Män"}


def _latest(load: Caseload, person_id: str) -> FollowUp | None:
    held = [f for c in load.cases_of(person_id) for f in c.follow_ups if load.in_period(f.done_on)]
    return max(held, key=lambda f: f.done_on or load.period_start) if held else None


def _row(label: str, followed: list[FollowUp], limit: int) -> tuple[str, ...]:
    counts = [f.staff_count_14_days for f in followed if f.staff_count_14_days is not None]
    named = sum(1 for f in followed if f.named_care_contact.strip())
    small = len(counts) < limit
    return (
        label,
        shown(len(counts), limit),
        WITHHELD if small else decimal_sv(mean(counts)),
        WITHHELD if small else decimal_sv(median(counts)),
        WITHHELD if len(followed) < limit else f"{decimal_sv(100 * named / len(followed))} %",
    )


def continuity_table(load: Caseload, limit: int) -> ReportTable:
    latest = {pid: f for pid in load.person_ids() if (f := _latest(load, pid)) is not None}
    rows = [_row("Alla", list(latest.values()), limit)]
    for sex in SEXES:
        rows.append(_row(LABELS[sex], [f for pid, f in latest.items()
                                       if statistical_sex(load.persons[pid]) == sex], limit))
    return ReportTable(
        "Personalkontinuitet: antal personal under 14 dagar (KKiK)",
        ("Grupp", "Antal mätta personer", "Medelvärde antal personal", "Median", "Andel med fast omsorgskontakt"),
        tuple(rows),
        f"Senaste uppföljningen i perioden per person. Färre än {limit} redovisas inte ({WITHHELD}).",
    )
