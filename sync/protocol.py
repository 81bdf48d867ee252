"""Messages exchanged by the sync client and the central server (pydantic v2, strict, bounded).

Both ends import this module, so a change here is a protocol change: bump ``PROTOCOL_VERSION`` when an old
peer could misread a message. Every message carries ``protocol``; a server refuses versions newer than its own.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)

from ibic.changes import FieldChange
from ibic.limits import REQUEST_MAX_BYTES
from sync.codes import LONGEST_CODE, SHORTEST_CODE

PROTOCOL_VERSION = 1
MAX_PUSH_BATCH = 500
MAX_PULL_LIMIT = 1000
MAX_AUDIT_BATCH = 1000
MAX_BODY_BYTES = REQUEST_MAX_BYTES  # a journal entry is bounded below it (ibic.limits.CHANGE_MAX_BYTES)
MAX_BIGINT = 2**63 - 1  # versions, sequence numbers and cursors are PostgreSQL bigint on the server

ID_PATTERN = r"^[A-Za-z0-9_.:\-]+$"  # and 1-64 characters: the ids a request names (and a URL path can hold)
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
# A new record's id: what a route's URL path and a laptop's pull of one case can name.
ID_RULE = "1-64 of the letters A-Z and a-z, digits, '_', '.', ':' and '-' (not '.' or '..')"
_ADDRESSABLE_ID = re.compile(ID_PATTERN)


def addressable(record_id: str) -> bool:
    """Whether ``record_id`` keeps ``ID_RULE``. Created as sent, "a/b" or ".." could never be named in a URL path
    again (its record, assignment and decisions: 404 "There is no such endpoint"), and "a b", "é" or "x?y" never in
    a laptop's pull of one case (``PullRequest.case_id``)."""
    return len(record_id) <= 64 and _ADDRESSABLE_ID.fullmatch(record_id) is not None and record_id not in (".", "..")


def same_user_id(a: str, b: str) -> bool:
    """Whether two user ids name one user. They are the municipality's AD accounts, which ignore case: a profile made
    as "Anna.Berg" is IT's "anna.berg" (``casefold``, as ``create-user`` compares them: ids may hold "Å")."""
    return a == b or a.casefold() == b.casefold()


Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
RecordType = Literal["case", "person"]
RevocationKind = Literal["retire", "lost"]
Counter = Annotated[int, Field(ge=0, le=MAX_BIGINT)]


def text_storable(text: str) -> bool:
    """PostgreSQL text and jsonb cannot hold U+0000, and UTF-8 no lone surrogate (JSON ``"\\ud800"`` alone)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _storable(text: str) -> str:
    if not text_storable(text):
        # The message names the problem, never the text (pydantic's own "input" is never echoed either).
        raise ValueError("text holds a character the server cannot store (U+0000 or a lone surrogate)")
    return text


def _iso_timestamp(text: str) -> str:
    """The audit entry's ``at`` as the laptop hashed it: an ISO date and time PostgreSQL can store."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("not a valid ISO 8601 date and time") from None
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > timedelta(hours=14):  # no real zone is further; PostgreSQL refuses 16 h
        raise ValueError("time zone offset out of range")
    return text


