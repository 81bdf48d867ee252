"""People already known on this laptop (created here or received by sync), found by name or personnummer.

A new case is started for a known person rather than for a second person on the same number, so the case list
search and the new-case dialog read the same columns the case list does (name key, number), never documents.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from ibic.vocabulary import CaseStatus
from storage.database import Database
from storage.errors import PersonalNumberHeld
from storage.repositories.cases import in_force_on, name_patterns, number_pattern


@dataclass(frozen=True)
class KnownCase:
    case_id: str
    case_number: str
    status: CaseStatus
    in_force: str = ""  # its decisions in force for the day (storage.repositories.cases.in_force_column)


@dataclass(frozen=True)
class KnownPerson:
    person_id: str
    full_name: str
    personal_number: str
    fictitious: bool
    cases: tuple[KnownCase, ...]


_PEOPLE = """
SELECT p.id, p.full_name, p.personal_number, p.fictitious FROM people AS p
WHERE p.valid = 1 AND ({where}) ORDER BY p.name_key LIMIT ?
"""
_CASES = """
SELECT c.person_id, c.id, c.case_number, c.status, c.in_force, c.deadline_checked_on FROM cases AS c
JOIN case_versions AS v ON v.id = c.id
WHERE c.valid = 1 AND c.person_id IN ({marks}) ORDER BY v.updated_at DESC
"""


def find_people(database: Database, text: str, limit: int = 20, today: date | None = None) -> list[KnownPerson]:
    """People whose name contains ``text`` (any case) or whose personnummer contains its digits; with ``today``,
    each case's decisions in force are those of that day (``_with_cases``)."""
    needle = text.strip()
    if not needle:
        return []
    names = name_patterns(needle)
    where = ["p.name_key LIKE ? ESCAPE '\\'"] * len(names)
    parameters: list[object] = [*names]
    number = number_pattern(needle)
    if number:
        where.append("p.personal_number LIKE ?")
        parameters.append(number)
    return _with_cases(database, _PEOPLE.format(where=" OR ".join(where)), [*parameters, limit], today)


def holder_of(database: Database, personal_number: str, today: date | None = None) -> KnownPerson | None:
    """The person holding exactly this personnummer (12 digits), if any (``today`` as ``find_people``'s)."""
    found = _with_cases(database, _PEOPLE.format(where="p.personal_number = ?"), [personal_number, 1], today)
    return found[0] if found else None


def check_number_free(database: Database, person_id: str, personal_number: str) -> None:
    """``PersonalNumberHeld`` when another person on this laptop has the number."""
    holder = holder_of(database, personal_number)
    if holder is not None and holder.person_id != person_id:
        raise PersonalNumberHeld(holder.person_id)


def _with_cases(database: Database, query: str, parameters: list[object], today: date | None) -> list[KnownPerson]:
    """The people ``query`` finds with their cases. With ``today``, a case's decisions in force stored for another
    day (the daily refresh has not run since midnight) are read anew from its document for ``today``."""
    with database.reading() as connection:
        people = connection.execute(query, parameters).fetchall()
        ids = [row[0] for row in people]
        cases: dict[str, list[KnownCase]] = {person_id: [] for person_id in ids}
        stale: set[str] = set()
        if ids:
            marks = ", ".join("?" for _ in ids)
            for person_id, case_id, number, status, in_force, checked_on in connection.execute(
                _CASES.format(marks=marks), ids
            ):
                cases[person_id].append(KnownCase(case_id, number, CaseStatus(status), in_force))
                if today is not None and checked_on != today.isoformat() and status != CaseStatus.CLOSED.value:
                    stale.add(case_id)
        fresh = in_force_on(connection, stale, today, database.path) if today is not None else {}
        if fresh:
            cases = {person: [replace(c, in_force=fresh.get(c.case_id, c.in_force)) for c in held]
                     for person, held in cases.items()}
    return [
        KnownPerson(person_id, name, number, bool(fictitious), tuple(cases[person_id]))
        for person_id, name, number, fictitious in people
    ]
