"""The application (ansökan): the person may apply for anything; their own words set the frame."""

from __future__ import annotations

from pydantic import Field, model_validator

from ibic.base import DomainModel, new_id, reads
from ibic.limits import EventDate, Identifier, LongText
from ibic.vocabulary import ApplicationForm


class ApplicationItem(DomainModel):
    """One thing applied for: a catalogue insats, or free text when nothing in the catalogue fits."""

    id: Identifier = Field(default_factory=new_id)
    insats_id: Identifier | None = None
    free_text: LongText = ""
    in_persons_words: LongText = ""

    @model_validator(mode="after")
    @reads("insats_id", "free_text")
    def _something_applied_for(self) -> ApplicationItem:
        if not self.insats_id and not self.free_text.strip():
            raise ValueError("an application item needs a catalogue insats or a free-text description")
        return self


class Application(DomainModel):
    received_on: EventDate | None = None
    form: ApplicationForm = ApplicationForm.ORAL
    signed_by_person: bool = False
    items: list[ApplicationItem] = Field(default_factory=list)
    withdrawn_on: EventDate | None = None

    def item(self, item_id: str) -> ApplicationItem | None:
        return next((item for item in self.items if item.id == item_id), None)
