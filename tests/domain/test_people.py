"""The person: number kept as 12 digits, representatives and their mandate, address on one line."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from ibic.people import Address, Person, Representative
from ibic.vocabulary import RepresentativeKind


def person(**fields: object) -> Person:
    values: dict[str, object] = {"given_name": "Greta", "family_name": "Provsson", "personal_number": "861123-9883"}
    values.update(fields)
    return Person.model_validate(values)


def test_personal_number_is_stored_as_twelve_digits() -> None:
    assert person().personal_number == "198611239883"
    assert person().number.formatted() == "19861123-9883"


def test_an_invalid_personal_number_refuses_the_person() -> None:
    with pytest.raises(ValidationError):
        person(personal_number="19861123-9884")


def test_changing_the_number_is_validated_too() -> None:
    greta = person()
    with pytest.raises(ValidationError):
        greta.personal_number = "nonsense"
    greta.personal_number = "121212+1212"
    assert greta.personal_number == "191212121212"


def test_full_name_and_age() -> None:
    greta = person()
    assert greta.full_name == "Greta Provsson"
    assert greta.age_on(date(2026, 11, 23)) == 40


def test_representatives_on_a_day_follow_their_mandate() -> None:
    always = Representative(kind=RepresentativeKind.GOD_MAN, name="Gustav Godman (fiktiv)")
    ended = Representative(kind=RepresentativeKind.OMBUD, name="Olle Ombud (fiktiv)", valid_to=date(2026, 6, 30))
    future = Representative(
        kind=RepresentativeKind.FRAMTIDSFULLMAKT, name="Fia Fullmakt (fiktiv)", valid_from=date(2027, 1, 1)
    )
    greta = person(representatives=[always, ended, future])
    assert greta.representatives_on(date(2026, 6, 30)) == [always, ended]
    assert greta.representatives_on(date(2026, 11, 23)) == [always]
    assert greta.representatives_on(date(2027, 1, 1)) == [always, future]


@pytest.mark.parametrize(
    ("kind", "may_apply"),
    [
        (RepresentativeKind.GOD_MAN, True),
        (RepresentativeKind.FORVALTARE, True),
        (RepresentativeKind.FRAMTIDSFULLMAKT, True),
        (RepresentativeKind.OMBUD, True),
        (RepresentativeKind.CONTACT_RELATIVE, False),
    ],
)
def test_who_may_apply_on_the_persons_behalf(kind: RepresentativeKind, may_apply: bool) -> None:
    assert Representative(kind=kind, name="Namn (fiktiv)").may_apply_on_behalf() == may_apply


def test_address_on_one_line_skips_empty_parts() -> None:
    full = Address(care_of="Dottern", street="Testgatan 12", postal_code="123 45", city="Demostad")
    assert full.one_line() == "c/o Dottern, Testgatan 12, 123 45 Demostad"
    assert Address(city="Demostad").one_line() == "Demostad"
    assert Address().one_line() == ""


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        person(nickname="Gretchen")
