"""Property tests: every valid form is accepted, every broken one refused with the right kind.

The ``personnummer`` package (shared test data across many languages) is the independent oracle on the
12-digit form, where its semantics and ours agree (both refuse serial 000). It differs on purpose elsewhere:
it accepts '+' with 12 digits and birth dates in the future, and infers a 10-digit century from the year alone.
Generated numbers are never paired with names.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from personnummer import personnummer

from ibic.errors import InvalidPersonalNumber, PersonalNumberErrorKind
from ibic.limits import EARLIEST_BIRTH
from ibic.personal_number import parse_personal_number

TODAY = date(2026, 11, 23)
# Born from the product's first birth date (ibic.limits, 1900-01-01: up to 126 years old) until today.
birth_dates = st.dates(min_value=EARLIEST_BIRTH, max_value=TODAY)
serials = st.integers(min_value=1, max_value=999).map(lambda n: f"{n:03d}")


def luhn(nine: str) -> str:
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def twelve_digits(born: date, serial: str, coordination: bool) -> str:
    day = born.day + (60 if coordination else 0)
    body = f"{born.year:04d}{born.month:02d}{day:02d}{serial}"
    return body + luhn(body[2:])


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@st.composite
def valid_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(a valid written form, its 12 normalised digits)."""
    born, serial, coordination = draw(birth_dates), draw(serials), draw(st.booleans())
    digits = twelve_digits(born, serial, coordination)
    sep = "+" if age_on(born, TODAY) >= 100 else "-"
    forms = [digits, f"{digits[:8]}-{digits[8:]}", f"{digits[2:8]}{sep}{digits[8:]}"]
    if sep == "-":
        forms.append(digits[2:])
    return draw(st.sampled_from(forms)), digits


@given(valid_numbers())
def test_every_valid_form_is_accepted_and_normalised(case: tuple[str, str]) -> None:
    text, digits = case
    assert parse_personal_number(text, today=TODAY).digits == digits


@given(birth_dates, serials, st.booleans())
def test_parsed_birth_date_is_the_generated_one(born: date, serial: str, coordination: bool) -> None:
    number = parse_personal_number(twelve_digits(born, serial, coordination), today=TODAY)
    assert number.birth_date == born
    assert number.is_coordination_number == coordination


@given(birth_dates, serials, st.booleans())
def test_oracle_accepts_what_we_generate_as_valid(born: date, serial: str, coordination: bool) -> None:
    assert personnummer.valid(twelve_digits(born, serial, coordination))


@given(st.from_regex(r"\A[0-9]{12}\Z"))
def test_twelve_digits_are_accepted_exactly_when_the_oracle_accepts(text: str) -> None:
    try:
        parse_personal_number(text, today=TODAY)
        accepted = True
    except InvalidPersonalNumber as exc:
        assert exc.kind in (PersonalNumberErrorKind.DATE, PersonalNumberErrorKind.CHECKSUM,
                            PersonalNumberErrorKind.SERIAL, PersonalNumberErrorKind.BIRTH_RANGE)
        accepted = False
    assert accepted == (personnummer.valid(text) and not _born_outside_range(text))


def _born_outside_range(text: str) -> bool:
    """We refuse a birth date in the future or before the product's range; the oracle looks at neither."""
    day = int(text[6:8]) - (60 if int(text[6:8]) > 60 else 0)
    try:
        born = date(int(text[:4]), int(text[4:6]), day)
    except ValueError:
        return False
    return born > TODAY or born < EARLIEST_BIRTH


@given(valid_numbers(), st.integers(min_value=1, max_value=9))
def test_any_other_check_digit_is_kind_checksum(case: tuple[str, str], shift: int) -> None:
    text, _ = case
    wrong = text[:-1] + str((int(text[-1]) + shift) % 10)
    with pytest.raises(InvalidPersonalNumber) as caught:
        parse_personal_number(wrong, today=TODAY)
    assert caught.value.kind == PersonalNumberErrorKind.CHECKSUM


@st.composite
def impossible_dates(draw: st.DrawFn) -> str:
    """YYYYMMDD that is no calendar date, neither as a personnummer nor as a samordningsnummer."""
    year = draw(st.integers(min_value=1880, max_value=2026))
    month = draw(st.integers(min_value=0, max_value=99))
    day = draw(st.integers(min_value=0, max_value=99))
    real_day = day - 60 if day > 60 else day
    try:
        date(year, month, real_day)
    except ValueError:
        return f"{year:04d}{month:02d}{day:02d}"
    assume(False)
    raise AssertionError("unreachable")


@given(impossible_dates(), serials)
def test_impossible_dates_are_kind_date(yyyymmdd: str, serial: str) -> None:
    body = yyyymmdd + serial
    text = body + luhn(body[2:])
    with pytest.raises(InvalidPersonalNumber) as caught:
        parse_personal_number(text, today=TODAY)
    assert caught.value.kind == PersonalNumberErrorKind.DATE
    assert not personnummer.valid(text)


_SHAPE = re.compile(r"\A([0-9]{2})?[0-9]{6}[-+]?[0-9]{4}\Z")


@given(st.text(max_size=20))
def test_any_text_is_parsed_or_refused_with_a_typed_error(text: str) -> None:
    cleaned = text.strip().replace(" ", "")
    try:
        number = parse_personal_number(text, today=TODAY)
    except InvalidPersonalNumber as exc:
        if not cleaned:
            assert exc.kind == PersonalNumberErrorKind.EMPTY
        elif not _SHAPE.match(cleaned):
            assert exc.kind == PersonalNumberErrorKind.FORMAT
        return
    assert re.fullmatch(r"[0-9]{12}", number.digits)


@given(valid_numbers())
def test_plus_with_twelve_digits_is_kind_separator(case: tuple[str, str]) -> None:
    _, digits = case
    with pytest.raises(InvalidPersonalNumber) as caught:
        parse_personal_number(f"{digits[:8]}+{digits[8:]}", today=TODAY)
    assert caught.value.kind == PersonalNumberErrorKind.SEPARATOR
