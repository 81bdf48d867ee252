"""What IT and the central case-management system do: units, users, cases, decisions, codes, devices.

Used by the admin CLI and by integrations (Lifecare, Treserva, Procapita, Combine) run beside the server.
Writes by the central system go through the same versioned path as device pushes (device id ``central``, or
``central:<integration>`` for an integration's), so a laptop editing the same field sees a conflict, never a
silent overwrite.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from ibic import document_paths
from ibic.cases import Case
from ibic.changes import FieldChange
from ibic.decisions import Decision
from ibic.limits import SHORT_TEXT_MAX
from ibic.people import Person
from sync.protocol import ID_RULE, OpResult, addressable, text_storable
from sync.server import tokens, withdrawals
from sync.server.access import CENTRAL_DEVICE, Actor, Conn, stored_user_id
from sync.server.config import MAX_CODE_HOURS
from sync.server.devices import DEVICE_ID_LOCK, lapse_readmissions
from sync.server.document_checks import check_after, checked
from sync.server.errors import (
    AssigneeInvalid,
    CaseExists,
    CentralWriteRefused,
    DocumentInvalid,
    InputInvalid,
    RecordMissing,
    ServiceError,
)
from sync.server.push_screen import UNSTORABLE_REASON
from sync.server.push_service import LogRow, NotAllApplied, append_log, push_batch

ACCOUNT_ID_MAX = 64  # a laptop profile's user id takes 1-64 characters (storage.profile.create_profile)
UNIT_NAME_MAX = SHORT_TEXT_MAX  # the unit a case names (ibic.cases.Case.unit)
CODE_HOURS_MAX = MAX_CODE_HOURS  # a year: the configuration holds enrollment_code_hours to it too


def _check_account_id(kind: str, value: str) -> None:
    """A unit or user id IT types: 1-64 printable characters, no space first or last (a laptop strips the name it is
    given, and an id that differs from it only there could never be enrolled)."""
    if not 0 < len(value) <= ACCOUNT_ID_MAX or value != value.strip() or not value.isprintable():
        raise InputInvalid(f"a {kind} id is 1-{ACCOUNT_ID_MAX} printable characters, without spaces first or last")


def _refuse_case_variant(conn: Conn, table: str, kind: str, value: str) -> None:
    """An id differing from one there only in case is refused: IT, the laptops' people and the reports read them,
    and "HL1" beside "hl1" were two accounts nobody could tell apart (devices: docs/sync.md "Device ids"). Compared
    in Python (``casefold``): PostgreSQL's ``lower`` folds only ASCII under the C locale, and ids may be "Åsa Öberg"."""
    rows = conn.execute(f"SELECT id FROM {table} WHERE length(id) = length(%s) AND id <> %s",  # table: one of two names
                        (value, value)).fetchall()
    if any(str(row["id"]).casefold() == value.casefold() for row in rows):
        conn.commit()
        raise InputInvalid(f"a {kind} id that differs only in case from this one exists")


def check_display_name(whose: str, name: str) -> None:
    """A name IT gives a unit or an integration, shown in lists and documents: not blank, at most a short text, no
    control characters (a line break would split the admin CLI's one-line listings)."""
    if not name.strip() or len(name) > UNIT_NAME_MAX or not name.isprintable():
        raise InputInvalid(f"{whose} name is 1-{UNIT_NAME_MAX} printable characters")


def create_unit(conn: Conn, unit_id: str, name: str) -> None:
    """Create a unit (e.g. one biståndsenhet)."""
    _check_account_id("unit", unit_id)
    check_display_name("a unit's", name)
    _refuse_case_variant(conn, "units", "unit", unit_id)
    created = conn.execute(
        "INSERT INTO units (id, name) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING RETURNING id", (unit_id, name)
    ).fetchone()
    conn.commit()
    if created is None:
        raise InputInvalid("a unit with this id exists")


