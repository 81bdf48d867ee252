"""Swedish public holidays and the next working day, for time limits set by law.

Lag (1930:173) om beräkning av lagstadgad tid, 2 §: when the last day of a time limit falls on a Saturday, a Sunday
or another public holiday, midsommarafton, julafton or nyårsafton, the act may be done the next weekday. The
holidays are those of lag (1989:253) om allmänna helgdagar; the movable ones follow Easter. National law, the same
in every municipality: computed here, not reference data. Today's law for every year: nationaldagen a holiday and
annandag pingst none, as since 2005; a time limit that ran out before then is none the app computes.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """Påskdagen (the Gregorian computus, the anonymous algorithm in Meeus's form)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def _days_off(year: int) -> frozenset[date]:
    """The public holidays and the three aftons of 2 § that can fall on a weekday (those always on a Saturday or
    a Sunday, påskdagen, pingstdagen, midsommardagen, alla helgons dag, need no list)."""
    easter = easter_sunday(year)
    # Midsommarafton: the Friday between 19 and 25 June.
    midsummer_eve = next(date(year, 6, day) for day in range(19, 26) if date(year, 6, day).weekday() == 4)
    return frozenset({
        date(year, 1, 1), date(year, 1, 6),  # nyårsdagen, trettondedag jul
        easter - timedelta(days=2), easter + timedelta(days=1),  # långfredagen, annandag påsk
        easter + timedelta(days=39),  # Kristi himmelsfärds dag
        date(year, 5, 1), date(year, 6, 6), midsummer_eve,
        date(year, 12, 24), date(year, 12, 25), date(year, 12, 26), date(year, 12, 31),
    })


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _days_off(day.year)


def working_day_on_or_after(day: date) -> date:
    """``day`` itself, or the next weekday when it is a Saturday, a Sunday, a holiday or an afton (1930:173, 2 §)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
