"""Messages exchanged by the sync client and the central server (pydantic v2, strict, bounded).

Both ends import this module, so a change here is a protocol change: bump ``PROTOCOL_VERSION`` when an old
peer could misread a message. Every message carries ``protocol``; a server refuses versions newer than its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ibic.changes import FieldChange

PROTOCOL_VERSION = 1
MAX_PUSH_BATCH = 500
MAX_PULL_LIMIT = 1000
MAX_AUDIT_BATCH = 1000
MAX_BODY_BYTES = 8 * 1024 * 1024

Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
RecordType = Literal["case", "person"]
RevocationKind = Literal["retire", "lost"]


class Message(BaseModel):
    """Base of every message: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    protocol: int = Field(default=PROTOCOL_VERSION, ge=1, le=PROTOCOL_VERSION)


# --- enrollment and tokens ---------------------------------------------------------------------------------


class EnrollRequest(Message):
    """The one-time code from IT plus the laptop's own device id."""

    code: str = Field(min_length=8, max_length=64)
    device_id: Identifier
    device_name: str = Field(default="", max_length=100)


class EnrollResponse(Message):
    """The device credential (shown once, stored by the client) and a first access token."""

    user_id: str
    unit_id: str
    device_id: str
    device_credential: str
    access_token: str
    expires_at: datetime


class TokenRequest(Message):
    """Exchange the long-lived device credential for a short-lived access token."""

    device_id: Identifier
    device_credential: str = Field(min_length=16, max_length=128)


class TokenResponse(Message):
    access_token: str
    expires_at: datetime


class RevocationInstruction(Message):
    """Answer (HTTP 410) to a revoked device: ``retire`` may push pending work first; ``lost`` wipes at once."""

    error: Literal["device_revoked"] = "device_revoked"
    kind: RevocationKind
    may_push: bool = False
    message: str = ""


# --- push --------------------------------------------------------------------------------------------------


class PushRequest(Message):
    """A bounded batch of journal entries, oldest first; ``closing`` ends a retired device's last push."""

    changes: list[FieldChange] = Field(default_factory=list, max_length=MAX_PUSH_BATCH)
    closing: bool = False


OpStatus = Literal["applied", "duplicate", "conflict", "rejected"]


class OpResult(Message):
    """What happened to one operation of a push."""

    op_id: str
    status: OpStatus
    new_version: int | None = None
    server_value: Any = None
    server_version: int | None = None
    reason: str = ""


class PushResponse(Message):
    results: list[OpResult]
    revocation: RevocationInstruction | None = None


# --- pull --------------------------------------------------------------------------------------------------


class PullRequest(Message):
    """Changes after ``cursor`` (a server sequence number); ``case_id`` narrows the pull to one case."""

    cursor: int = Field(default=0, ge=0)
    limit: int = Field(default=500, ge=1, le=MAX_PULL_LIMIT)
    case_id: Identifier | None = None


class ServerChange(Message):
    """One applied change as the server logged it."""

    seq: int
    record_type: RecordType
    record_id: str
    path: str
    op: Literal["set", "remove"]
    value: Any = None
    version: int
    op_id: str


class WithdrawnCase(Message):
    """A case reassigned away from the caller's handläggare: the laptop deletes it once its work is pushed."""

    seq: int
    case_id: str


class PullResponse(Message):
    changes: list[ServerChange]
    next_cursor: int
    has_more: bool
    withdrawn: list[WithdrawnCase] = Field(default_factory=list)


# --- records (read one record whole) --------------------------------------------------------------------


class RecordSnapshot(Message):
    """A record's current document and version as the server holds it."""

    record_type: RecordType
    record_id: str
    version: int
    document: dict[str, Any]


# --- audit -------------------------------------------------------------------------------------------------


class AuditEntryMessage(Message):
    """One entry of the device's hash-chained audit log (``detail`` never holds personal data)."""

    seq: int = Field(ge=1)
    entry_id: str = Field(min_length=1, max_length=64)
    at: str = Field(min_length=10, max_length=40)  # the exact ISO text that was hashed
    user_id: Identifier
    device_id: Identifier
    action: str = Field(min_length=1, max_length=32)
    case_id: str | None = Field(default=None, max_length=64)
    detail: str = Field(default="", max_length=500)
    prev_hash: Sha256Hex
    hash: Sha256Hex


class AuditUpload(Message):
    entries: list[AuditEntryMessage] = Field(max_length=MAX_AUDIT_BATCH)


class AuditAck(Message):
    """The highest device sequence number the server holds after this upload."""

    stored_through_seq: int


# --- errors and health -------------------------------------------------------------------------------------


class ErrorBody(Message):
    """Every 4xx/5xx answer: a stable code, an English sentence, and where in the request the problem lies."""

    error: str
    message: str
    details: list[str] = Field(default_factory=list)


class Health(Message):
    status: Literal["ok"] = "ok"
    database: bool