def create_user(conn: Conn, user_id: str, unit_id: str) -> None:
    """Create a handläggare in a unit (no personal data: the id is the municipality's account name)."""
    _check_account_id("user", user_id)
    if conn.execute("SELECT 1 FROM units WHERE id = %s", (unit_id,)).fetchone() is None:
        conn.commit()
        raise RecordMissing("unknown unit")
    _refuse_case_variant(conn, "users", "user", user_id)
    created = conn.execute(
        "INSERT INTO users (id, unit_id) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING RETURNING id", (user_id, unit_id)
    ).fetchone()
    conn.commit()
    if created is None:
        raise InputInvalid("a user with this id exists")


def issue_enrollment_code(conn: Conn, user_id: str, hours: int = 72) -> str:
    """A one-time code IT hands to the user; only its hash is stored."""
    expires_at = _code_expiry(hours)
    stored = stored_user_id(conn, user_id)
    if stored is None:
        conn.commit()
        raise RecordMissing("unknown user")
    code, code_hash = _new_code()
    conn.execute("INSERT INTO enrollment_codes (code_hash, user_id, expires_at) VALUES (%s, %s, %s)",
                 (code_hash, stored, expires_at))
    conn.commit()
    return code


def _code_expiry(hours: int) -> datetime:
    """When a code issued now for ``hours`` lapses; 0 or less would lapse at once, far more lies beyond the calendar."""
    if not 0 < hours <= CODE_HOURS_MAX:
        raise InputInvalid(f"a code is valid for 1-{CODE_HOURS_MAX} hours")
    return datetime.now(UTC) + timedelta(hours=hours)


def _new_code() -> tuple[str, str]:
    """A one-time code to hand over, and the hash of it that is all the database keeps."""
    code = tokens.new_enrollment_code()
    return code, tokens.secret_hash(tokens.normalise_code(code))


def list_devices(conn: Conn) -> list[dict[str, Any]]:
    """Every enrolled device with its user, status and last contact."""
    rows = conn.execute(
        "SELECT d.id, d.user_id, d.name, d.status, d.enrolled_at, d.last_seen_at FROM devices d ORDER BY d.id"
    ).fetchall()
    conn.commit()
    return [dict(r) for r in rows]


def revoke_device(conn: Conn, device_id: str, kind: str) -> tuple[bool, bool]:
    """``retire``: the device may push pending work, then wipes. ``lost``: wipe at next contact, accept nothing.
    Whether the status changed (the same word again does not), and whether an unspent re-admission code lapsed
    (the same word again does that too). Revocation only goes forward: a device
    retiring or retired may be reported lost, but a lost one is not made retiring (it would be let push again) nor
    a retired one retiring (back to pushing after its closing push); IT re-admits a device with ``readmit-device``.
    A re-admission code issued for the device and not yet spent lapses: IT's latest word on the device counts."""
    if kind not in ("retire", "lost"):
        raise ValueError("kind must be retire or lost")
    with conn.transaction():
        device = _typed_device(conn, device_id)
        status = str(device["status"])
        if status == "lost" and kind == "retire":
            raise InputInvalid("the device is reported lost; it stays so (readmit-device lets it enroll anew)")
        changed = status == "active" or (kind == "lost" and status != "lost")
        if changed:
            conn.execute("UPDATE devices SET status = %s WHERE id = %s", (kind, device["id"]))
        lapsed = lapse_readmissions(conn, str(device["id"]))
    return changed, bool(lapsed)


