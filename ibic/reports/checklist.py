"""The checklist review of seed 004: N hemtjänst investigations drawn at random from a period, each step from
aktualisering to beslutsmeddelande with its date and whether it is documented (issue 13, point 13).

The draw is reproducible: the same seed and caseload give the same cases (the samordnare can show what was drawn).
"Documented" reuses the quality review's own rules (``check_completeness``), so the checklist and the Kontroll step
never disagree.
"""

from __future__ import annotations

import random
from datetime import date

from ibic.cases import Case
from ibic.completeness import check_completeness
from ibic.documents.parts import day_text
from ibic.messages import Message, message
from ibic.notices import notice_for
from ibic.people import Person
from ibic.reference import ReferenceData
from ibic.reports.caseload import Caseload, case_number
from ibic.reports.table import ReportTable, yes_no


def _first_decided(case: Case) -> date | None:
    return min((d.decided_on for d in case.decisions), default=None)


def draw_cases(load: Caseload, ref: ReferenceData, size: int, seed: int, group: str = "hemtjanst") -> list[Case]:
    """``size`` cases (or all, if fewer) decided in the period with an insats of ``group``, drawn with ``seed``."""
    def in_group(case: Case) -> bool:
        return any((insats := ref.insats(d.insats_id)) is not None and insats.group == group for d in case.decisions)

    pool = sorted((c for c in load.cases if load.in_period(_first_decided(c)) and in_group(c)), key=case_number)
    return sorted(random.Random(seed).sample(pool, min(size, len(pool))), key=case_number)


def _steps(case: Case, person: Person, ref: ReferenceData, today: date) -> list[tuple[Message, date | None, bool]]:
    open_steps = {f.step for f in check_completeness(case, person, ref, today)}
    first = min(case.decisions, key=lambda d: d.decided_on) if case.decisions else None
    notice = notice_for(case.decision_notices, first.id) if first else None
    visits = sorted(v.visited_on for v in case.investigation.visits)
    comm = case.communication
    return [
        (message("Actualisation"), case.opened_on, True),
        (message("Application"), case.application.received_on, "case" not in open_steps),
        (message("Hembesök"), visits[0] if visits else None, "visit" not in open_steps),
        (message("Life areas mapped"), _mapped_on(case), "areas" not in open_steps),
        (message("Proposed decision"), None, bool(case.proposals) and "proposal" not in open_steps),
        (message("Kommunicering"), comm.done_on, comm.is_recorded),
        (message("Decision"), first.decided_on if first else None, first is not None),
        (message("Beslutsmeddelande sent"), notice.sent_on if notice else None, notice is not None),
    ]


def checklist_table(load: Caseload, ref: ReferenceData, *, size: int, seed: int) -> ReportTable:
    drawn = draw_cases(load, ref, size, seed)
    rows = [
        (case_number(case), step, day_text(day), yes_no(documented))
        for case in drawn
        for step, day, documented in _steps(case, load.persons[case.person_id], ref, load.today)
    ]
    return ReportTable(
        _checklist_title(len(drawn), size),
        (message("Case number"), message("Step"), message("Date"), message("Documented")),
        tuple(rows),
        message("Drawn with the random number %1; the same number and the same cases give the same draw.", seed),
    )


def _mapped_on(case: Case) -> date | None:
    """The day the life areas were last judged (``judged_on``): the mapping's date. The utredning's start date stood
    there, beside "Nej" for areas never mapped, as if they had been mapped that day (s28-probe)."""
    return max((a.judged_on for a in case.investigation.assessments if a.judged_on is not None), default=None)


def _checklist_title(drawn: int, asked: int) -> Message:
    """How many investigations the table holds: with fewer in the period than asked for, the title said "16 drawn
    at random" above the three there were (and "1000" above a whole unit), as if the sample had been drawn."""
    # One or none said in words: "alla 1 hemtjänstutredningar" was the title of the demo period's one case.
    if drawn == 0:
        return message("Checklist review: no home-help investigations decided in the period (%1 asked for)", asked)
    if drawn == 1 and drawn < asked:
        return message("Checklist review: the only home-help investigation decided in the period (%1 asked for)",
                       asked)
    if drawn < asked:
        return message("Checklist review: all %1 home-help investigations decided in the period (%2 asked for)",
                       drawn, asked)
    if drawn == 1:
        return message("Checklist review: 1 home-help investigation drawn at random")
    return message("Checklist review: %1 home-help investigations drawn at random", drawn)
