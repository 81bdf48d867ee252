"""The input of every report: cases with their persons, and the period reported on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ibic.cases import Case
from ibic.follow_up import FollowUp
from ibic.follow_up_rules import is_made_by
from ibic.messages import Message, message
from ibic.people import Person, sex_from_personal_number
from ibic.vocabulary import Sex


@dataclass(frozen=True)
class Caseload:
    """The cases a report reads (a handläggare's own, a unit's, the municipality's) and their persons by id.

    ``today``, the day the report is made, clips the period: nothing after today has happened yet. A period ending
    after today counted a follow-up dated ahead (planned, not made) as made and a decision starting next month as in
    force (s31-report); it is counted up to today, and the report says so. Required: an optional day, set later by
    the report, left a caseload that counted the whole period and an assert where the report read its day."""

    cases: tuple[Case, ...]
    persons: dict[str, Person]
    period_start: date
    period_end: date
    today: date

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValueError("the period ends before it starts")
        if any(case.person_id not in self.persons for case in self.cases):
            raise ValueError("a case's person is not in the caseload")

    @property
    def last_day(self) -> date:
        """The period's last day that has come: its end, or today when it ends later (before its first day when the
        whole period is ahead: then no day of it is counted)."""
        return min(self.period_end, self.today)

    @property
    def reaches_ahead(self) -> bool:
        """The period ends after today: counted up to today only."""
        return self.last_day < self.period_end

    @property
    def has_begun(self) -> bool:
        return self.period_start <= self.last_day

    def in_period(self, day: date | None) -> bool:
        return day is not None and self.period_start <= day <= self.last_day

    def made_in_period(self, follow_up: FollowUp) -> bool:
        """A follow-up made (``follow_up_rules.is_made_by`` the period's last day come) on a day of the period: one
        with a done date and nothing recorded does not count as made, as Kontroll, Att göra and Internkontroll count
        it."""
        return is_made_by(follow_up, self.last_day) and self.in_period(follow_up.done_on)

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


def period_ahead_note(load: Caseload) -> Message:
    """What a report says of a period ending after today (``Caseload.reaches_ahead``). Of one that has not begun,
    that none of it is counted: "counted up to today" read as a period from its first day (2099) back to today's."""
    if not load.has_begun:
        return message("The period has not begun: it starts %1, after today (%2). No day of it is counted.",
                       load.period_start, load.last_day)
    return message("The period ends after today (%1): it is counted up to today (%2). A follow-up planned after today "
                   "is not counted as made.", load.period_end, load.last_day)


def statistical_sex(person: Person) -> Sex:
    """The sex as registered, else as the personnummer says (statistics are by women and men)."""
    return person.sex if person.sex != Sex.UNSPECIFIED else sex_from_personal_number(person.personal_number)


def case_number(case: Case) -> str:
    return case.case_number.strip() or case.id[:8]
