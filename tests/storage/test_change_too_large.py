"""No journal entry larger than one sync request carries (``ibic.limits.CHANGE_MAX_BYTES``): the save that would
make one is refused with ``ChangeTooLarge`` and writes nothing; once the element's entry is no longer pending (a push
settled it), the same text is saved as an entry of its own."""

from __future__ import annotations

import uuid

import pytest

from ibic.cases import Case
from ibic.changes import canonical_json
from ibic.document_paths import FieldsOf, diff
from ibic.investigation import SubAreaAssessment
from ibic.limits import CHANGE_MAX_BYTES, LONG_TEXT_MAX, change_fits
from ibic.people import Person
from ibic.reference import load_reference_data
from storage.errors import ChangeTooLarge
from storage.profile import Profile
from storage.sync_state import PushOutcome, RemoteChange

LONG = "\U0001f600" * LONG_TEXT_MAX  # 800 KB as UTF-8


def test_an_entry_fits_up_to_the_bound_as_utf_8() -> None:
    assert change_fits("x" * CHANGE_MAX_BYTES)
    assert not change_fits("x" * (CHANGE_MAX_BYTES + 1))
    four = "\U0001f600" * (CHANGE_MAX_BYTES // 4)
    assert change_fits(four) and not change_fits(four + "x")


def _pulled_case(profile: Profile, demo: tuple[list[Person], list[Case]]) -> Case:
    people, cases = demo
    profile.people.save_many(people)
    case = cases[0]
    changes = [RemoteChange("case", case.id, edit.path, "set", edit.value, 1, seq, uuid.uuid4().hex)
               for seq, edit in enumerate(diff({}, case.model_dump(mode="json")), start=1)]
    profile.sync.apply_remote(changes, new_cursor=len(changes))
    assert profile.journal.pending_count() == 0
    return profile.cases.load(case.id)


@pytest.mark.parametrize("known", [False, True], ids=["whole diff", "changed objects"])
def test_a_save_that_would_make_an_entry_too_large_is_refused_and_writes_nothing(
    profile: Profile, demo: tuple[list[Person], list[Case]], known: bool
) -> None:
    case = _pulled_case(profile, demo)
    area = next(a for a in load_reference_data().life_areas
                if len(a.sub_areas) >= 6 and case.investigation.assessment_for(a.id) is None)
    assessment = case.investigation.ensure_assessment(area.id)
    assessment.own_description = assessment.assessment = assessment.need = assessment.resources = LONG
    assessment.sub_areas = [SubAreaAssessment(code=sub.code, text=LONG) for sub in area.sub_areas[:6]]
    profile.cases.save(case)  # ten long texts: one entry, within the bound
    [entry] = profile.journal.pending()
    stored = profile.cases.load(case.id).model_dump_json()
    assessment.goal = LONG  # typed into the form that saved them
    with pytest.raises(ChangeTooLarge):
        profile.cases.save(case, [FieldsOf(assessment, frozenset({"goal"}))] if known else None)
    assert [change.op_id for change in profile.journal.pending()] == [entry.op_id]
    assert profile.cases.load(case.id).model_dump_json() == stored
    assert len(canonical_json(profile.journal.pending()[0].value).encode()) <= CHANGE_MAX_BYTES
    # A push settles the area's entry: the text typed since is an entry of its own.
    profile.sync.record_push_outcomes([PushOutcome(entry.op_id, "applied", 2)])
    profile.cases.save(case)
    [goal] = profile.journal.pending()
    assert (goal.path, goal.value) == (f"investigation/assessments/{area.id}/goal", LONG)
