"""The case list sorts names as a Swedish reader expects: å, ä, ö last and in that order (code points put ä before
å), an accented letter with its letter (é with e), a name in either Unicode form in the same place. On main the
names were compared by code point after case folding: "Ärla" came before "Åsa", and "Åke" sent as "A" and a
combining ring came among the A's. Fails on main."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from test_case_list_at_scale import _click_header
from uihelpers import unlock, window_over_new_profile

from ibic.demo import bulk_cases

GIVEN = ["Örjan", "Zara", unicodedata.normalize("NFD", "Åke"), "Ärla", "Émile", "Åsa", "adam"]
SWEDISH_ORDER = ["adam", "Émile", "Zara", "Åke", "Åsa", "Ärla", "Örjan"]
# ü as y, æ as ä, ø as ö and đ as d, as Swedish collation has them (CLDR's sv rules): on main ü sorted as u ("Müller"
# with "Muller", before "Myhr") and đ after every letter. Fails on main (s25-odd).
GIVEN_MORE = ["Müller", "Mærsk", "Myhr", unicodedata.normalize("NFD", "Mørk"), "Mäki", "Muller", "Đurić", "Dahl",
              "Dybeck"]
SWEDISH_ORDER_MORE = ["Dahl", "Đurić", "Dybeck", "Muller", "Myhr", "Müller", "Mäki", "Mærsk", "Mørk"]


@pytest.mark.parametrize(("given", "order"), [(GIVEN, SWEDISH_ORDER), (GIVEN_MORE, SWEDISH_ORDER_MORE)],
                         ids=["a-a-o-last", "u-umlaut-as-y"])
def test_a_click_on_the_name_header_sorts_in_swedish_order(qtbot, settings, profile_dir, given, order) -> None:  # type: ignore[no-untyped-def]
    people, cases = bulk_cases(len(given), date.today())
    for person, name in zip(people, given, strict=True):
        person.given_name = name
    main = window_over_new_profile(qtbot, settings, profile_dir, [(people, cases)])
    unlock(qtbot, main)
    case_list = main.case_list
    shown = case_list.shown

    def given_names() -> list[str]:
        return [unicodedata.normalize("NFC", str(shown.data(shown.index(row, 0)))).split(" ")[0]
                for row in range(shown.rowCount())]

    _click_header(qtbot, case_list, "name")
    assert given_names() == order
    _click_header(qtbot, case_list, "name")  # descending
    assert given_names() == order[::-1]
