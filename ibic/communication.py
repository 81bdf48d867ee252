"""Kommunicering (FL 25 §): the person sees all material that matters and may comment before the decision."""

from __future__ import annotations

from pydantic import model_validator

from ibic.base import DomainModel, reads
from ibic.limits import EventDate, LongText
from ibic.vocabulary import CommunicationMethod


class Communication(DomainModel):
    """When and how the material was shown, to whom, and what the person answered.

    Either ``done_on`` with a method, or ``not_done_reason`` (e.g. the decision grants everything
    applied for, when kommunicering is not required).
    """

    done_on: EventDate | None = None
    method: CommunicationMethod | None = None
    with_whom: LongText = ""  # may list several people and their roles
    material: LongText = ""
    reply_by: EventDate | None = None
    response: LongText = ""
    not_done_reason: LongText = ""

    @model_validator(mode="after")
    @reads("done_on", "reply_by")
    def _reply_after_communication(self) -> Communication:
        if self.done_on and self.reply_by and self.reply_by < self.done_on:
            raise ValueError("reply date is before the communication date")
        return self

    @property
    def is_recorded(self) -> bool:
        return (self.done_on is not None and self.method is not None) or bool(self.not_done_reason.strip())
