"""Personnummer and samordningsnummer: forms, century inference, and one error kind per failure."""

from __future__ import annotations

from datetime import date

import pytest

from ibic.errors import InvalidPersonalNumber, PersonalNumberErrorKind
from ibic.personal_number import PersonalNumber, luhn_check_digit, parse_personal_number

TODAY = date(2026, 11, 23)


def with_check_digit(nine: str) -> str:
    """An independent Luhn: double every other digit from the left, subtract 9 above 9."""
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return nine + str((10 - total % 10) % 10)


def ten(yymmdd: str, serial: str = "238", sep: str = "-") -> str:
    digits = with_check_digit(yymmdd + serial)
    return f"{digits[:6]}{sep}{digits[6:]}"


def twelve(yyyymmdd: str, serial: str = "238") -> str:
    return yyyymmdd[:2] + with_check_digit(yyyymmdd[2:] + serial)


def parse(text: str) -> PersonalNumber:
    return parse_personal_number(text, today=TODAY)


def error_kind(text: str) -> PersonalNumberErrorKind:
    with pytest.raises(InvalidPersonalNumber) as caught:
        parse(text)
    return caught.value.kind


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("19121212-1212", "191212121212"),
        ("191212121212", "191212121212"),
        ("121212+1212", "191212121212"),
        ("19861123-9883", "198611239883"),
        ("861123-9883", "198611239883"),
        ("8611239883", "198611239883"),
        ("20170101-2393", "201701012393"),
        ("170101-2393", "201701012393"),
        ("  19861123 - 9883 ", "198611239883"),
    ],
)
def test_every_accepted_form_is_normalised_to_twelve_digits(text: str, digits: str) -> None:
    assert parse(text).digits == digits


def test_ten_digits_with_dash_belong_to_the_latest_century_not_after_today() -> None:
    # 121212-1212 is a child born 2012, not Tolvan: he is over 100 and writes '+'.
    assert parse("121212-1212").digits == "201212121212"


def test_ten_digits_with_plus_mean_one_century_further_back() -> None:
    assert parse(ten("200101", sep="+")).birth_date == date(1920, 1, 1)
    # 1850: before the product's range of birth dates (ibic.limits), refused as out of range.
    assert error_kind(ten("500101", sep="+")) == PersonalNumberErrorKind.BIRTH_RANGE
    assert parse(ten("500101", sep="-")).birth_date == date(1950, 1, 1)


def test_birth_date_later_this_year_belongs_to_the_previous_century() -> None:
    assert parse(ten("261224")).birth_date == date(1926, 12, 24)
    assert parse(ten("261124")).birth_date == date(1926, 11, 24)


def test_birth_date_today_or_earlier_this_year_belongs_to_this_century() -> None:
    assert parse(ten("261123")).birth_date == date(2026, 11, 23)
    assert parse(ten("260101")).birth_date == date(2026, 1, 1)


def test_plus_with_birth_date_later_this_year_goes_two_centuries_back() -> None:
    # 1826 (two centuries back) lies before the product's range of birth dates: refused, not taken as 1926.
    assert error_kind(ten("261224", sep="+")) == PersonalNumberErrorKind.BIRTH_RANGE
    assert parse(ten("261224", sep="-")).birth_date == date(1926, 12, 24)


def test_samordningsnummer_adds_sixty_to_the_day() -> None:
    number = parse(ten("701063"))
    assert number.is_coordination_number
    assert number.birth_date == date(1970, 10, 3)
    assert number.digits.startswith("19701063")


def test_samordningsnummer_century_uses_the_real_birth_day() -> None:
    # Born 10 Nov this year (day 70): earlier than today, so this century, although "70" > "23".
    assert parse(ten("261170")).birth_date == date(2026, 11, 10)
    # Born 24 Nov (day 84): later than today, so the previous century.
    assert parse(ten("261184")).birth_date == date(1926, 11, 24)


