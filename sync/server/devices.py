"""Enrollment, token refresh, and the per-request device check (status, user, unit) including revocation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sync.protocol import EnrollResponse, RevocationInstruction, TokenResponse
from sync.server import tokens
from sync.server.access import Actor, Conn, is_central_writer, stored_user_id
from sync.server.config import ServerConfig
from sync.server.db import autocommitted
from sync.server.errors import CodeForAnotherUser, DeviceAlreadyEnrolled, EnrollmentRefused, NotAuthenticated
from sync.server.limits import RateLimiter
from sync.server.logs import log


class DeviceRevokedError(Exception):
    """The device is retired or lost: the answer is a revocation instruction (HTTP 410)."""

    def __init__(self, instruction: RevocationInstruction) -> None:
        super().__init__("device revoked")
        self.instruction = instruction


@dataclass(frozen=True)
class DeviceContext:
    actor: Actor
    status: str


DEVICE_ID_LOCK = 7304  # with the folded device id's hash (central.py: 7303, ordering.py: 7302)
ALREADY_ENROLLED = ("this device id is already enrolled (ids are compared ignoring case; an id is enrolled once;"
                    " IT re-admits a known device with readmit-device)")


def _expiry(config: ServerConfig) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=config.token_lifetime_seconds)


def enroll(conn: Conn, config: ServerConfig, code: str, device_id: str, device_name: str,
           named_user: str | None = None) -> EnrollResponse:
    """Spend a one-time code: a new device credential bound to the code's user and this device id. ``named_user``
    (the laptop profile's user name, when sent) must be the code's user in any case, or nothing is spent; the answer
    carries the server's spelling, which the laptop takes."""
    if is_central_writer(device_id):  # checked before the code is spent
        raise EnrollmentRefused("this device id is reserved for the central system")
    code_hash = tokens.secret_hash(tokens.normalise_code(code))
    readmitted = False
    with conn.transaction():
        # One device per id compared case-blind (docs/sync.md "Device ids"): "Laptop-7" and "laptop-7" enrolled as
        # two devices, which the admin's revoke-device, typed by a person, could not tell apart. The lock makes
        # two enrollments of case variants at once meet here (the primary key only stops equal ids).
        conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(lower(%s)))", (DEVICE_ID_LOCK, device_id))
        held = conn.execute("SELECT id, user_id, status, last_seen_at, enrolled_at FROM devices"
                            " WHERE lower(id) = lower(%s)", (device_id,)).fetchall()
        bound = conn.execute("SELECT device_id FROM enrollment_codes WHERE code_hash = %s AND device_id IS NOT NULL"
                             " AND used_at IS NULL AND expires_at > now()", (code_hash,)).fetchone()
        if bound is not None:
            user_id = _spend_readmission(conn, code_hash, str(bound["device_id"]), device_id)
            readmitted = True
        else:
            user_id = _spend_code(conn, code_hash, held, device_id)
        _check_named_user(conn, user_id, named_user)  # inside the transaction: the spending is rolled back
        credential = tokens.new_device_credential()
        unanswered = None if readmitted else _unanswered(held, device_id)
        if readmitted or unanswered is not None:
            # enrolled_at = now(), the code's used_at: a retry of this one after another lost answer is known too.
            # last_seen_at emptied: the new credential has made no request (a lost answer of this one is retried).
            conn.execute("UPDATE devices SET credential_hash = %s, name = %s, enrolled_at = now(), status = 'active',"
                         " last_seen_at = NULL WHERE id = %s", (tokens.secret_hash(credential), device_name, device_id))
        else:
            # ON CONFLICT: two enrollments of one device id at once (two codes, any processes) both found the id
            # free and the second insert failed (a 500); now it is refused and, rolled back, leaves its code unspent.
            inserted = conn.execute(
                "INSERT INTO devices (id, user_id, name, credential_hash) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (id) DO NOTHING RETURNING id",
                (device_id, user_id, device_name, tokens.secret_hash(credential)),
            ).fetchone()
            if inserted is None:
                raise DeviceAlreadyEnrolled(ALREADY_ENROLLED)
        unit = conn.execute("SELECT unit_id FROM users WHERE id = %s", (user_id,)).fetchone()
        assert unit is not None
    if readmitted:  # IT's trace: the device_readmissions row, and this line
        log(logging.INFO, event="device_readmitted", device=device_id)
    elif unanswered is not None:  # IT's trace of a credential replaced without IT (docs/sync.md)
        log(logging.INFO, event="device_enrolled_again", device=device_id)
    token = tokens.issue_token(config.token_secret, device_id, user_id, config.token_lifetime_seconds,
                               tag=tokens.credential_tag(tokens.secret_hash(credential)))
    return EnrollResponse(
        user_id=user_id, unit_id=str(unit["unit_id"]), device_id=device_id, device_credential=credential,
        access_token=token, expires_at=_expiry(config),
    )


