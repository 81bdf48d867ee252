"""The next working day for a time limit set by law (lag 1930:173, 2 §) over the holidays of lag (1989:253)."""

from __future__ import annotations

from datetime import date

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
