"""Roles beside the handläggare's: who may read the caseload reports of a unit or of the whole municipality.

A role belongs to a user account (``users.role``), granted by IT with the admin CLI; the user signs in the way every
user does, with an enrolled device's short-lived token, and the role is read from the database on every request.
"""

from __future__ import annotations

from typing import Final

from sync.server.access import Actor, Conn, stored_user_id
from sync.server.errors import AccessDenied, RecordMissing

HANDLAGGARE: Final = "handlaggare"  # syncs the cases assigned to them; no reports
UNIT_REPORTS: Final = "unit_reports"  # samordnare / enhetschef: the reports of their own unit
MUNICIPAL_REPORTS: Final = "municipal_reports"  # the reports of every unit and of the whole municipality
ROLES: Final = (HANDLAGGARE, UNIT_REPORTS, MUNICIPAL_REPORTS)


def set_role(conn: Conn, user_id: str, role: str) -> None:
    """Give ``user_id`` the role (``handlaggare`` takes a report role away)."""
    if role not in ROLES:
        raise ValueError(f"a role is one of {', '.join(ROLES)}")
    stored = stored_user_id(conn, user_id)  # named in any case, as everywhere IT names a user
    row = None if stored is None else conn.execute(
        "UPDATE users SET role = %s WHERE id = %s RETURNING id", (role, stored)).fetchone()
    conn.commit()
    if row is None:
        raise RecordMissing("unknown user")


def role_of(conn: Conn, user_id: str) -> str:
    row = conn.execute("SELECT role FROM users WHERE id = %s", (user_id,)).fetchone()
    conn.commit()
    return HANDLAGGARE if row is None else str(row["role"])


def unit_exists(conn: Conn, unit_id: str) -> bool:
    # No stored id holds U+0000 (PostgreSQL text cannot): such an id is simply unknown, never a database error.
    if "\x00" in unit_id:
        return False
    found = conn.execute("SELECT 1 FROM units WHERE id = %s", (unit_id,)).fetchone() is not None
    conn.commit()
    return found


def require_unit_reports(conn: Conn, actor: Actor, unit_id: str) -> None:
    """The actor may read ``unit_id``'s reports: their own unit with a unit role, any known unit with the municipal
    one. Another unit is refused (403) before its existence is checked, so a samordnare cannot probe unit ids."""
    role = role_of(conn, actor.user_id)
    if role == MUNICIPAL_REPORTS:
        if not unit_exists(conn, unit_id):
            raise RecordMissing("unknown unit")
        return
    if role != UNIT_REPORTS:
        raise AccessDenied("reports need the samordnare or enhetschef role")
    if unit_id != actor.unit_id:
        raise AccessDenied("the reports of another unit need the municipal role")


def require_municipal_reports(conn: Conn, actor: Actor) -> None:
    if role_of(conn, actor.user_id) != MUNICIPAL_REPORTS:
        raise AccessDenied("the municipality's reports need the municipal role")