def _spend_code(conn: Conn, code_hash: str, held: list[Any], device_id: str) -> str:
    """Spend an ordinary code (bound to no device) for a new device id, or for one whose answer never arrived; the
    code's user. A device id the server knows otherwise is refused (409): IT re-admits it (``readmit-device``)."""
    unanswered = _unanswered(held, device_id)
    if held and unanswered is None:
        raise DeviceAlreadyEnrolled(ALREADY_ENROLLED)
    # The code: unspent; or, for an enrollment whose answer never arrived, of the device's user and unspent or
    # the very code that enrolled it (spent in that transaction, so at its enrolled_at; a re-admission's code too).
    row = conn.execute(
        "UPDATE enrollment_codes SET used_at = now() WHERE code_hash = %(code)s AND expires_at > now()"
        " AND (device_id IS NULL OR device_id = %(device)s)"
        " AND ((%(user)s::text IS NULL AND used_at IS NULL)"
        " OR (user_id = %(user)s AND (used_at IS NULL OR used_at = %(at)s))) RETURNING user_id",
        {"code": code_hash, "device": device_id, "user": unanswered and unanswered["user_id"],
         "at": unanswered and unanswered["enrolled_at"]},
    ).fetchone()
    if row is None:
        if held:
            raise DeviceAlreadyEnrolled(ALREADY_ENROLLED)
        raise EnrollmentRefused("the enrollment code is unknown, used or expired")
    return str(row["user_id"])


def _spend_readmission(conn: Conn, code_hash: str, bound_to: str, device_id: str) -> str:
    """Spend a code ``readmit-device`` issued for ``bound_to`` (the device's id exactly as stored); its user.

    Only that device is enrolled by it, whatever its status: the device IT named is given a new credential. The
    device's other unspent re-admission codes lapse (IT ran the command twice: the first code no longer serves)."""
    if bound_to != device_id:
        raise EnrollmentRefused("the enrollment code re-admits another device")
    row = conn.execute("UPDATE enrollment_codes SET used_at = now() WHERE code_hash = %s AND used_at IS NULL"
                       " AND expires_at > now() RETURNING user_id", (code_hash,)).fetchone()
    assert row is not None  # read unspent in this transaction, under the device id's lock
    lapse_readmissions(conn, device_id)
    conn.execute("UPDATE device_readmissions SET enrolled_at = now() WHERE code_hash = %s", (code_hash,))
    return str(row["user_id"])


def lapse_readmissions(conn: Conn, device_id: str) -> int:
    """End the device's unspent re-admission codes, under its id's lock (in the caller's transaction); how many.

    ``-infinity``, not ``now()``: an enrollment that waited on the lock started its transaction, and so its
    ``now()``, before this one's, and would have found a code lapsed "now" still valid."""
    lapsed = conn.execute(
        "WITH ended AS (UPDATE enrollment_codes SET expires_at = '-infinity' WHERE device_id = %s AND used_at IS NULL"
        " AND expires_at > now() RETURNING code_hash)"
        " UPDATE device_readmissions r SET lapsed_at = now() FROM ended WHERE r.code_hash = ended.code_hash"
        " RETURNING r.code_hash", (device_id,)).fetchall()
    return len(lapsed)


def _unanswered(held: list[Any], device_id: str) -> Any:
    """The device row of an enrollment whose answer never reached the laptop, or None.

    The server committed, the answer was lost (a cut connection, a proxy's timeout): the laptop's retry, and every
    later attempt with a new code, met "already enrolled", and the profile (its device id made once, at creation)
    could never be enrolled: a new profile, losing what was written offline, was the only way (s26-probesrv). Such a
    device has this id exactly, is active, and has never made a request: its credential was never used, so a new one
    replaces it, given for the code that enrolled it or a new code of its user."""
    if len(held) != 1:
        return None
    row = held[0]
    if row["id"] != device_id or row["status"] != "active" or row["last_seen_at"] is not None:
        return None
    return row


