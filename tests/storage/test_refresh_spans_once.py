"""The day's refresh builds each case's decisions in force once (``Case.in_force_spans``): its reminders, the
decisions it holds and its hours in force each built them again, three builds a case (s31's read-back), and the
columns they give are those the rules give one by one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from storage_support import TODAY, listed_stale

from ibic.cases import Case
from ibic.deadlines import reminders
from ibic.granted_hours import hours_spans
from ibic.reference import load_reference_data
from ibic.reminders import ReminderKind
from ibic.vocabulary import CaseStatus
from ibic.work_list import day_columns, held_insatser
from storage.profile import Profile

NEXT_DAY = TODAY + timedelta(days=1)


def test_the_days_refresh_builds_each_cases_spans_once(profile: Profile, demo,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    people, cases = demo
    listed_stale(profile, people, cases)
    built: list[str] = []
    original = Case.in_force_spans

    def counted(case: Case) -> Any:
        built.append(case.id)
        return original(case)

    monkeypatch.setattr(Case, "in_force_spans", counted)
    refreshed = profile.cases.refresh_deadlines(NEXT_DAY)
    assert refreshed == len([c for c in cases if c.status != CaseStatus.CLOSED]) > 2
    assert len(built) == refreshed and len(set(built)) == refreshed  # on main: 3 a case


def test_the_columns_built_from_one_set_of_spans_are_the_rules_own(demo) -> None:  # type: ignore[no-untyped-def]
    rules = load_reference_data().rules
    _people, cases = demo
    for case in cases:
        work, held, hours = day_columns(case, NEXT_DAY, rules)
        assert [r for r, _large in work if r.kind != ReminderKind.FOLLOW_UP_PLANNED] == reminders(case, NEXT_DAY, rules)
        assert held == held_insatser(case, NEXT_DAY)
        assert hours == hours_spans(case, NEXT_DAY)
