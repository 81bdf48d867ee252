"""People: the person a case is about, stored with the columns the case list searches."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ibic.name_key import search_key
from storage.repositories.base import DocumentRepository, SaveResult
from storage.repositories.documents import RecordKind
from storage.repositories.known_people import KnownPerson, PeopleOnDay, check_number_free, find_people, holder_of

if TYPE_CHECKING:
    from ibic.people import Person


def _person_model() -> type[Person]:
    """The person model, imported at the first person loaded or saved: importing the store imports no model."""
    from ibic.people import Person

    return Person


def person_summary(person: Person, _today: date) -> dict[str, Any]:
    """Columns for search: the name (and its key, ``search_key``: SQLite's LIKE folds ASCII only, and the query is
    put in the same form) and the number."""
    return {
        "full_name": person.full_name,
        "name_key": search_key(person.full_name),
        "personal_number": person.personal_number,
        "fictitious": int(person.fictitious),
    }


# What person_summary reads (full_name is given_name + family_name; tracked by a test).
PERSON_SUMMARY_FIELDS = frozenset({"given_name", "family_name", "personal_number", "fictitious"})
PERSON_KIND = RecordKind("person", "people", "person_documents", _person_model, person_summary, lambda _record_id: None,
                         PERSON_SUMMARY_FIELDS)


class PersonRepository(DocumentRepository["Person"]):
    kind = PERSON_KIND

    def find(self, text: str, limit: int = 20) -> list[KnownPerson]:
        """Known people by name or personnummer digits, with their cases as stored (``searching``: for a day)."""
        return find_people(self._db, text, limit)

    def holder_of(self, personal_number: str) -> KnownPerson | None:
        """The known person with exactly this personnummer, if any (``searching``: for a day)."""
        return holder_of(self._db, personal_number)

    def searching(self, today: date) -> PeopleOnDay:
        """``find`` and ``holder_of`` for ``today``, each case's decisions in force read once for every search made
        through it (Ny ärende's, a dialog's: once, not at every key typed)."""
        return PeopleOnDay(self._db, today)

    def save_new(self, person: Person) -> SaveResult:
        """Store a person created here; ``PersonalNumberHeld`` if another person already has the number."""
        check_number_free(self._db, person.id, person.personal_number)
        return self.save(person)


__all__ = ["PERSON_KIND", "PERSON_SUMMARY_FIELDS", "PersonRepository", "SaveResult"]
