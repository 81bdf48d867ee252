"""A pulled person whose personnummer another person on this laptop holds: a conflict, never a second person.

The laptop may have made a person (a new case on a number the central system did not send yet) when the central
system has its own record for the same number. The pulled record is not written: its changes wait in the quarantine
(``storage.quarantine``, reason ``person_number_held``) and a conflict row of its own type (``person_clash``, so the
field-conflict rules of ``sync_state`` never read it) holds both records for the conflict dialog. Nothing is lost
until the handläggare chooses.

Either choice ends with one person on the number, under the central record's id (the central system is the record
of identity, ``ibic.field_ownership``): the laptop's cases are moved to that id, the laptop's own person record goes,
and the held central record is applied. Choosing the laptop's details also writes those it holds onto the central
record as edits of its fields, pushed as any edit is; choosing the central details keeps them as they came.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ibic.errors import DomainError
from ibic.field_ownership import CENTRAL_WRITABLE
from ibic.personal_number import parse_personal_number
from storage import audit
from storage.journal import Author, decode, encode, insert_entry, put_conflict
from storage.repositories.cases import CASE_KIND
from storage.repositories.documents import DocumentCache, read_row, store_document
from storage.repositories.people import PERSON_KIND
from storage.repositories.sync_rows import CHUNK, Working

CLASH_RECORD_TYPE = "person_clash"
CLASH_PATH = "personal_number"
PERSON_NUMBER_HELD = "person_number_held"


class PersonNumberClash(Exception):
    """A pulled person's number is held here by another person; ``quarantine_reason`` names the reason code."""

    quarantine_reason = PERSON_NUMBER_HELD

    def __init__(self) -> None:
        super().__init__("a pulled person's personal identity number is held by another person on this laptop")


class LaptopPeople:
    """The people made on this laptop by personnummer, read once per pulled page and only when a page changes a
    person (its journal holds the entries that created them, based on version 0). Only such a person counts: two
    records the server holds on one number are the central system's duplicate, received as they are."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection
        self._holders: dict[str, str] | None = None

    def check(self, record_type: str, record_id: str, record: Working) -> None:
        """Record a clash conflict and raise ``PersonNumberClash`` when the pulled person ``record`` would hold a
        number a person made here holds; nothing for any other record."""
        if record_type != "person" or not record.changed or not self._made_here():
            return
        number = _normalised_number(record.document.get("personal_number"))
        holder = self._made_here().get(number or "")
        if holder is None or holder == record_id:
            return
        stored = read_row(self._connection, PERSON_KIND, holder)
        local = stored[1] if stored is not None else {}
        put_conflict(self._connection, record_type=CLASH_RECORD_TYPE, record_id=record_id, case_id=None,
                     path=CLASH_PATH, base_value=None, local_value=encode(local),
                     server_value=encode(record.document), server_version=record.version, op_id=None)
        raise PersonNumberClash()

    def _made_here(self) -> dict[str, str]:
        if self._holders is None:
            made = [r[0] for r in self._connection.execute(
                "SELECT DISTINCT record_id FROM journal WHERE record_type = 'person' AND base_version = 0"
            ).fetchall()]
            self._holders = {}
            for start in range(0, len(made), CHUNK):
                chunk = made[start:start + CHUNK]
                for person_id, number in self._connection.execute(
                    f"SELECT id, personal_number FROM people WHERE id IN ({', '.join('?' * len(chunk))})", chunk
                ).fetchall():
                    self._holders[number] = person_id
        return self._holders


def _normalised_number(value: Any) -> str | None:
    try:
        return parse_personal_number(value).digits if isinstance(value, str) else None
    except DomainError:  # not a personnummer: the usual rules of the pulled page decide about the record
        return None


def resolve(connection: Any, author: Author, cache: DocumentCache, conflict: tuple[str, str, str | None, str | None],
            chosen_value: Any, apply_held: Callable[[str], None]) -> None:
    """Settle a clash, ``conflict`` = (conflict id, central person id, local and central documents as stored):
    one person on the number, under the central record's id.

    ``apply_held(person_id)`` applies the central record's changes held in the quarantine (the sync state's own
    path, so they are written exactly as a pull writes them).
    """
    conflict_id, central_id = conflict[0], conflict[1]
    local, central = decode(conflict[2]), decode(conflict[3])
    keep_local = chosen_value == local and chosen_value != central
    local_id = local.get("id") if isinstance(local, dict) else None
    today = author.today()
    if isinstance(local_id, str) and local_id != central_id:
        _move_cases(connection, author, cache, local_id, central_id, today)
        _remove_person(connection, cache, local_id)
    connection.execute("DELETE FROM conflicts WHERE conflict_id = ?", (conflict_id,))
    apply_held(central_id)
    if keep_local and isinstance(local, dict):
        _write_details(connection, author, central_id, local, today)
    cache.forget("person", central_id)
    audit.append(connection, user_id=author.user_id, device_id=author.device_id, action="change", case_id=None,
                 detail="person: number clash resolved, " + ("laptop details kept" if keep_local else
                                                             "central details kept"))


def _move_cases(connection: Any, author: Author, cache: DocumentCache, from_id: str, to_id: str, today: date) -> None:
    """Every case of the laptop's person now names the central record, journaled so the server learns it."""
    case_ids = [r[0] for r in connection.execute("SELECT id FROM cases WHERE person_id = ?", (from_id,)).fetchall()]
    for case_id in case_ids:
        stored = read_row(connection, CASE_KIND, case_id)
        if stored is None:
            continue
        version, document = stored
        document["person_id"] = to_id
        store_document(connection, CASE_KIND, case_id, document, version, today)
        insert_entry(connection, author, record_type="case", record_id=case_id, case_id=case_id, path="person_id",
                     value=to_id, base_value=encode(from_id), base_version=version)
        cache.forget("case", case_id)


def _remove_person(connection: Any, cache: DocumentCache, person_id: str) -> None:
    """The laptop's duplicate goes; its unsent edits and open field conflicts are superseded (its details live on in
    the choice: Keep mine writes them onto the central record)."""
    connection.execute(
        "UPDATE journal SET state = 'superseded' WHERE record_type = 'person' AND record_id = ?"
        " AND (state = 'pending' OR state = 'conflict')",
        (person_id,),
    )
    connection.execute("DELETE FROM conflicts WHERE record_type = 'person' AND record_id = ?", (person_id,))
    connection.execute("DELETE FROM person_documents WHERE id = ?", (person_id,))
    connection.execute("DELETE FROM people WHERE id = ?", (person_id,))
    cache.forget("person", person_id)


def _filled(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_filled(part) for part in value.values())
    return value not in (None, "", [])


def _write_details(connection: Any, author: Author, person_id: str, local: dict[str, Any], today: date) -> None:
    """The laptop's values of the central system's person fields, written onto the central record as edits; what
    the laptop left empty (an address never typed) does not erase what the central record holds."""
    stored = read_row(connection, PERSON_KIND, person_id)
    if stored is None:
        return
    version, document = stored
    for field in sorted(CENTRAL_WRITABLE["person"] - {"personal_number"}):
        if _filled(local.get(field)) and local[field] != document.get(field):
            insert_entry(connection, author, record_type="person", record_id=person_id, case_id=None, path=field,
                         value=local[field], base_value=encode(document[field]) if field in document else None,
                         base_version=version)
            document[field] = local[field]
    store_document(connection, PERSON_KIND, person_id, document, version, today)
