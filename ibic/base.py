"""Common base for domain objects."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict


def new_id() -> str:
    """A fresh record id (UUID4, hex): unique across devices without coordination."""
    return uuid.uuid4().hex


class DomainModel(BaseModel):
    """Strict about unknown fields (a typo must not silently vanish) and validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
