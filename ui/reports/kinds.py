"""The reports the menu offers: which tables of ``ibic.reports.CaseloadReport`` each shows, and its name."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from ui.common.mnemonics import with_letters
from ui.i18n import tr

if TYPE_CHECKING:  # the menu is built before unlock: the domain models load when a report is first opened
    from ibic.reports import CaseloadReport, ReportTable


class ReportKind(NamedTuple):  # not a dataclass: the menu is built at start (see ui.settings.Setting)
    key: str  # used in object names, file names and the audit entry: never personal data
    title: str
    menu_text: str  # the title with its letter (&) in the Rapporter menu, each letter once there (s31-menus)
    tables: Callable[[CaseloadReport], tuple[ReportTable, ...]]


def report_kinds() -> tuple[ReportKind, ...]:
    """In menu order; titles translated when the menu is built, each item's letter the first its title has free
    (in either language: a hand-placed "&" restated each title, and a translation could double a letter)."""
    kinds = (
        ("internkontroll", tr("Internal control of large decisions"), lambda r: (r.internal_control,)),
        ("kon", tr("Statistics by women and men"),
         lambda r: (r.insatser_by_sex, r.goals_by_sex, r.origins_by_sex)),
        ("kontinuitet", tr("Continuity of care"), lambda r: (r.continuity,)),
        ("handlaggningstider", tr("Case-process times"), lambda r: (r.process_times,)),
        ("checklista", tr("Checklist review of cases"), lambda r: (r.checklist,)),
    )
    texts = with_letters([f"{title}…" for _key, title, _tables in kinds])
    return tuple(ReportKind(key, title, text, tables) for (key, title, tables), text in zip(kinds, texts, strict=True))
