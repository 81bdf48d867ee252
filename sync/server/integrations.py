"""Keys for the systems beside the server (Lifecare, Treserva, Procapita, Combine) that call /v1/integration/*.

IT creates one integration per system with the admin CLI and hands its key over once; only the key's hash is
stored. A key is checked on every request and a revoked one is refused at once. An integration acts as the central
system for the whole municipality (its writes carry device id ``central:<id>``), so it is not bound to a unit.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sync.server.access import Conn
from sync.server.central import check_display_name
from sync.server.errors import IntegrationExists, IntegrationInvalid, NotAuthenticated, RecordMissing
from sync.server.tokens import bearer, secret_hash

KEY_PREFIX = "hbi_"  # tells a leaked integration key apart from a device credential in a secret scanner
LAST_SEEN_EVERY = timedelta(minutes=1)
# Lower case, short: the id names the writer of every change it makes (``central:<id>``, a journal device id).
INTEGRATION_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,39}")


def create_integration(conn: Conn, integration_id: str, name: str) -> str:
    """A new integration; returns its key, which is shown this once and never stored."""
    if not INTEGRATION_ID.fullmatch(integration_id):
        raise IntegrationInvalid("an integration id is 1-40 lower-case letters, digits, '_', '.' or '-'")
    check_display_name("an integration's", name)  # empty, 100,000 characters or a control character were stored
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = conn.execute(
        "INSERT INTO integrations (id, name, key_hash) VALUES (%s, %s, %s) ON CONFLICT (id) DO NOTHING RETURNING id",
        (integration_id, name, secret_hash(key)),
    ).fetchone()
    conn.commit()
    if row is None:
        raise IntegrationExists("an integration with this id exists; revoke it and create one with a new id")
    return key


def revoke_integration(conn: Conn, integration_id: str) -> bool:
    """Refuse the integration's key from now on; whether it was in use until now (run twice: False, the first
    revocation's time kept)."""
    row = conn.execute(
        "UPDATE integrations SET revoked_at = coalesce(revoked_at, now()) WHERE id = %s"
        " RETURNING revoked_at = now() AS now_revoked", (integration_id,),
    ).fetchone()
    conn.commit()
    if row is None:
        raise RecordMissing("unknown integration")
    return bool(row["now_revoked"])


def list_integrations(conn: Conn) -> list[dict[str, Any]]:
    """Every integration with its state (never the key)."""
    rows = conn.execute(
        "SELECT id, name, created_at, revoked_at, last_seen_at FROM integrations ORDER BY id"
    ).fetchall()
    conn.commit()
    return [dict(r) for r in rows]


def authenticate_integration(conn: Conn, authorization: str | None) -> str:
    """The calling integration's id, from ``Authorization: Bearer <key>``; NotAuthenticated otherwise."""
    key = bearer(authorization)
    if key is None:
        raise NotAuthenticated("an integration key is required (Authorization: Bearer <key>)")
    # Looked up by hash: the key itself is never compared byte by byte, so timing tells nothing about it.
    row = conn.execute(
        "SELECT id, revoked_at, last_seen_at FROM integrations WHERE key_hash = %s", (secret_hash(key),)
    ).fetchone()
    if row is None or row["revoked_at"] is not None:
        conn.commit()
        raise NotAuthenticated("unknown or revoked integration key")
    now = datetime.now(UTC)
    if row["last_seen_at"] is None or now - row["last_seen_at"] >= LAST_SEEN_EVERY:
        conn.execute("UPDATE integrations SET last_seen_at = %s WHERE id = %s", (now, row["id"]))
    conn.commit()
    return str(row["id"])
