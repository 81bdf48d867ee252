"""Person.sex comes from the personnummer when not given: odd födelsenummer a man, even a woman (point 2)."""

from __future__ import annotations

from ibic.people import Person, sex_from_personal_number
from ibic.vocabulary import Sex


def _person(number: str, **values: object) -> Person:
    return Person.model_validate({"given_name": "Test", "family_name": "Person", "personal_number": number,
                                  "fictitious": True, **values})


def test_odd_fodelsenummer_is_a_man_and_even_a_woman() -> None:
    assert _person("19121212-1212").sex == Sex.MALE  # serial 121: odd
    assert _person("19861123-9883").sex == Sex.FEMALE  # serial 988: even
    assert _person("20170101-2393").sex == Sex.MALE


def test_a_given_sex_is_kept_and_a_stored_one_survives_the_round_trip() -> None:
    person = _person("19121212-1212", sex="unspecified")
    assert person.sex == Sex.UNSPECIFIED
    assert Person.model_validate(person.model_dump(mode="json")).sex == Sex.UNSPECIFIED


def test_a_samordningsnummer_follows_the_same_rule() -> None:
    assert sex_from_personal_number("191212721212") == Sex.MALE  # day 12 + 60
    assert sex_from_personal_number(None) == Sex.UNSPECIFIED
