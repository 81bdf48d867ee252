"""The input of every report: cases with their persons, and the period reported on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ibic.cases import Case
from ibic.people import Person, sex_from_personal_number
from ibic.vocabulary import Sex


@dataclass(frozen=True)
class Caseload:
    """The cases a report reads (a handläggare's own, a unit's, the municipality's) and their persons by id."""

    cases: tuple[Case, ...]
    persons: dict[str, Person]
    period_start: date
    period_end: date

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValueError("the period ends before it starts")
        if any(case.person_id not in self.persons for case in self.cases):
            raise ValueError("a case's person is not in the caseload")

    def in_period(self, day: date | None) -> bool:
        return day is not None and self.period_start <= day <= self.period_end

    def cases_of(self, person_id: str) -> list[Case]:
        return list(self._by_person.get(person_id, ()))

    @cached_property
    def _by_person(self) -> dict[str, list[Case]]:
        # Every table asks for each person's cases: scanning all cases per person made a municipality's report
        # quadratic (1,000 cases: seconds; 5,000: minutes on the server).
        index: dict[str, list[Case]] = {}
        for case in self.cases:
            index.setdefault(case.person_id, []).append(case)
        return index

    def person_ids(self) -> list[str]:
        """Each person once, in the order their first case appears."""
        return list(dict.fromkeys(c.person_id for c in self.cases))


def statistical_sex(person: Person) -> Sex:
    """The sex as registered, else as the personnummer says (statistics are by women and men)."""
    return person.sex if person.sex != Sex.UNSPECIFIED else sex_from_personal_number(person.personal_number)


def case_number(case: Case) -> str:
    return case.case_number.strip() or case.id[:8]
