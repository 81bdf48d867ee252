"""Messages of the integration API (/v1/integration/*): the case-management system's side of the server.

Strict like the laptop protocol (unknown fields are errors); documents are the ``ibic`` models as JSON and are
validated as whole models before anything is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field

from sync.protocol import AccountId, Message, RecordType

MAX_FIELD_WRITES = 200
# The journal entry's own bound; field names joined by single slashes. "/", "phone/" or "a//b" were taken: answered
# 403 naming an empty field, or 422 "the write cannot be applied (DomainError)".
DocumentPath = Annotated[str, Field(min_length=1, max_length=512, pattern=r"^[^/]+(/[^/]+)*$")]
MAX_FEED_LIMIT = 1000


class CaseRegistration(Message):
    """A case decided to be investigated, with its person, for a unit and (optionally) a handläggare."""

    case: dict[str, Any]
    person: dict[str, Any]
    unit_id: AccountId  # as IT created them ("Enhet Öst", "Åsa Öberg"): ``create-unit``, ``create-user``
    user_id: AccountId | None = None


class Assignment(Message):
    """Who a case belongs to from now on; ``user_id`` None leaves it with the unit, unassigned."""

    unit_id: AccountId
    user_id: AccountId | None = None


class FieldWrite(Message):
    """Values by document path (``address/street``, ``decision_statuses/<id>``), written as the central system."""

    values: dict[DocumentPath, Any] = Field(min_length=1, max_length=MAX_FIELD_WRITES)


class Written(Message):
    """A record after a central write: the version a later laptop edit must be based on."""

    record_type: RecordType
    record_id: str
    version: int


class Registered(Message):
    """A registered case and its person, with their versions."""

    case: Written
    person: Written


class FeedChange(Message):
    """One applied change, as every laptop and the central system made them, in the order they were applied."""

    seq: int
    record_type: RecordType
    record_id: str
    path: str
    op: str
    value: Any = None
    version: int
    op_id: str
    device_id: str
    logged_at: datetime


class ChangeFeed(Message):
    """A page of the change log; ``next_cursor`` is where the integration continues."""

    changes: list[FeedChange]
    next_cursor: int
    has_more: bool
