"""The reports the menu offers: which tables of ``ibic.reports.CaseloadReport`` each shows, and its name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from ui.i18n import tr

if TYPE_CHECKING:  # the menu is built before unlock: the domain models load when a report is first opened
    from ibic.reports import CaseloadReport, ReportTable


class ReportKind(NamedTuple):  # not a dataclass: the menu is built at start (see ui.settings.Setting)
    key: str  # used in object names, file names and the audit entry: never personal data
    title: str
    menu_text: str  # the title with its letter (&) in the Rapporter menu, each letter once there (s31-menus)
    tables: Callable[[CaseloadReport], tuple[ReportTable, ...]]


def report_kinds() -> tuple[ReportKind, ...]:
    """In menu order; titles translated when the menu is built."""
    return (
        ReportKind("internkontroll", tr("Internal control of large decisions"),
                   tr("&Internal control of large decisions…"), lambda r: (r.internal_control,)),
        ReportKind("kon", tr("Statistics by women and men"), tr("&Statistics by women and men…"),
                   lambda r: (r.insatser_by_sex, r.goals_by_sex, r.origins_by_sex)),
        ReportKind("kontinuitet", tr("Continuity of care"), tr("C&ontinuity of care…"), lambda r: (r.continuity,)),
        ReportKind("handlaggningstider", tr("Case-process times"), tr("Case-&process times…"),
                   lambda r: (r.process_times,)),
        ReportKind("checklista", tr("Checklist review of cases"), tr("Chec&klist review of cases…"),
                   lambda r: (r.checklist,)),
    )
