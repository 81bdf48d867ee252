"""When a decision reached the person, and when the utförare got its uppdrag (issue 13, point 8).

A decision is frozen once made; sending it is a later, separate fact. The beslutsmeddelande records the day it was
sent and the day the person took part of it (delgivning): the appeal period (FL 44 §, three weeks) runs from the
latter, never from the decision day or the day it was posted.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from ibic.base import DomainModel, new_id, reads
from ibic.decisions import Decision, appeal_deadline
from ibic.limits import EventDate, Identifier, LongText, Name


class DecisionNotice(DomainModel):
    """One beslutsmeddelande: the decisions it carried, when it was sent and when the person took part of it."""

    id: Identifier = Field(default_factory=new_id)
    decision_ids: list[Identifier] = Field(default_factory=list)
    sent_on: EventDate
    notified_on: EventDate | None = None
    note: LongText = ""

    @model_validator(mode="after")
    @reads("sent_on", "notified_on")
    def _notified_after_sent(self) -> DecisionNotice:
        if self.notified_on is not None and self.notified_on < self.sent_on:
            raise ValueError("the person cannot take part of a decision before it was sent")
        return self


class ProviderOrder(DomainModel):
    """One uppdrag/beställning sent to the utförare for some decisions."""

    id: Identifier = Field(default_factory=new_id)
    decision_ids: list[Identifier] = Field(default_factory=list)
    provider: Name = ""
    sent_on: EventDate


def sent_before_decided(decisions: list[Decision], sent_on: date) -> date | None:
    """The day the last of ``decisions`` was made, if ``sent_on`` is before it, else None.

    A beslutsmeddelande or an uppdrag carries decisions already made: one dated earlier is a typing mistake, and a
    delgivning after it would give a last day to appeal before the decision existed."""
    made = max((d.decided_on for d in decisions), default=None)
    return made if made is not None and sent_on < made else None


def sent_ahead_of(today: date, sent_on: date) -> bool:
    """Whether ``sent_on`` is ahead of ``today``: a beslutsmeddelande or an uppdrag is recorded as sent once it was,
    so a day ahead is a mistyped year (s32-probe: "Skickat" 2099-12-29 printed "Sista dag att överklaga: 2100-01-21").
    The delgivning is not held to today: a förenklad delgivning's day may be recorded as it will be deemed done."""
    return sent_on > today


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