def readmit_device(conn: Conn, device_id: str, hours: int = 72) -> tuple[str, bool]:
    """A one-time code that enrolls this known device anew (``readmit-device``), and whether an earlier unspent one
    lapsed. The device stays as it is (revoked, retiring, active) until its laptop spends the code, but a revoked
    one's old credential is 401 meanwhile, not 410 (``devices._refuse_revoked``); then it has a new credential, is
    active, and its old credential and tokens are refused. The code is its user's, bound to this device id exactly; the
    issuing is kept in ``device_readmissions`` (docs/deployment.md, section 5)."""
    expires_at = _code_expiry(hours)
    with conn.transaction():
        device = _typed_device(conn, device_id)
        lapsed = lapse_readmissions(conn, str(device["id"]))
        code, code_hash = _new_code()
        conn.execute("INSERT INTO enrollment_codes (code_hash, user_id, expires_at, device_id) VALUES (%s, %s, %s, %s)",
                     (code_hash, device["user_id"], expires_at, device["id"]))
        conn.execute("INSERT INTO device_readmissions (code_hash, device_id, status_before) VALUES (%s, %s, %s)",
                     (code_hash, device["id"], device["status"]))
    return code, bool(lapsed)


def _typed_device(conn: Conn, device_id: str) -> Any:
    """The device row IT named (id, user_id, status), or RecordMissing; called in a transaction.

    Typed by IT: ids are one device compared case-blind (docs/sync.md "Device ids"). The exact id comes first for
    two rows enrolled before that rule (session 25), which the folded id alone cannot tell apart."""
    found = conn.execute("SELECT id, user_id, status FROM devices WHERE lower(id) = lower(%s) ORDER BY id",
                         (device_id,)).fetchall()
    exact = [row for row in found if row["id"] == device_id]
    target = exact[0] if exact else found[0] if len(found) == 1 else None
    if target is None:
        raise RecordMissing("unknown device" if not found else
                            "several devices differ only in case from this id: give it exactly as list-devices shows")
    # The lock an enrollment takes on the id (held to the caller's commit): a code being spent at this moment is
    # spent wholly before or after IT's command, which reads the device again once it holds the lock.
    conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(lower(%s)))", (DEVICE_ID_LOCK, target["id"]))
    return conn.execute("SELECT id, user_id, status FROM devices WHERE id = %s", (target["id"],)).fetchone()


def register_case(
    conn: Conn, case_document: dict[str, Any], person_document: dict[str, Any], unit_id: str,
    assigned_user_id: str | None, by: str = CENTRAL_DEVICE,
) -> tuple[int, int]:
    """Register a case (and its person) from the central system, assigned to a unit and optionally a user.
    Returns the case's and the person's versions.

    All or nothing: the access row, the person and the case are stored in one transaction or not at all, so a
    refused registration can be corrected and sent again. A person already known keeps every field the
    registration does not name (a slim export must not blank a phone number the laptop or an earlier case set).
    """
    sent_person_fields = set(person_document)
    case_document, person_document = checked(Case, case_document, "case"), checked(Person, person_document, "person")
    case_id, person_id = str(case_document["id"]), str(person_document["id"])
    require_addressable("case", case_id)
    if case_document.get("person_id") != person_id:
        raise ServiceError("the case does not refer to the person")
    person_version = _version(conn, "person", person_id)
    if not person_version:  # a person already held keeps its id, whatever it is: only a new one is judged
        require_addressable("person", person_id)
    if person_version:
        person_document = {k: v for k, v in person_document.items() if k in sent_person_fields}
    person_changes = _central_changes("person", person_id, person_version, document_paths.leaves(person_document), by)
    case_changes = _central_changes("case", case_id, 0, document_paths.leaves(case_document), by)

    def grant_access() -> None:
        assignee = require_assignee(conn, unit_id, assigned_user_id)
        inserted = conn.execute(
            "INSERT INTO case_access (case_id, unit_id, assigned_user_id, person_id) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (case_id) DO NOTHING RETURNING case_id",
            (case_id, unit_id, assignee, person_id),
        ).fetchone()
        if inserted is None:
            raise CaseExists("the case is already registered; change it with a field write or an assignment")

    results = _push_central(conn, unit_id, person_changes + case_changes, by, first=grant_access)
    person_results = results[:len(person_changes)]
    return new_version(results[len(person_changes):]), new_version(person_results) or person_version


