"""People: the person a case is about, stored with the columns the case list searches."""

from __future__ import annotations

from datetime import date
from typing import Any

from ibic.people import Person
from storage.repositories.base import DocumentRepository, SaveResult
from storage.repositories.documents import RecordKind


def person_summary(person: Person, _today: date) -> dict[str, Any]:
    """Columns for search: the name (and its case-folded form; SQLite's LIKE folds ASCII only) and the number."""
    return {
        "full_name": person.full_name,
        "name_key": person.full_name.casefold(),
        "personal_number": person.personal_number,
        "fictitious": int(person.fictitious),
    }


# What person_summary reads (full_name is given_name + family_name; tracked by a test).
PERSON_SUMMARY_FIELDS = frozenset({"given_name", "family_name", "personal_number", "fictitious"})
PERSON_KIND = RecordKind("person", "people", "person_documents", Person, person_summary, lambda _record_id: None,
                         PERSON_SUMMARY_FIELDS)


class PersonRepository(DocumentRepository[Person]):
    kind = PERSON_KIND


__all__ = ["PERSON_KIND", "PERSON_SUMMARY_FIELDS", "PersonRepository", "SaveResult"]
