"""Typed errors of the domain.

Messages are English (they may reach a log); they never contain field values. The UI maps
each error type (and its ``kind``) to one Swedish sentence.
"""

from __future__ import annotations

from enum import StrEnum


class DomainError(ValueError):
    """A rule of the domain was broken by the input."""


class PersonalNumberErrorKind(StrEnum):
    EMPTY = "empty"
    FORMAT = "format"
    DATE = "date"
    CHECKSUM = "checksum"
    SEPARATOR = "separator"
    SERIAL = "serial"  # the födelsenummer 000, never issued: the number is written right, its digits are not
    BIRTH_RANGE = "birth_range"  # a birth date that exists but lies after today or before the product's range


class InvalidPersonalNumber(DomainError):
    """A personnummer or samordningsnummer that cannot be accepted; ``kind`` says why."""

    def __init__(self, kind: PersonalNumberErrorKind, detail: str) -> None:
        super().__init__(f"invalid personal identity number ({kind.value}): {detail}")
        self.kind = kind


class DateOutOfRange(DomainError):
    """A date outside the product's range (``ibic.limits``) reached a computation that needs one inside it."""


class InvalidTransition(DomainError):
    """A case status change that the process does not allow."""


class DecisionIsFinal(DomainError):
    """An attempt to change a decision that has been made; changes are new records."""


class RefusalNotWithdrawn(DomainError):
    """A consent the person refused ("samtycker inte") is not withdrawn: the person's new word is a consent given."""


class ReferenceDataError(ValueError):
    """A reference data file is malformed; the message names the file, place and reason."""
