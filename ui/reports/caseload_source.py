"""The laptop's caseload: every case in the profile with its person, for the period asked."""

from __future__ import annotations

from datetime import date

from ibic.people import Person
from ibic.reports import Caseload
from ui.session import Session


def own_caseload(session: Session, start: date, end: date) -> Caseload:
    """As of the session's today; each case read once from the encrypted store, a person with several cases once."""
    cases = tuple(session.profile.cases.load(summary.case_id) for summary in session.summaries())
    persons: dict[str, Person] = {}
    for case in cases:
        if case.person_id not in persons:
            persons[case.person_id] = session.profile.people.load(case.person_id)
    return Caseload(cases, persons, start, end, session.today())
