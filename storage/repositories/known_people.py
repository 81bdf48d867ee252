"""People already known on this laptop (created here or received by sync), found by name or personnummer.

A new case is started for a known person rather than for a second person on the same number, so the case list
search and the new-case dialog read the same columns the case list does (name key, number), never documents.
"""

from __future__ import annotations

from dataclasses import dataclass

from ibic.vocabulary import CaseStatus
from storage.database import Database
from storage.errors import PersonalNumberHeld
from storage.repositories.cases import name_patterns, number_pattern


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
SELECT c.person_id, c.id, c.case_number, c.status, c.in_force FROM cases AS c JOIN case_versions AS v ON v.id = c.id
WHERE c.valid = 1 AND c.person_id IN ({marks}) ORDER BY v.updated_at DESC
"""


def find_people(database: Database, text: str, limit: int = 20) -> list[KnownPerson]:
    """People whose name contains ``text`` (any case) or whose personnummer contains its digits."""
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
    return _with_cases(database, _PEOPLE.format(where=" OR ".join(where)), [*parameters, limit])


def holder_of(database: Database, personal_number: str) -> KnownPerson | None:
    """The person holding exactly this personnummer (12 digits), if any."""
    found = _with_cases(database, _PEOPLE.format(where="p.personal_number = ?"), [personal_number, 1])
    return found[0] if found else None


def check_number_free(database: Database, person_id: str, personal_number: str) -> None:
    """``PersonalNumberHeld`` when another person on this laptop has the number."""
    holder = holder_of(database, personal_number)
    if holder is not None and holder.person_id != person_id:
        raise PersonalNumberHeld(holder.person_id)


def _with_cases(database: Database, query: str, parameters: list[object]) -> list[KnownPerson]:
    with database.reading() as connection:
        people = connection.execute(query, parameters).fetchall()
        ids = [row[0] for row in people]
        cases: dict[str, list[KnownCase]] = {person_id: [] for person_id in ids}
        if ids:
            marks = ", ".join("?" for _ in ids)
            for person_id, case_id, number, status, in_force in connection.execute(_CASES.format(marks=marks), ids):
                cases[person_id].append(KnownCase(case_id, number, CaseStatus(status), in_force))
    return [
        KnownPerson(person_id, name, number, bool(fictitious), tuple(cases[person_id]))
        for person_id, name, number, fictitious in people
    ]