def require_addressable(record_type: str, record_id: str) -> None:
    """A new record's id the routes and the laptops can name (``sync.protocol.addressable``)."""
    if not addressable(record_id):
        raise DocumentInvalid(f"a {record_type} id is {ID_RULE}")


def register_cases(
    conn: Conn, pairs: list[tuple[dict[str, Any], dict[str, Any]]], unit_id: str, assigned_user_id: str | None,
    chunk: int = 5000,
) -> None:
    """Bulk form of ``register_case`` for an initial load of new cases and people: every document is checked
    before anything is stored; then few large transactions."""
    pairs = [(checked(Case, case, "case"), checked(Person, person, "person")) for case, person in pairs]
    for case, person in pairs:
        require_addressable("case", str(case["id"]))
        require_addressable("person", str(person["id"]))
    changes: list[FieldChange] = []
    for case, person in pairs:
        for record_type, document in (("person", person), ("case", case)):
            changes.extend(_central_changes(record_type, str(document["id"]), 0, document_paths.leaves(document),
                                            CENTRAL_DEVICE))
    with conn.transaction():  # the chunks' transactions become savepoints of this one: the load is all or nothing
        assigned_user_id = require_assignee(conn, unit_id, assigned_user_id)
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO case_access (case_id, unit_id, assigned_user_id, person_id) VALUES (%s, %s, %s, %s)",
                [(str(case["id"]), unit_id, assigned_user_id, str(person["id"])) for case, person in pairs],
            )
        for start in range(0, len(changes), chunk):
            _push_central(conn, unit_id, changes[start:start + chunk], CENTRAL_DEVICE)
    # Fresh statistics after a bulk load: with the old ones (an empty change_log) the planner fetched EVERY matching
    # change and sorted it for each pull page (first pull of 1,000 cases: ~50 ms a page instead of ~8); autovacuum
    # would analyze too, but only some time later.
    with conn.transaction():
        conn.execute("ANALYZE change_log, records, case_access")


def require_assignee(conn: Conn, unit_id: str, user_id: str | None) -> str | None:
    """The unit exists and the handläggare (if any) works in it; a case is never given to someone outside it.
    Returns the handläggare's id as stored (``stored_user_id``: named in any case)."""
    stored = None if user_id is None else stored_user_id(conn, user_id)
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM units WHERE id = %s) AS unit, (SELECT unit_id FROM users WHERE id = %s) AS home",
        (unit_id, stored),
    ).fetchone()
    assert row is not None
    if not row["unit"]:
        raise RecordMissing("unknown unit")
    if user_id is not None and row["home"] != unit_id:
        raise AssigneeInvalid("the user is unknown or works in another unit")
    return stored


def _version(conn: Conn, record_type: str, record_id: str) -> int:
    if not text_storable(record_id):  # no stored id holds it (U+0000, a lone surrogate): new, its id judged as one
        return 0
    row = conn.execute(
        "SELECT version FROM records WHERE record_type = %s AND record_id = %s", (record_type, record_id)
    ).fetchone()
    conn.commit()
    return int(row["version"]) if row else 0


def _central_changes(
    record_type: str, record_id: str, base: int, values: dict[str, Any], by: str
) -> list[FieldChange]:
    """The central system's journal entries, built before anything is stored: a bad id stops the write here."""
    if "\x00" in record_id:  # PostgreSQL text cannot hold it; an access row would fail after the check passed
        raise DocumentInvalid(f"nothing was stored: a {record_type} id holds U+0000")
    stamp = f"{int(datetime.now(UTC).timestamp() * 1000):013d}-0000-central"
    try:
        return [
            FieldChange(
                op_id=uuid.uuid4().hex, record_type=record_type,
                record_id=record_id, path=path, op="set", value=value, base_version=base, hlc=stamp,
                device_id=by, user_id=by,
            )
            for path, value in values.items()
        ]
    except ValidationError:  # the journal entry's own bounds: ids of 1-64 characters, paths of up to 512
        raise DocumentInvalid(f"a {record_type} id or field path is empty or too long") from None