StorableText = Annotated[str, AfterValidator(_storable)]
# A unit or user id as IT creates it (``create-unit``, ``create-user``: 1-64 printable characters, "Åsa Öberg" too),
# not only the protocol's own ids: held to ``Identifier``, such a user's audit entries could never be uploaded.
AccountId = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_storable)]
IsoTimestamp = Annotated[
    str,
    Field(min_length=19, max_length=40,
          pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?$"),
    AfterValidator(_iso_timestamp),
]


class Message(BaseModel):
    """Base of every message: unknown fields are an error, never silently dropped; types are strict (JSON
    ``true`` is no integer, ``0`` no boolean, ``"1"`` no number), as the OpenAPI document says."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    protocol: int = Field(default=PROTOCOL_VERSION, ge=1, le=PROTOCOL_VERSION)


# --- enrollment and tokens ---------------------------------------------------------------------------------


class EnrollRequest(Message):
    """The one-time code from IT plus the laptop's own device id and its profile's user name (``user_id``: the server
    refuses a code of another user before spending it; a laptop from before session 25 sends none)."""

    code: StorableText = Field(min_length=SHORTEST_CODE, max_length=LONGEST_CODE)
    device_id: Identifier
    device_name: StorableText = Field(default="", max_length=100)
    user_id: AccountId | None = None


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
    device_credential: StorableText = Field(min_length=16, max_length=128)


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


class PushedChange(FieldChange):
    """A journal entry on the wire: strict JSON types like every message, and a base version the server holds."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    base_version: int = Field(ge=0, le=MAX_BIGINT)


def _journal_entries_as_they_are(value: Any, validate: ValidatorFunctionWrapHandler) -> Any:
    """The laptop's own journal entries are ``FieldChange`` objects, validated when they were made: passed as they
    are (strict mode would want the subclass; converting 500 cost 10-30 ms per batch). JSON is validated strictly."""
    return value if type(value) is FieldChange else validate(value)


if TYPE_CHECKING:  # what callers pass and read: journal entries
    PushedChanges = list[FieldChange]
else:
    PushedChanges = list[SerializeAsAny[Annotated[PushedChange, WrapValidator(_journal_entries_as_they_are)]]]


class PushRequest(Message):
    """A bounded batch of journal entries, oldest first; ``closing`` ends a retired device's last push."""

    changes: PushedChanges = Field(default_factory=list, max_length=MAX_PUSH_BATCH)
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

    cursor: Counter = 0
    limit: int = Field(default=500, ge=1, le=MAX_PULL_LIMIT)
    case_id: Identifier | None = None


class ServerChange(Message):
    """One applied change as the server logged it. ``device_id`` (the device that sent it) only in a pull that asks
    for it (``POST /v1/pull?authors=true``, s29): a restored laptop tells its own earlier text from a colleague's. Left
    out otherwise, never null: a laptop from before s29 refuses a key it does not know."""

    seq: int
    record_type: RecordType
    record_id: str
    path: str
    op: Literal["set", "remove"]
    value: Any = None
    version: int
    op_id: str
    device_id: Annotated[str | None, WithJsonSchema({"type": "string"})] = Field(
        default=None, exclude_if=lambda device: device is None)


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

    seq: int = Field(ge=1, le=MAX_BIGINT)
    entry_id: StorableText = Field(min_length=1, max_length=64)
    at: IsoTimestamp  # the exact ISO text that was hashed
    user_id: AccountId  # as the profile names its user: "Åsa Öberg" is an id IT may create
    device_id: Identifier
    action: StorableText = Field(min_length=1, max_length=32)
    case_id: StorableText | None = Field(default=None, max_length=64)
    detail: StorableText = Field(default="", max_length=500)
    prev_hash: Sha256Hex
    hash: Sha256Hex


class AuditUpload(Message):
    entries: list[AuditEntryMessage] = Field(max_length=MAX_AUDIT_BATCH)


class AuditAck(Message):
    """The highest device sequence number the server holds after this upload."""

    stored_through_seq: int


class AuditHead(Message):
    """The last entry of this device's chain the server holds (``GET /v1/audit/head``): seq 0 and no hash before
    the first. A restored laptop continues its chain on it (``sync.client.audit``)."""

    seq: int
    hash: Sha256Hex | None = None


# --- errors and health -------------------------------------------------------------------------------------


class ErrorBody(Message):
    """Every 4xx/5xx answer: a stable code, an English sentence, and where in the request the problem lies."""

    error: str
    message: str
    details: list[str] = Field(default_factory=list)


class Health(Message):
    status: Literal["ok"] = "ok"
    database: bool