def _check_named_user(conn: Conn, user_id: str, named_user: str | None) -> None:
    """The laptop refused a code of another user only after the server had spent it and enrolled the device, so IT
    had to revoke a device nobody used (s25-rodd). User ids are AD accounts, case-blind as device ids are: a profile
    naming "Anna.Berg" is IT's "anna.berg" (s26-probesrv; refused before, and no spelling of the profile could fix
    it short of a new profile), named as everywhere else (``access.stored_user_id``). The answer names neither."""
    if named_user is None or named_user == user_id:
        return
    if stored_user_id(conn, named_user) != user_id:
        raise CodeForAnotherUser("the enrollment code belongs to another user than the profile's")


def refresh(conn: Conn, config: ServerConfig, device_id: str, credential: str) -> TokenResponse:
    """A fresh access token for a device presenting its credential; revoked devices get their instruction."""
    with autocommitted(conn):
        row = conn.execute(
            "SELECT user_id, credential_hash, status FROM devices WHERE id = %s", (device_id,)
        ).fetchone()
        conn.commit()
        if row is None or not _same(row["credential_hash"], tokens.secret_hash(credential)):
            raise NotAuthenticated("unknown device or wrong device credential")
        # A use of the credential, as every request with a token is (check_device): a device whose credential was
        # used is never enrolled again over it (``_unanswered``), whoever holds the lost answer.
        conn.execute("UPDATE devices SET last_seen_at = now() WHERE id = %s AND (last_seen_at IS NULL"
                     " OR last_seen_at < now() - make_interval(secs => %s))", (device_id, LAST_SEEN_EVERY_SECONDS))
        conn.commit()
    # A retiring device gets a token: it is the door to the push (and audit) it may still make; every other route
    # still answers it 410 (check_device). Refused here, a laptop whose token had expired (every sync child starts
    # without one) could never deliver its pending work and was never wiped.
    _refuse_revoked(conn, device_id, str(row["status"]), for_push=True)
    token = tokens.issue_token(config.token_secret, device_id, str(row["user_id"]), config.token_lifetime_seconds,
                               tag=tokens.credential_tag(str(row["credential_hash"])))
    return TokenResponse(access_token=token, expires_at=_expiry(config))


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a, b)


def authenticate(conn: Conn, config: ServerConfig, authorization: str | None, *, for_push: bool) -> DeviceContext:
    """Check the bearer token AND the device, user and unit in the database, on every request."""
    credential = tokens.bearer(authorization)
    if credential is None:
        raise NotAuthenticated("a bearer access token is required")
    try:
        claims = tokens.verify_token(config.token_secret, credential)
    except tokens.InvalidToken as exc:
        raise NotAuthenticated(str(exc)) from exc
    return check_device(conn, claims, for_push=for_push)


# One round trip. last_seen_at is written at most once a minute per device: a read-only request then commits
# without a WAL flush, and a device syncing in a loop does not rewrite its row on every call.
_DEVICE_CTES = (
    "d AS (SELECT d.status, d.user_id, u.unit_id, left(d.credential_hash, 16) AS tag FROM devices d"
    " JOIN users u ON u.id = d.user_id WHERE d.id = %(device)s),"
    " seen AS (UPDATE devices SET last_seen_at = now() WHERE id = %(device)s AND user_id = %(user)s"
    " AND (%(tag)s::text IS NULL OR left(credential_hash, 16) = %(tag)s)"
    " AND (last_seen_at IS NULL OR last_seen_at < now() - make_interval(secs => %(every)s)))"
)
_DEVICE_CHECK = "WITH " + _DEVICE_CTES + " SELECT status, user_id, unit_id, tag FROM d"
# The same with the rate limiter's token taken first (limits.RateLimiter.TAKE as a CTE); one row even when the
# device is unknown, so the limiter always learns its answer.
_LIMITED_DEVICE_CHECK = (
    "WITH rate AS (" + RateLimiter.TAKE + "), " + _DEVICE_CTES
    + " SELECT r.allowed, r.at, d.status, d.user_id, d.unit_id, d.tag FROM rate r LEFT JOIN d ON true"
)
LAST_SEEN_EVERY_SECONDS = 60


