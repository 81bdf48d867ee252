"""One person per personnummer on the laptop: known people are found by name or number, and a second person on a
number already held is refused."""

from __future__ import annotations

from datetime import date

import pytest

from ibic.case_actions import new_case
from ibic.people import Person
from ibic.vocabulary import Applicant, CaseOrigin
from storage.errors import PersonalNumberHeld


@pytest.fixture
def stored(profile, demo):
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    return people, cases


def test_a_known_person_is_found_by_name_in_any_case_and_by_number_with_or_without_a_dash(profile, stored) -> None:
    people, cases = stored
    target = people[0]
    by_name = profile.people.find(target.family_name.upper()[:5])
    assert target.id in [p.person_id for p in by_name]
    formatted = f"{target.personal_number[:8]}-{target.personal_number[8:]}"
    for typed in (target.personal_number, formatted, formatted[2:]):
        found = profile.people.find(typed)
        assert [p.person_id for p in found] == [target.id], typed
    known = found[0]
    assert {c.case_id for c in known.cases} == {c.id for c in cases if c.person_id == target.id}
    assert profile.people.find("") == []
    assert profile.people.find("%") == [], "LIKE wildcards are matched literally"


def test_a_second_person_on_a_held_number_is_refused_and_nothing_is_stored(profile, stored) -> None:
    people, _ = stored
    held = people[0]
    twin = Person(given_name="Ny", family_name="Person", personal_number=held.personal_number)
    with pytest.raises(PersonalNumberHeld) as refused:
        profile.people.save_new(twin)
    assert refused.value.person_id == held.id
    assert held.personal_number not in str(refused.value)
    assert [p.person_id for p in profile.people.find(held.personal_number)] == [held.id]


def test_a_new_case_for_the_known_person_keeps_one_person(profile, stored) -> None:
    people, _ = stored
    known = profile.people.load(people[0].id)
    profile.people.save_new(known)  # the same person: nothing to refuse
    case = new_case(known, origin=CaseOrigin.PHONE_CALL, applicant=Applicant.PERSON, opened_on=date(2026, 12, 1),
                    caseworker="Handläggare Test", unit="Enhet Test")
    profile.cases.save(case)
    holder = profile.people.holder_of(known.personal_number)
    assert holder is not None and holder.person_id == known.id
    assert case.id in {c.case_id for c in holder.cases}
