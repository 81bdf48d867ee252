"""Common base for domain objects."""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


def new_id() -> str:
    """A fresh record id (UUID4, hex): unique across devices without coordination.

    What ``uuid.uuid4().hex`` gives (16 random bytes, version and variant bits set), without building the UUID
    object: every autosave makes two (the journal entry and the audit entry).
    """
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # the RFC 4122 variant
    return raw.hex()


class DomainModel(BaseModel):
    """Strict about unknown fields (a typo must not silently vanish) and validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    def __setattr__(self, name: str, value: Any) -> None:
        # pydantic stores an assigned value before running the model's own cross-field checks and keeps it when
        # they fail; a refused assignment must leave the object as it was, or the refused state gets saved.
        before, fields_set = dict(self.__dict__), set(self.__pydantic_fields_set__)
        try:
            super().__setattr__(name, value)
        except ValidationError:
            self.__dict__.clear()
            self.__dict__.update(before)
            object.__setattr__(self, "__pydantic_fields_set__", fields_set)
            raise