def _push_central(
    conn: Conn, unit_id: str, changes: list[FieldChange], by: str, first: Callable[[], None] | None = None
) -> list[OpResult]:
    """Apply the central system's changes all or nothing; a refusal names the first reason, never a value."""
    try:
        return push_batch(conn, Actor(by, unit_id, by), changes, all_or_nothing=True, first=first)
    except NotAllApplied as refused:
        bad = [r for r in refused.results if r.status not in ("applied", "duplicate")]
        if any(r.reason == UNSTORABLE_REASON for r in bad):
            raise DocumentInvalid(f"nothing was stored: {UNSTORABLE_REASON}") from None
        why = f"{bad[0].status}: {bad[0].reason}" if bad[0].reason else bad[0].status
        raise CentralWriteRefused(
            f"nothing was stored: {len(bad)} of {len(refused.results)} field writes could not apply ({why})"
        ) from None


def central_write(
    conn: Conn, unit_id: str, record_type: str, record_id: str, values: dict[str, Any], base: int | None = None,
    by: str = CENTRAL_DEVICE, first: Callable[[], None] | None = None,
) -> int:
    """Write fields as the central system, all or nothing; returns the record's new version.

    Based on ``base`` — the version the caller checked the values against — or else the current one: the central
    system never conflicts with itself, but a laptop edit of the same field made since ``base`` refuses the write
    (409) instead of being overwritten, and later laptop edits based on older versions become conflicts.
    """
    base = _version(conn, record_type, record_id) if base is None else base
    changes = _central_changes(record_type, record_id, base, values, by)
    return new_version(_push_central(conn, unit_id, changes, by, first=first))


def new_version(results: list[OpResult]) -> int:
    """A record's version after ops on it applied: the highest one they answered (0 when none applied)."""
    return max((r.new_version or 0 for r in results), default=0)


def checked_decision(decision: dict[str, Any]) -> dict[str, Any]:
    """The decision as the model writes it; DocumentInvalid (422) for one the model refuses, whatever its case."""
    decision = checked(Decision, decision, "decision")
    if not decision["id"] or document_paths.SEPARATOR in decision["id"]:
        # Its id is its path's last segment (decisions/<id>): empty or split, no path names it.
        raise DocumentInvalid(f"the decision does not match the domain model (id: 1-64 characters without"
                              f" '{document_paths.SEPARATOR}')")
    return decision


DECISION_LOCK = 7303  # with the case id's hash: one decision registration of a case at a time (ordering.py: 7302)


def register_decision(conn: Conn, case_id: str, decision: dict[str, Any], by: str = CENTRAL_DEVICE) -> int:
    """Add a decision made in the case-management system to a case; it reaches the laptop at its next pull.
    Returns the case's new version."""
    decision = checked_decision(decision)
    row = conn.execute(
        "SELECT a.unit_id, r.document, r.version FROM case_access a JOIN record_documents r ON r.record_type = 'case'"
        " AND r.record_id = a.case_id WHERE a.case_id = %s", (case_id,),
    ).fetchone()
    conn.commit()
    if row is None:
        raise RecordMissing("unknown case")
    _refuse_held_decision(row["document"], decision["id"])
    # document_paths creates the decisions list with its first element, so one path serves every decision.
    values = {f"decisions/{decision['id']}": decision}
    check_after("case", dict(row["document"]), values)

    def alone() -> None:
        # One decision id sent twice at once (a resend after a lost answer, or to two processes) found it absent
        # above both times: the same content was then written twice (201 twice, two versions, two change-log rows)
        # while a later resend got 409. Under this lock, in the write's transaction, the second one sees the first.
        conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (DECISION_LOCK, case_id))
        held = conn.execute("SELECT document FROM record_documents WHERE record_type = 'case' AND record_id = %s",
                            (case_id,)).fetchone()
        _refuse_held_decision(held["document"] if held else {}, decision["id"])

    return central_write(conn, str(row["unit_id"]), "case", case_id, values, base=int(row["version"]), by=by,
                         first=alone)


