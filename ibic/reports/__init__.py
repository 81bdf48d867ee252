"""Reports for the nämnd and internal control, computed from a list of cases and their persons (issue 13).

One entry point, ``caseload_report``, gives every table; ``to_csv`` writes any of them for a spreadsheet and
``report_outline`` makes the whole report an outline the utredning's PDF writer prints. The same functions serve the
handläggare's own caseload on the laptop and a unit or the municipality on the server: only the caseload differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ibic.messages import Message
from ibic.reference import ReferenceData
from ibic.reports.by_sex import goals_by_sex, insatser_by_sex, origins_by_sex
from ibic.reports.caseload import Caseload, period_ahead_note, statistical_sex
from ibic.reports.checklist import checklist_table, draw_cases
from ibic.reports.continuity import continuity_table
from ibic.reports.internal_control import internal_control, internal_control_table
from ibic.reports.outline import own_caseload_scope, report_outline
from ibic.reports.process_times import process_times_table
from ibic.reports.table import WITHHELD, ReportTable, to_csv


@dataclass(frozen=True)
class CaseloadReport:
    """Every table of the report, in the order it is printed, and the caseload they were counted from (its ``today``
    the day the report was made)."""

    internal_control: ReportTable
    insatser_by_sex: ReportTable
    goals_by_sex: ReportTable
    continuity: ReportTable
    process_times: ReportTable
    checklist: ReportTable
    origins_by_sex: ReportTable
    caseload: Caseload

    @property
    def today(self) -> date:
        return self.caseload.today

    @property
    def period_note(self) -> Message | None:
        """What the dialog (under the period) and the PDF (a notice) say, once, of a period ending after today: the
        one place it is computed, for every report's tables (s31-report said it in Internkontroll's note too)."""
        return period_ahead_note(self.caseload) if self.caseload.reaches_ahead else None

    def tables(self) -> tuple[ReportTable, ...]:
        return (self.internal_control, self.insatser_by_sex, self.goals_by_sex, self.continuity, self.process_times,
                self.checklist, self.origins_by_sex)


def caseload_report(
    load: Caseload,
    ref: ReferenceData,
    *,
    threshold_hours: float | None = None,
    small_number_limit: int | None = None,
    sample_size: int | None = None,
    seed: int = 0,
) -> CaseloadReport:
    """The report for ``load`` as of its day (a period ending later is counted up to it: ``Caseload.last_day``);
    thresholds default to ``rules.toml`` (100 hours a month, fewer than 5 withheld, 16)."""
    rules = ref.rules
    limit = rules.reports.small_number_limit if small_number_limit is None else small_number_limit
    size = rules.reports.checklist_sample_size if sample_size is None else sample_size
    return CaseloadReport(
        internal_control=internal_control_table(load, rules, threshold_hours),
        insatser_by_sex=insatser_by_sex(load, ref, limit),
        goals_by_sex=goals_by_sex(load, ref, limit),
        continuity=continuity_table(load, limit),
        process_times=process_times_table(load),
        checklist=checklist_table(load, ref, size=size, seed=seed),
        origins_by_sex=origins_by_sex(load, ref, limit),
        caseload=load,
    )


__all__ = [
    "WITHHELD", "Caseload", "CaseloadReport", "ReportTable", "caseload_report", "draw_cases", "internal_control",
    "own_caseload_scope", "report_outline", "statistical_sex", "to_csv",
]
