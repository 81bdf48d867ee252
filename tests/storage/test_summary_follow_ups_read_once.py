"""A case's summary (its work list rows and its hours in force, ``storage.repositories.cases.case_summary``) reads
each follow-up held once: the reminders and the hours' spans each read them (``ibic.deadlines.followed_on``), twice a
case at every save and at the day's refresh of every open case (s30's read-back)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from storage_support import TODAY

import ibic.deadlines
from storage.profile import Profile


def test_a_save_and_the_days_refresh_read_each_follow_up_held_once(  # type: ignore[no-untyped-def]
    profile: Profile, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    people, cases = demo
    profile.people.save_many(people)
    case = next(c for c in cases if c.follow_ups)
    follow_up = case.follow_ups[0]
    case.follow_ups[0] = follow_up.model_copy(update={"done_on": TODAY - timedelta(days=30)})  # held a month ago
    read: Counter[str] = Counter()
    is_made_by = ibic.deadlines.is_made_by

    def counted(held, day):  # type: ignore[no-untyped-def]
        read[held.id] += 1
        return is_made_by(held, day)

    monkeypatch.setattr(ibic.deadlines, "is_made_by", counted)
    profile.cases.save(case)  # its summary for the day
    assert read == {follow_up.id: 1}, read  # on main: 2, the reminders' and the hours'
    read.clear()
    profile.cases.list_summaries(today=TODAY + timedelta(days=1))  # the next day's refresh
    assert read == {follow_up.id: 1}, read
