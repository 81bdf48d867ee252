"""The day's deadline refresh runs on a worker while the handläggare may save (issue 14: upkeep off the UI thread):
a case saved between the refresh's read and its write keeps what its own save wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from storage_support import TODAY

from ibic.application import ApplicationItem
from storage.profile import Profile
from storage.repositories import cases as case_repository


def test_a_case_saved_while_the_refresh_computes_keeps_its_own_summary(
    profile: Profile, demo, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    edited = profile.cases.load(cases[0].id)
    edited.application.items.append(ApplicationItem(free_text="Ledsagning till tandläkaren"))
    computed = case_repository.case_summary
    saved: list[bool] = []

    def save_during_the_refresh(case, today):  # type: ignore[no-untyped-def]
        if not saved:  # the handläggare's autosave lands after the refresh read the documents
            saved.append(True)
            profile.cases.save(edited)
        return computed(case, today)

    monkeypatch.setattr(case_repository, "case_summary", save_during_the_refresh)
    profile.cases.refresh_deadlines(TODAY + timedelta(days=1))
    assert saved
    row = next(s for s in profile.cases.list_summaries(today=TODAY + timedelta(days=1), refresh=False)
               if s.case_id == edited.id)
    assert "Ledsagning till tandläkaren" in row.applied_for
