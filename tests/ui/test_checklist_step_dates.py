"""Seed 004's checklist review (Rapporter → Checklistegranskning): each step's date is the day the app holds for that
step. The life areas' step read the utredning's start date, beside "Nej" for areas never mapped."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from test_reports_menu import _rows, _trigger
from uihelpers import CASEWORKER, PASSPHRASE, unlock

from ibic.base import new_id
from ibic.demo import demo_cases
from ibic.investigation import LifeAreaAssessment
from storage.kdf import KdfParameters
from storage.profile import create_profile

TODAY = date.today()


@pytest.fixture
def two_reviewed(profile_dir: Path) -> Path:
    """The demo's decided hemtjänst case twice: started 40 days before its decision, one mapped 30 days before it
    (two areas, judged on two days), one with no life area mapped."""
    profile = create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters())
    people, cases = demo_cases(TODAY)
    template = next(c for c in cases if c.case_number == "DEMO-2025-0117")
    decided = template.decisions[0].decided_on
    for number, judged in (("CHK-1", (decided - timedelta(days=32), decided - timedelta(days=30))), ("CHK-2", ())):
        case = template.model_copy(deep=True, update={"id": new_id(), "case_number": number})
        case.investigation.started_on = decided - timedelta(days=40)
        case.investigation.assessments = [
            LifeAreaAssessment(area_id=area, own_description="Text.", judged_on=day)
            for area, day in zip(("d4", "d5"), judged, strict=False)
        ]
        cases.append(case)
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.lock()
    return profile_dir


def test_the_life_areas_step_is_dated_when_they_were_judged_never_by_the_utredning_start(  # type: ignore[no-untyped-def]
    qtbot, settings, two_reviewed
):
    from ui.main_window import MainWindow, StartOptions

    main = MainWindow(settings, StartOptions(profile_dir=two_reviewed, kdf=KdfParameters()))
    qtbot.addWidget(main)
    main.show()
    unlock(qtbot, main)
    try:
        rows = _rows(_trigger(main, "checklista"))
        decided = next(r[2] for r in rows if r[0] == "CHK-1" and r[1] == "Beslut")
        mapped = {r[0]: r[2] for r in rows if r[1] == "Livsområden kartlagda"}
        assert mapped["CHK-1"] == (date.fromisoformat(decided) - timedelta(days=30)).isoformat(), "the last judged"
        assert mapped["CHK-2"] == "", "no area mapped: no date, not the utredning's start"
    finally:
        main.session.lock()
