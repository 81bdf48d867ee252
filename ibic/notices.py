"""When a decision reached the person, and when the utförare got its uppdrag (issue 13, point 8).

A decision is frozen once made; sending it is a later, separate fact. The beslutsmeddelande records the day it was
sent and the day the person took part of it (delgivning): the appeal period (FL 44 §, three weeks) runs from the
latter, never from the decision day or the day it was posted.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from ibic.base import DomainModel, new_id
from ibic.decisions import appeal_deadline

NOTE_MAX = 2000
NAME_MAX = 200


class DecisionNotice(DomainModel):
    """One beslutsmeddelande: the decisions it carried, when it was sent and when the person took part of it."""

    id: str = Field(default_factory=new_id)
    decision_ids: list[str] = Field(default_factory=list)
    sent_on: date
    notified_on: date | None = None
    note: str = Field(default="", max_length=NOTE_MAX)

    @model_validator(mode="after")
    def _notified_after_sent(self) -> DecisionNotice:
        if self.notified_on is not None and self.notified_on < self.sent_on:
            raise ValueError("the person cannot take part of a decision before it was sent")
        return self


class ProviderOrder(DomainModel):
    """One uppdrag/beställning sent to the utförare for some decisions."""

    id: str = Field(default_factory=new_id)
    decision_ids: list[str] = Field(default_factory=list)
    provider: str = Field(default="", max_length=NAME_MAX)
    sent_on: date


def notice_for(notices: list[DecisionNotice], decision_id: str) -> DecisionNotice | None:
    """The latest beslutsmeddelande that carried ``decision_id`` (a resent one replaces the first)."""
    carrying = [n for n in notices if decision_id in n.decision_ids]
    return max(carrying, key=lambda n: n.sent_on) if carrying else None


def appeal_deadline_for(notices: list[DecisionNotice], decision_id: str, weeks: int) -> date | None:
    """The last day to appeal: ``weeks`` from the day the person took part of it; None while that is unknown."""
    notice = notice_for(notices, decision_id)
    if notice is None or notice.notified_on is None:
        return None
    return appeal_deadline(notice.notified_on, weeks)
