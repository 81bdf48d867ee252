"""People already known on this laptop (created here or received by sync), found by name or personnummer.

A new case is started for a known person rather than for a second person on the same number, so the case list
search and the new-case dialog read the same columns the case list does (name key, number), never documents.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

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
SELECT c.person_id, c.id, c.case_number, c.status, c.in_force, c.deadline_checked_on, v.updated_at FROM cases AS c
JOIN case_versions AS v ON v.id = c.id
WHERE c.valid = 1 AND c.person_id IN ({marks}) ORDER BY v.updated_at DESC
"""


class DayRead:
    """The decisions in force for one day of cases whose stored column is of another day, each read from its document
    once: (case id, version time) -> ``in_force_column``, None for a case that no longer validates (its stored
    column stands). Before the day's refresh has run (off the unlock's path; after migration 0017, every open case),
    Ny ärende's search read the same cases' documents again at every key typed."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.columns: dict[tuple[str, str], str | None] = {}


class PeopleOnDay:
    """Known people as ``find_people`` and ``holder_of`` give them for one day, each case's decisions in force read
    once for all the searches (one Ny ärende dialog's: ``PersonRepository.searching``)."""

    def __init__(self, database: Database, today: date) -> None:
        self._database, self._read = database, DayRead(today)

    def find(self, text: str, limit: int = 20) -> list[KnownPerson]:
        return find_people(self._database, text, limit, self._read)

    def holder_of(self, personal_number: str) -> KnownPerson | None:
        return holder_of(self._database, personal_number, self._read)


def find_people(database: Database, text: str, limit: int = 20, read: DayRead | None = None) -> list[KnownPerson]:
    """People whose name contains ``text`` (any case) or whose personnummer contains its digits; with ``read``,
    each case's decisions in force are those of its day (``_with_cases``; the ``DayRead`` keeps those read)."""
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
    return _with_cases(database, _PEOPLE.format(where=" OR ".join(where)), [*parameters, limit], read)


def holder_of(database: Database, personal_number: str, read: DayRead | None = None) -> KnownPerson | None:
    """The person holding exactly this personnummer (12 digits), if any (``read`` as ``find_people``'s)."""
    found = _with_cases(database, _PEOPLE.format(where="p.personal_number = ?"), [personal_number, 1], read)
    return found[0] if found else None


def check_number_free(database: Database, person_id: str, personal_number: str) -> None:
    """``PersonalNumberHeld`` when another person on this laptop has the number."""
    holder = holder_of(database, personal_number)
    if holder is not None and holder.person_id != person_id:
        raise PersonalNumberHeld(holder.person_id)


def _with_cases(database: Database, query: str, parameters: list[object],
                read: DayRead | None) -> list[KnownPerson]:
    """The people ``query`` finds with their cases. With ``read``, a case's decisions in force stored for another
    day than its (the daily refresh has not run since midnight) are read anew from its document for that day (a
    version of it ``read`` has read already, from there)."""
    with database.reading() as connection:
        people = connection.execute(query, parameters).fetchall()
        ids = [row[0] for row in people]
        cases: dict[str, list[KnownCase]] = {person_id: [] for person_id in ids}
        stale: dict[str, str] = {}  # case id -> version time
        if ids:
            marks = ", ".join("?" for _ in ids)
            for person_id, case_id, number, status, in_force, checked_on, updated_at in connection.execute(
                _CASES.format(marks=marks), ids
            ):
                cases[person_id].append(KnownCase(case_id, number, CaseStatus(status), in_force))
                if read is not None and checked_on != read.today.isoformat() and status != CaseStatus.CLOSED.value:
                    stale[case_id] = updated_at
        fresh = {} if read is None else _fresh_columns(connection, stale, read, database)
        if fresh:
            cases = {person: [replace(c, in_force=fresh.get(c.case_id, c.in_force)) for c in held]
                     for person, held in cases.items()}
    return [
        KnownPerson(person_id, name, number, bool(fictitious), tuple(cases[person_id]))
        for person_id, name, number, fictitious in people
    ]


def _fresh_columns(connection: Any, stale: dict[str, str], read: DayRead, database: Database) -> dict[str, str]:
    """``in_force_on`` of the ``stale`` cases (id -> version time), those ``read`` has not read in these versions
    read and added to it; a case that no longer validates left out (its stored column stands)."""
    unread = {case_id for case_id, updated_at in stale.items() if (case_id, updated_at) not in read.columns}
    if unread:
        found = in_force_on(connection, unread, read.today, database.path)
        read.columns.update(((case_id, stale[case_id]), found.get(case_id)) for case_id in unread)
    fresh = {case_id: read.columns[case_id, updated_at] for case_id, updated_at in stale.items()}
    return {case_id: column for case_id, column in fresh.items() if column is not None}
