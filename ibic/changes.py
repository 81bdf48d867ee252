"""Change-journal entries (the clock that orders them: ``ibic.stamps``).

A ``FieldChange`` is what the local store appends for every field it writes, and what sync pushes.
Conflicts are found by ``base_version`` (the server version the edit was made on), never by clock time:
the clock only orders entries for display and for replay on one device.
"""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Plain modules of their own (the store imports them without pydantic); named here too, where callers found them.
from ibic.canonical import canonical_json as canonical_json
from ibic.stamps import HybridLogicalClock as HybridLogicalClock
from ibic.stamps import parse_hlc as parse_hlc

RecordType = Literal["case", "person"]


class FieldChange(BaseModel):
    """One journal entry: one field of one record set to one value (or an element removed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    op_id: str = Field(min_length=32, max_length=36)
    record_type: RecordType
    record_id: str = Field(min_length=1, max_length=64)
    path: str = Field(min_length=1, max_length=512)
    op: Literal["set", "remove"]
    value: Any = None
    base_version: int = Field(ge=0)
    hlc: str = Field(min_length=1, max_length=64)
    device_id: str = Field(min_length=1, max_length=64)
    user_id: str = Field(min_length=1, max_length=64)

    def content_hash(self) -> str:
        """Hash of what the change does (not who or when): the same op id must always carry the same hash."""
        return hashlib.sha256(self.content_text().encode("utf-8")).hexdigest()

    def content_text(self) -> str:
        """The canonical JSON text ``content_hash`` is taken of (it may hold a lone surrogate: not yet encoded)."""
        return canonical_json([self.record_type, self.record_id, self.path, self.op, self.value, self.base_version])
