"""The next working day for a time limit set by law (lag 1930:173, 2 §) over the holidays of lag (1989:253)."""

from __future__ import annotations

from datetime import date, timedelta

from ibic.decisions import appeal_deadline
from ibic.working_days import easter_sunday, is_working_day, working_day_on_or_after

# Påskdagen as the almanac gives it, over years where the computus's corrections differ.
EASTERS = [date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28), date(2030, 4, 21),
           date(2038, 4, 25), date(2049, 4, 18), date(2100, 3, 28)]


def test_easter_sunday_is_the_almanacs() -> None:
    assert [easter_sunday(d.year) for d in EASTERS] == EASTERS


def test_a_limit_on_a_weekday_holiday_or_afton_moves_to_the_next_weekday() -> None:
    cases = {
        date(2026, 12, 9): date(2026, 12, 9),  # a Wednesday: stays
        date(2026, 12, 12): date(2026, 12, 14),  # a Saturday
        date(2026, 12, 24): date(2026, 12, 28),  # julafton, juldagen, annandag jul on a Saturday, a Sunday
        date(2026, 12, 31): date(2027, 1, 4),  # nyårsafton, nyårsdagen, a weekend
        date(2027, 1, 6): date(2027, 1, 7),  # trettondedag jul
        date(2027, 3, 26): date(2027, 3, 30),  # långfredagen, påsk, annandag påsk
        date(2026, 5, 1): date(2026, 5, 4),  # första maj on a Friday
        date(2026, 5, 14): date(2026, 5, 15),  # Kristi himmelsfärds dag
        date(2026, 6, 5): date(2026, 6, 5),  # the day before nationaldagen
        date(2028, 6, 6): date(2028, 6, 7),  # nationaldagen on a Tuesday
        date(2027, 6, 25): date(2027, 6, 28),  # midsommarafton
    }
    assert {day: working_day_on_or_after(day) for day in cases} == cases
    assert not is_working_day(date(2026, 6, 19)) and is_working_day(date(2026, 6, 18))  # midsommarafton 2026


def test_the_appeal_period_ends_on_a_day_the_appeal_can_come_in() -> None:
    assert appeal_deadline(date(2026, 11, 23), 3) == date(2026, 12, 14)  # a Monday to a Monday
    assert appeal_deadline(date(2026, 12, 4), 3) == date(2026, 12, 28)  # not juldagen
    assert appeal_deadline(date(2026, 12, 5), 3) == date(2026, 12, 28)  # a delgivning on a Saturday


def _easter_by_epact(year: int) -> date:
    """Påskdagen by another road than the module's: Knuth's algorithm E (golden number and epact, TAOCP 1.3.2)."""
    golden = year % 19 + 1
    century = year // 100 + 1
    skipped_leap_days = 3 * century // 4 - 12
    moon_correction = (8 * century + 5) // 25 - 5
    sunday = 5 * year // 4 - skipped_leap_days - 10
    epact = (11 * golden + 20 + moon_correction - skipped_leap_days) % 30
    if (epact == 25 and golden > 11) or epact == 24:
        epact += 1
    full_moon = 44 - epact + (30 if 44 - epact < 21 else 0)  # a day of March, past 31 into April
    day = full_moon + 7 - (sunday + full_moon) % 7
    return date(year, 4, day - 31) if day > 31 else date(year, 3, day)


def _days_off_by_name(year: int) -> set[date]:
    """Lag (1989:253)'s holidays and 1930:173 2 §'s three aftons named one by one, from the weekday rule for each."""
    easter = _easter_by_epact(year)
    midsommardagen = next(date(year, 6, d) for d in range(20, 27) if date(year, 6, d).weekday() == 5)
    alla_helgons_dag = next(d for d in (date(year, 10, 31) + timedelta(days=n) for n in range(7)) if d.weekday() == 5)
    return {
        date(year, 1, 1), date(year, 1, 6), easter - timedelta(days=2), easter - timedelta(days=1), easter,
        easter + timedelta(days=1), date(year, 5, 1), easter + timedelta(days=39), easter + timedelta(days=49),
        date(year, 6, 6), midsommardagen - timedelta(days=1), midsommardagen, alla_helgons_dag,
        date(year, 12, 24), date(year, 12, 25), date(year, 12, 26), date(year, 12, 31),
    }


def test_every_day_from_1900_to_2100_is_a_working_day_exactly_when_no_rule_names_it() -> None:
    """Every day of 201 years against Easter by the epact and each holiday and afton by its own rule (today's
    calendar: nationaldagen a holiday, annandag pingst not, as since 2005)."""
    day, last = date(1900, 1, 1), date(2100, 12, 31)
    wrong: list[date] = []
    off = _days_off_by_name(day.year)
    while day <= last:
        if day.month == 1 and day.day == 1:
            off = _days_off_by_name(day.year)
            assert easter_sunday(day.year) == _easter_by_epact(day.year)
        expected = day.weekday() < 5 and day not in off
        if is_working_day(day) != expected:
            wrong.append(day)
        day += timedelta(days=1)
    assert wrong == []
