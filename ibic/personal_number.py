"""Swedish personnummer and samordningsnummer: parsing, validation, normalisation.

Written here rather than taken from the ``personnummer`` package because the UI needs to
say *why* a number is refused (format, date, check digit, separator), and the package only
says that it is. The package is used in the tests as an independent oracle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ibic.errors import InvalidPersonalNumber
from ibic.errors import PersonalNumberErrorKind as Kind
from ibic.ranges import EARLIEST_BIRTH

# re.ASCII: without it \d also matches other scripts' digits, which int() accepts but storage must not.
_PATTERN = re.compile(
    r"^(?P<century>\d{2})?(?P<yymmdd>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$", re.ASCII
)
COORDINATION_DAY_OFFSET = 60


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit over YYMMDDNNN (weights 2,1,2,1,...)."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


@dataclass(frozen=True)
class PersonalNumber:
    """A validated number, kept as 12 digits (YYYYMMDDNNNC)."""

    digits: str

    @property
    def birth_date(self) -> date:
        day = int(self.digits[6:8])
        if self.is_coordination_number:
            day -= COORDINATION_DAY_OFFSET
        return date(int(self.digits[0:4]), int(self.digits[4:6]), day)

    @property
    def is_coordination_number(self) -> bool:
        return int(self.digits[6:8]) > COORDINATION_DAY_OFFSET

    @property
    def is_odd_serial(self) -> bool:
        """The födelsenummer's last digit is odd for men, even for women (as registered)."""
        return int(self.digits[10]) % 2 == 1

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def formatted(self) -> str:
        """YYYYMMDD-NNNC, the form used on screen and in documents."""
        return f"{self.digits[:8]}-{self.digits[8:]}"

    def masked(self) -> str:
        """YYYYMMDD-****: for lists where the screen may face someone else."""
        return f"{self.digits[:8]}-****"

    def __str__(self) -> str:
        return self.digits


def parse_personal_number(text: str, *, today: date | None = None) -> PersonalNumber:
    """Parse 10 or 12 digits with an optional ``-`` (or ``+`` from age 100) and validate it."""
    cleaned = (text or "").strip().replace(" ", "")
    if not cleaned:
        raise InvalidPersonalNumber(Kind.EMPTY, "no number given")
    match = _PATTERN.match(cleaned)
    if match is None:
        raise InvalidPersonalNumber(Kind.FORMAT, "expected YYMMDD-NNNC or YYYYMMDDNNNC")
    today = today or date.today()
    yymmdd, sep = match["yymmdd"], match["sep"]
    century = match["century"]
    if century is not None and sep == "+":
        raise InvalidPersonalNumber(Kind.SEPARATOR, "'+' is only used with 10 digits")
    if century is None:
        century = _infer_century(yymmdd, plus=(sep == "+"), today=today)
    digits = f"{century}{yymmdd}{match['serial']}{match['check']}"
    _check_date(digits)
    if match["serial"] == "000":
        raise InvalidPersonalNumber(Kind.SERIAL, "serial number 000 is never issued")
    if luhn_check_digit(digits[2:11]) != int(digits[11]):
        raise InvalidPersonalNumber(Kind.CHECKSUM, "check digit does not match")
    number = PersonalNumber(digits)
    if number.birth_date > today:
        raise InvalidPersonalNumber(Kind.BIRTH_RANGE, "birth date is in the future")
    if number.birth_date < EARLIEST_BIRTH:
        raise InvalidPersonalNumber(Kind.BIRTH_RANGE, "birth date is before the product's range")
    return number


def _infer_century(yymmdd: str, *, plus: bool, today: date) -> str:
    """The century a 10-digit number belongs to: the latest birth date not after today.

    With '+', the person is at least 100 years old, so one further century back.
    """
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET  # compare the birth date, not the samordningsnummer's day + 60
    year = today.year - (today.year - yy) % 100
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    if plus:
        year -= 100
    return f"{year // 100:02d}"


def _check_date(digits: str) -> None:
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    if day > COORDINATION_DAY_OFFSET:
        day -= COORDINATION_DAY_OFFSET
    try:
        date(year, month, day)
    except ValueError as exc:
        raise InvalidPersonalNumber(Kind.DATE, "not a real calendar date") from exc


def birth_date_of(digits: str, *, today: date | None = None) -> date | None:
    """The birth date a stored personnummer gives, or None where it does not parse (a number from the central
    system the laptop's rules refuse): for rules that read the birth only when there is one."""
    try:
        return parse_personal_number(digits, today=today).birth_date
    except InvalidPersonalNumber:
        return None
