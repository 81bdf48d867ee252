"""Authorisation: which records a user may read and write (cases of their unit; persons follow their cases)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from sync.protocol import same_user_id, text_storable
from sync.server.errors import AccessDenied

Conn = psycopg.Connection[Any]

# The device id of the central system's writes (the admin CLI's; an integration's is ``central:<its id>``). Never
# enrolled: a laptop under such an id would pass as the central system, and its stale edits of fields the central
# system last wrote would apply instead of becoming conflicts.
CENTRAL_DEVICE = "central"


def central_writer(integration_id: str | None = None) -> str:
    """The device id a central write carries in the change log: which system wrote it, for IT and the feed."""
    return CENTRAL_DEVICE if integration_id is None else f"{CENTRAL_DEVICE}:{integration_id}"


def is_central_writer(device_id: str) -> bool:
    """True for ids reserved to the central system (compared case-blind: ids are typed by people)."""
    folded = device_id.casefold()
    return folded == CENTRAL_DEVICE or folded.startswith(f"{CENTRAL_DEVICE}:")


@dataclass(frozen=True)
class Actor:
    """Who is calling: checked against the database on every request, not only at login."""

    user_id: str
    unit_id: str
    device_id: str


def stored_user_id(conn: Conn, user_id: str) -> str | None:
    """The user ``user_id`` names, as the server spells it; None for none. User ids are AD accounts, which ignore
    case (docs/sync.md "Enrollment, tokens, authorisation"): "Anna.Berg" names "anna.berg", at enrollment, in IT's
    commands and in the central system's assignments. The exact id first: two ids differing only in case (made
    before ``create-user`` refused the second) are each named exactly, and a variant of both names neither."""
    if not text_storable(user_id):  # PostgreSQL cannot hold it (U+0000, a lone surrogate): no stored id does
        return None
    if conn.execute("SELECT 1 FROM users WHERE id = %s", (user_id,)).fetchone() is not None:
        return user_id
    folded = user_id.casefold()  # in Python: PostgreSQL's lower() folds only ASCII under the C locale
    found = [str(r["id"]) for r in conn.execute("SELECT id FROM users WHERE length(id) BETWEEN %s AND %s",
                                                (len(user_id) // 3, len(user_id) * 3)).fetchall()
             if str(r["id"]).casefold() == folded]
    return found[0] if len(found) == 1 else None


def names_actor(conn: Conn, actor: Actor, user_id: str, known: dict[str, bool]) -> bool:
    """Whether an op's or audit entry's ``user_id`` names the requesting device's user: exactly, or in another case
    as ``stored_user_id`` resolves it (entries written before the enrollment carry the profile's name as typed).
    ``same_user_id`` alone took "Demo-User", another account from before the case rule, as "demo-user"'s, and the
    audit, stored as sent, showed that account's views (s26-rprobesrv). ``known``: the answers of this batch."""
    if user_id == actor.user_id:
        return True
    if not same_user_id(user_id, actor.user_id):
        return False
    if user_id not in known:
        known[user_id] = stored_user_id(conn, user_id) == actor.user_id
    return known[user_id]


def case_unit(conn: Conn, case_id: str) -> str | None:
    """The unit a case is assigned to, or None if the server does not know the case."""
    row = conn.execute("SELECT unit_id FROM case_access WHERE case_id = %s", (case_id,)).fetchone()
    return None if row is None else str(row["unit_id"])


def require_case(conn: Conn, actor: Actor, case_id: str) -> None:
    """Raise AccessDenied unless the case exists and belongs to the actor's unit."""
    if case_unit(conn, case_id) != actor.unit_id:
        raise AccessDenied("the case is not assigned to your unit")


def may_access_person(conn: Conn, actor: Actor, person_id: str) -> bool:
    """A person is reachable through a case of the unit, or was created by the unit and is not yet linked."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM case_access WHERE person_id = %(p)s AND unit_id = %(u)s) AS via_case,"
        " EXISTS (SELECT 1 FROM case_access WHERE person_id = %(p)s) AS linked,"
        " (SELECT created_by_unit FROM records WHERE record_type = 'person' AND record_id = %(p)s) AS creator,"
        " EXISTS (SELECT 1 FROM records WHERE record_type = 'person' AND record_id = %(p)s) AS known",
        {"p": person_id, "u": actor.unit_id},
    ).fetchone()
    assert row is not None
    if row["via_case"]:
        return True
    if not row["known"]:
        return True
    return not row["linked"] and row["creator"] == actor.unit_id


def require_record(conn: Conn, actor: Actor, record_type: str, record_id: str) -> None:
    """Raise AccessDenied unless the actor's unit may read this existing record."""
    # No stored id holds U+0000 (PostgreSQL text cannot): such an id gets the answer of any unknown id, not a 500.
    unknown = "\x00" in record_id
    if record_type == "case":
        if unknown:
            raise AccessDenied("the case is not assigned to your unit")
        require_case(conn, actor, record_id)
        return
    known = None if unknown else conn.execute(
        "SELECT 1 FROM records WHERE record_type = 'person' AND record_id = %s", (record_id,)
    ).fetchone()
    if known is None or not may_access_person(conn, actor, record_id):
        raise AccessDenied("the person is not reachable through a case of your unit")