def test_leap_day_is_accepted_in_a_leap_year_only() -> None:
    assert parse(twelve("20000229")).birth_date == date(2000, 2, 29)
    assert error_kind(twelve("19000229")) == PersonalNumberErrorKind.DATE
    assert error_kind(twelve("20230229")) == PersonalNumberErrorKind.DATE


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_input_is_kind_empty(text: str) -> None:
    assert error_kind(text) == PersonalNumberErrorKind.EMPTY


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "19121212-121",
        "1912121212123",
        "191212-12-12",
        "19121212/1212",
        "121212--1212",
        "1912121-21212",
        "19121212-12a2",
        "١٩١٢١٢١٢١٢١٢",  # Arabic-Indic digits: int() would accept them, storage must not
    ],
)
def test_malformed_input_is_kind_format(text: str) -> None:
    assert error_kind(text) == PersonalNumberErrorKind.FORMAT


@pytest.mark.parametrize(
    "yyyymmdd",
    ["19121312", "19120012", "19121200", "19121232", "19121292", "19121260", "19000229", "19120431", "19120491"],
)
def test_impossible_calendar_date_is_kind_date(yyyymmdd: str) -> None:
    # The check digit is right, so only the date can be the reason.
    assert error_kind(twelve(yyyymmdd)) == PersonalNumberErrorKind.DATE


def test_impossible_date_in_ten_digit_form_is_kind_date() -> None:
    assert error_kind(ten("121232")) == PersonalNumberErrorKind.DATE


@pytest.mark.parametrize("text", ["19121212-1213", "121212+1219", "19861123-9884", "8611239880"])
def test_wrong_check_digit_is_kind_checksum(text: str) -> None:
    assert error_kind(text) == PersonalNumberErrorKind.CHECKSUM


def test_plus_with_twelve_digits_is_kind_separator() -> None:
    assert error_kind("19121212+1212") == PersonalNumberErrorKind.SEPARATOR


def test_error_message_never_contains_the_number() -> None:
    for text in ("19121212-1213", "19121212+1212", "19121232-1212", "1912x2121212"):
        with pytest.raises(InvalidPersonalNumber) as caught:
            parse(text)
        assert "1212" not in str(caught.value)
        assert "1212" not in repr(caught.value.args)


def test_luhn_check_digit_of_known_test_numbers() -> None:
    assert luhn_check_digit("121212121") == 2
    assert luhn_check_digit("861123988") == 3
    assert luhn_check_digit("170101239") == 3


def test_serial_parity_tells_the_registered_sex() -> None:
    assert parse("19121212-1212").is_odd_serial  # Tolvan, registered as a man
    assert not parse("19861123-9883").is_odd_serial  # registered as a woman


def test_age_turns_on_the_birthday() -> None:
    number = parse("19861123-9883")
    assert number.age_on(date(2026, 11, 22)) == 39
    assert number.age_on(date(2026, 11, 23)) == 40


def test_formatted_masked_and_plain_text_forms() -> None:
    number = parse("121212+1212")
    assert number.formatted() == "19121212-1212"
    assert number.masked() == "19121212-****"
    assert str(number) == "191212121212"


def test_parse_without_today_uses_the_real_date() -> None:
    assert parse_personal_number("19121212-1212").digits == "191212121212"


def test_serial_000_is_never_issued() -> None:
    with pytest.raises(InvalidPersonalNumber) as caught:
        parse_personal_number(twelve("19121212", serial="000"))
    assert caught.value.kind == PersonalNumberErrorKind.SERIAL


def test_a_birth_date_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidPersonalNumber) as caught:
        parse_personal_number(twelve("20991231"), today=date(2026, 11, 23))
    assert caught.value.kind == PersonalNumberErrorKind.BIRTH_RANGE


def test_a_birth_date_that_exists_out_of_range_is_its_own_kind() -> None:
    """991231+9994 (born 1899) was told its birth date "does not exist" (s32-probe): it exists, before the range."""
    with pytest.raises(InvalidPersonalNumber) as caught:
        parse_personal_number("991231+9994", today=date(2026, 12, 7))
    assert caught.value.kind == PersonalNumberErrorKind.BIRTH_RANGE
    with pytest.raises(InvalidPersonalNumber) as impossible:
        parse_personal_number("19121312-1212", today=date(2026, 12, 7))
    assert impossible.value.kind == PersonalNumberErrorKind.DATE