def check_device(conn: Conn, claims: tokens.TokenClaims, *, for_push: bool,
                 limiter: RateLimiter | None = None) -> DeviceContext:
    """The device named by verified ``claims``: known, still bound to the same user, not revoked (410 otherwise).

    With ``limiter``, the device's request token is taken in the same statement (one round trip for both); a
    refused request is 429 before anything else is said about the device."""
    params: dict[str, object] = {"device": claims.device_id, "user": claims.user_id, "every": LAST_SEEN_EVERY_SECONDS,
                                 "tag": claims.credential_tag}
    with autocommitted(conn):  # one statement, one round trip: no BEGIN and COMMIT around it
        if limiter is None:
            row = conn.execute(_DEVICE_CHECK, params).fetchone()
            conn.commit()
        else:
            params.update(limiter.parameters(claims.device_id))
            limited = conn.execute(_LIMITED_DEVICE_CHECK, params).fetchone()
            assert limited is not None  # the rate row is always there; the device's columns are NULL when unknown
            limiter.settle(conn, bool(limited["allowed"]), float(limited["at"]))
            row = None if limited["status"] is None else limited
    if row is None or row["user_id"] != claims.user_id:
        raise NotAuthenticated("the token names an unknown device")
    # A token without a tag was issued before tokens named their credential: it expires within its lifetime, but not
    # for a device re-admitted since (its tokens of before are never valid again; a query only on this rare path).
    if claims.credential_tag is None:
        if _readmitted(conn, claims.device_id):
            raise NotAuthenticated("the token was issued for a device credential that has been replaced")
    elif row["tag"] != claims.credential_tag:
        raise NotAuthenticated("the token was issued for a device credential that has been replaced")
    status = str(row["status"])
    _refuse_revoked(conn, claims.device_id, status, for_push=for_push)
    return DeviceContext(Actor(claims.user_id, str(row["unit_id"]), claims.device_id), status)


def _readmitted(conn: Conn, device_id: str) -> bool:
    with autocommitted(conn):
        row = conn.execute("SELECT 1 FROM device_readmissions WHERE device_id = %s AND enrolled_at IS NOT NULL LIMIT 1",
                           (device_id,)).fetchone()
        conn.commit()
    return row is not None


def _refuse_revoked(conn: Conn, device_id: str, status: str, *, for_push: bool) -> None:
    """A revoked device's instruction (410), unless IT has issued it a re-admission code not yet spent: then 401, as
    for a replaced credential, so its laptop asks for the new code (s27-rsrv). With 410 a laptop found after it was
    reported lost wiped itself, its unsent work included, at the sync its unlock starts, before the code IT had
    issued for it could be typed; a retiring one pushed and wiped. IT re-admits a revoked laptop only with it in
    hand (docs/deployment.md, section 5); once the code lapses (expired, revoke-device again) the 410 is back.
    Looked up only for a revoked device."""
    if status != "active" and _readmission_waiting(conn, device_id):
        raise NotAuthenticated("IT has issued this device a new enrollment code; enroll with it")
    _raise_if_revoked(status, for_push=for_push)


def _readmission_waiting(conn: Conn, device_id: str) -> bool:
    with autocommitted(conn):
        row = conn.execute("SELECT 1 FROM device_readmissions r JOIN enrollment_codes c ON c.code_hash = r.code_hash"
                           " WHERE r.device_id = %s AND c.used_at IS NULL AND c.expires_at > now() LIMIT 1",
                           (device_id,)).fetchone()
        conn.commit()
    return row is not None


def _raise_if_revoked(status: str, *, for_push: bool) -> None:
    if status == "lost":
        raise DeviceRevokedError(RevocationInstruction(
            kind="lost", may_push=False, message="This device was reported lost; wipe the local profile."))
    if status == "retire" and not for_push:
        raise DeviceRevokedError(RevocationInstruction(
            kind="retire", may_push=True, message="This device is retired: push pending work, then wipe."))
    if status == "retired":
        raise DeviceRevokedError(RevocationInstruction(
            kind="retire", may_push=False, message="This device is retired; wipe the local profile."))


def finish_retirement(conn: Conn, device_id: str) -> None:
    """After the closing push of a retiring device nothing more is accepted from it."""
    conn.execute("UPDATE devices SET status = 'retired' WHERE id = %s AND status = 'retire'", (device_id,))
    conn.commit()
