"""Audit entries from devices: the hash chain must continue where the stored part ends; stored append-only."""

from __future__ import annotations

from ibic.audit_chain import audit_entry_hash
from sync.protocol import MAX_BIGINT, AuditEntryMessage
from sync.server.access import Actor, Conn, case_unit, names_actor
from sync.server.errors import AccessDenied, AuditChainBroken
from sync.server.withdrawals import late_window


def store_audit(conn: Conn, actor: Actor, entries: list[AuditEntryMessage]) -> int:
    """Verify chain continuity and store new entries in one transaction; returns the highest stored seq."""
    with conn.transaction():
        # One upload per device at a time: a laptop that gave up waiting and sent the same entries again (to this
        # process or another) read the same stored end, and both inserted it (a primary-key violation, a 500).
        # FOR UPDATE on the last entry locks nothing before the first upload, nor the rows the other one adds.
        conn.execute("SELECT 1 FROM devices WHERE id = %s FOR UPDATE", (actor.device_id,))
        last = conn.execute(
            "SELECT seq, hash FROM audit_entries WHERE device_id = %s ORDER BY seq DESC LIMIT 1 FOR UPDATE",
            (actor.device_id,),
        ).fetchone()
        last_seq, last_hash = (int(last["seq"]), str(last["hash"])) if last else (0, None)
        rows = []
        known: dict[str, bool] = {}
        for entry in sorted(entries, key=lambda e: e.seq):
            # The user id in any case (``names_actor``): entries from before the enrollment carry the profile's name as
            # typed, and are stored as sent, as their hash covers it.
            if entry.device_id != actor.device_id or not names_actor(conn, actor, entry.user_id, known):
                raise AccessDenied("audit entry names another device or user")
            if entry.case_id is not None:
                unit = case_unit(conn, entry.case_id)
                # A laptop's own record of work on a case that has since moved away is still its record: refusing it
                # would stop the append-only chain for good.
                foreign = unit is not None and unit != actor.unit_id
                if foreign and late_window(conn, "case", entry.case_id, actor.user_id) is None:
                    raise AccessDenied("the case is not assigned to your unit")
            if entry.seq <= last_seq:
                stored = conn.execute(
                    "SELECT hash FROM audit_entries WHERE device_id = %s AND seq = %s", (actor.device_id, entry.seq)
                ).fetchone()
                if stored is None or stored["hash"] != entry.hash:
                    raise AuditChainBroken("an audit entry differs from the one already stored")
                continue  # a resend after a lost answer
            if entry.seq != last_seq + 1:
                raise AuditChainBroken("audit entries are missing before this upload")
            if last_hash is not None and entry.prev_hash != last_hash:
                raise AuditChainBroken("audit entry does not continue the stored hash chain")
            if entry_hash(entry) != entry.hash:
                raise AuditChainBroken("an audit entry does not match its hash")
            rows.append(
                (actor.device_id, entry.seq, entry.entry_id, entry.at, entry.at, entry.user_id, entry.action,
                 entry.case_id, entry.detail, entry.prev_hash, entry.hash)
            )
            last_seq, last_hash = entry.seq, entry.hash
        with conn.cursor() as cur:
            cur.executemany(
                # ``at_sent`` as sent, the text the hash covers; ``at`` the instant, for ordering and queries
                "INSERT INTO audit_entries (device_id, seq, entry_id, at, at_sent, user_id, action, case_id, detail,"
                " prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
    return last_seq


def audit_head(conn: Conn, actor: Actor, through: int | None = None) -> tuple[int, str | None]:
    """The device's last stored entry (seq, hash), or its last at or before seq ``through``; 0 and None before its
    first. Read only: a restored laptop learns where its chain and the server's part and where to continue
    (``sync.client.audit``), it cannot change what is stored."""
    last = conn.execute(
        "SELECT seq, hash FROM audit_entries WHERE device_id = %s AND seq <= %s ORDER BY seq DESC LIMIT 1",
        (actor.device_id, MAX_BIGINT if through is None else through),
    ).fetchone()
    return (int(last["seq"]), str(last["hash"])) if last else (0, None)


def entry_hash(entry: AuditEntryMessage) -> str:
    """The laptop's own rule (``ibic.audit_chain``), so a verified chain means the same thing on both ends."""
    return audit_entry_hash(entry.prev_hash, seq=entry.seq, entry_id=entry.entry_id, at=entry.at,
                            user_id=entry.user_id, device_id=entry.device_id, action=entry.action,
                            case_id=entry.case_id, detail=entry.detail)
