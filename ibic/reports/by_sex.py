"""Statistics by women and men with small numbers withheld (seed 004; issue 13, point 2).

A count below the limit (default 5: "fewer than 5 withheld") is shown as "..". When one of the two is withheld the
total is withheld too, since the total minus the other would give it away. A share is withheld with its count, and
when fewer than the limit answered at all.
"""

from __future__ import annotations

from collections import Counter

from ibic.messages import Message, Term, message
from ibic.reference import ReferenceData
from ibic.reports.caseload import Caseload, statistical_sex
from ibic.reports.table import WITHHELD, Cell, ReportTable, fewer_withheld, percent
from ibic.vocabulary import CaseOrigin, GoalAttainment, Sex

SEXES = (Sex.FEMALE, Sex.MALE)


def shown(count: int, limit: int) -> str:
    return WITHHELD if count < limit else str(count)


def _count_row(label: Message, counts: Counter[Sex], limit: int) -> tuple[Cell, ...]:
    cells = [shown(counts[sex], limit) for sex in SEXES]
    total = sum(counts[sex] for sex in SEXES)
    return (label, *cells, WITHHELD if WITHHELD in cells or total < limit else str(total))


def insatser_by_sex(load: Caseload, ref: ReferenceData, limit: int) -> ReportTable:
    """Persons with a granted insats in force at the end of the period (today, when it ends later), per insats, women
    and men."""
    per_insats: dict[str, Counter[Sex]] = {}
    for person_id in load.person_ids() if load.has_begun else ():
        sex = statistical_sex(load.persons[person_id])
        held = {d.insats_id or d.insats_text for c in load.cases_of(person_id)
                for d in c.decisions_in_force(load.last_day)}
        for insats in held:
            per_insats.setdefault(insats, Counter())[sex] += 1
    rows = tuple(_count_row(_insats_label(ref, key), counts, limit) for key, counts in sorted(per_insats.items()))
    return ReportTable(message("Persons with a granted insats, by insats, women and men"),
                       (message("Service"), message("Women"), message("Men"), message("Total")), rows,
                       fewer_withheld(limit))


def _insats_label(ref: ReferenceData, key: str) -> Message:
    found = ref.insats(key)
    return message("%1", Term(found.label_sv, found.label_en) if found is not None else Term(key))


def origins_by_sex(load: Caseload, ref: ReferenceData, limit: int) -> ReportTable:
    """Cases actualised in the period by how they arose (seed 001's list: application, phone, letter, hospital,
    orosanmälan, unpaid bills, police, a move), women and men. Every way is a row, none left out for being empty."""
    per_origin: dict[CaseOrigin, Counter[Sex]] = {origin: Counter() for origin in CaseOrigin}
    for case in load.cases:
        if load.in_period(case.opened_on):
            per_origin[case.origin][statistical_sex(load.persons[case.person_id])] += 1
    rows = tuple(
        _count_row(message("%1", Term(ref.label("case_origin", origin.value),
                                      ref.label("case_origin", origin.value, "en"))), counts, limit)
        for origin, counts in per_origin.items()
    )
    return ReportTable(message("Cases actualised in the period, by how the case arose, women and men"),
                       (message("How the case arose"), message("Women"), message("Men"), message("Total")), rows,
                       fewer_withheld(limit))


def goals_by_sex(load: Caseload, ref: ReferenceData, limit: int) -> ReportTable:
    """Goal attainment at follow-ups made in the period (``Caseload.made_in_period``), women and men: count and share
    of those assessed."""
    counts: dict[Sex, Counter[GoalAttainment]] = {sex: Counter() for sex in SEXES}
    for person_id in load.person_ids():
        sex = statistical_sex(load.persons[person_id])
        if sex not in counts:
            continue
        for case in load.cases_of(person_id):
            for follow_up in case.follow_ups:
                if load.made_in_period(follow_up):
                    counts[sex].update(g.attainment for g in follow_up.goal_results if g.attainment is not None)
    rows = []
    for value in GoalAttainment:
        cells: list[Cell] = [message("%1", Term(ref.label("goal_attainment", value.value),
                                                ref.label("goal_attainment", value.value, "en")))]
        for sex in SEXES:
            base, count = sum(counts[sex].values()), counts[sex][value]
            hidden = count < limit or base < limit
            cells += [WITHHELD if hidden else str(count), WITHHELD if hidden else percent(100 * count / base)]
        rows.append(tuple(cells))
    return ReportTable(message("Goal attainment at follow-up, women and men"),
                       (message("Goal attainment"), message("Women"), message("Share of women"), message("Men"),
                        message("Share of men")), tuple(rows),
                       fewer_withheld(limit))
