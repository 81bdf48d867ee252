"""A samordningsnummer printed under its own name: the utredning and the decision documents printed it under
"Personnummer" (s32-probe). A samordningsnummer is the day + 60 of one not folkbokförd; the number here is the test
personnummer 19121212-1212's day moved by 60 with its check digit, and the person is left without a name (a generated
number is never paired with one)."""

from __future__ import annotations

from datetime import date

from ibic.demo import demo_cases
from ibic.documents.beslutsmeddelande import build_beslutsmeddelande
from ibic.documents.parts import number_row
from ibic.documents.utredning import build_utredning
from ibic.personal_number import parse_personal_number
from ibic.reference import load_reference_data

TODAY = date(2026, 11, 23)
COORDINATION = "191212721003"


def test_the_row_names_the_number_for_what_it_is() -> None:
    assert number_row(parse_personal_number("191212121212")) == ("Personnummer", "19121212-1212")
    assert number_row(parse_personal_number(COORDINATION)) == ("Samordningsnummer", "19121272-1003")


def test_the_utredning_and_the_beslutsmeddelande_print_a_samordningsnummer_as_one() -> None:
    people, cases = demo_cases(TODAY)
    case = next(c for c in cases if c.decisions)
    person = next(p for p in people if p.id == case.person_id)
    person.given_name, person.family_name, person.personal_number = "", "", COORDINATION
    ref = load_reference_data()
    utredning = list(build_utredning(case, person, ref, today=TODAY, caseworker="Handläggare Demo", unit="",
                                     version=case.document_version).texts())
    notice = list(build_beslutsmeddelande(case, person, ref, today=TODAY,
                                          decision_ids=[case.decisions[0].id]).texts())
    for texts in (utredning, notice):
        assert "Samordningsnummer" in texts and "19121272-1003" in texts
        assert "Personnummer" not in texts