def _refuse_held_decision(case_document: dict[str, Any], decision_id: str) -> None:
    if any(d.get("id") == decision_id for d in case_document.get("decisions") or []):
        raise CentralWriteRefused("a decision with this id exists; a decision is never edited, add a new one")


def assign_case(conn: Conn, case_id: str, unit_id: str, user_id: str | None,
                by: str = CENTRAL_DEVICE) -> str | None:
    """(Re)assign a case: the new handläggare's next pull brings it whole, the previous one's removes it. Returns
    the handläggare's id as stored (named in any case: ``stored_user_id``)."""
    with conn.transaction():
        user_id = require_assignee(conn, unit_id, user_id)
        before = conn.execute(
            "SELECT unit_id, assigned_user_id, person_id FROM case_access WHERE case_id = %s FOR UPDATE", (case_id,)
        ).fetchone()
        if before is None:
            raise RecordMissing("unknown case")
        if (before["unit_id"], before["assigned_user_id"]) == (unit_id, user_id):
            # Already so (a retry, a nightly re-send): logging the case and person whole again sent every field to
            # the handläggare's next pull once more, hundreds of changes a case, for nothing moved.
            return user_id
        # Records before the change log's lock, in the push's order (type, id): the two never wait on each other
        # in opposite orders (a deadlock).
        # The rows are locked in records (a view's assembled document cannot be locked), then read whole.
        keys = (case_id, before["person_id"])
        conn.execute("SELECT 1 FROM records WHERE (record_type = 'case' AND record_id = %s)"
                     " OR (record_type = 'person' AND record_id = %s) ORDER BY record_type, record_id FOR SHARE", keys)
        records = {
            (r["record_type"], r["record_id"]): r
            for r in conn.execute(
                "SELECT record_type, record_id, document, version FROM record_documents"
                " WHERE (record_type = 'case' AND record_id = %s) OR (record_type = 'person' AND record_id = %s)",
                keys,
            ).fetchall()
        }
        conn.execute("UPDATE case_access SET unit_id = %s, assigned_user_id = %s WHERE case_id = %s",
                     (unit_id, user_id, case_id))
        previous = before["assigned_user_id"]
        if previous is not None and previous != user_id:
            # It must leave the old laptop too; what it was then bounds what that laptop may still deliver.
            versions = {record_type: int(r["version"]) for (record_type, _), r in records.items()}
            withdrawals.record_withdrawal(conn, withdrawals.Withdrawal(
                case_id, str(previous), versions.get("case", 0), before["person_id"], versions.get("person", 0)))
        rows: list[LogRow] = []
        for key in (("person", before["person_id"]), ("case", case_id)):  # the person first: the case refers to it
            record = records.get(key)
            if record is None:
                continue
            for path, value in document_paths.leaves(record["document"]).items():
                rows.append(LogRow(key[0], key[1], path, "set", value, int(record["version"]),
                                   uuid.uuid4().hex, by))
        append_log(conn, rows)
    return user_id


def record_snapshot(conn: Conn, record_type: str, record_id: str) -> dict[str, Any]:
    """The stored document and version (for integrations and tests)."""
    if "\x00" in record_id:  # no stored id holds it (PostgreSQL text cannot): unknown, not a database error
        raise RecordMissing(f"unknown {record_type}")
    row = conn.execute(
        "SELECT document, version FROM record_documents WHERE record_type = %s AND record_id = %s",
        (record_type, record_id),
    ).fetchone()
    conn.commit()
    if row is None:
        raise RecordMissing(f"unknown {record_type}")
    return {"document": dict(row["document"]), "version": int(row["version"])}

