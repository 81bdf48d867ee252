"""Issue 14: the case list's models hold no more per case than the list shows (bench/bench_caselist.py measures it
at 50,000 cases). Memory is counted with tracemalloc, which is deterministic, so the bound is exact, not a timing;
and what the smaller rows keep must still show, sort and find every case as the text it was stored as."""

from __future__ import annotations

import gc
import sys
import tracemalloc
from datetime import date

import pytest
from PySide6.QtCore import Qt
from uihelpers import unlocked_with_bulk_cases

from ibic.personal_number import PersonalNumber
from ui.cases.list_rows import COLUMNS

BULK = 10_000


@pytest.fixture
def bulk_profile(demo_profile_dir):  # type: ignore[no-untyped-def]
    """The demo profile with 10,000 placeholder cases more, unlocked."""
    profile = unlocked_with_bulk_cases(demo_profile_dir, BULK, seed=5)
    yield profile
    profile.lock()


def _listed_page(qtbot, profile):  # type: ignore[no-untyped-def]
    from ibic.reference import load_reference_data
    from ui.cases.case_list import CaseListPage

    page = CaseListPage(load_reference_data(), today=date.today)
    qtbot.addWidget(page)
    page.set_rows(profile.cases.list_summaries())
    qtbot.waitUntil(page.model.orders_ready)  # every column's order, made in idle turns
    return page


def test_the_list_keeps_less_a_case_than_the_text_it_shows(qtbot, bulk_profile) -> None:  # type: ignore[no-untyped-def]
    """Both lists' models after a listing (every order made), per case, against the case table's cells as Python
    strings: 971 vs 641 bytes at 10,000 cases before the rows shared their deadline and state, the work list kept
    columns, the personnummer and the last change went into arrays beside the rows and the ids into one sorted
    array (the orders stay lists: see the test below); 588 after; ~380 with the ids, case numbers and names packed
    (session 20)."""
    from ibic.reference import load_reference_data
    from ui.cases.case_list import CaseListPage

    page = CaseListPage(load_reference_data(), today=date.today)
    qtbot.addWidget(page)
    gc.collect()
    tracemalloc.start()  # what a listing adds to the page (its texts read from the store included), not the widgets
    try:
        rows = bulk_profile.cases.list_summaries()
        page.set_rows(rows)
        del rows
        qtbot.waitUntil(page.model.orders_ready)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    model = page.model
    count = model.rowCount()
    shown = sum(sys.getsizeof(model.data(model.index(r, c))) for r in range(count) for c in range(len(COLUMNS)))
    assert count == BULK + 3
    assert kept <= shown, f"{kept / count:.0f} bytes kept a case, {shown / count:.0f} shown"


def test_every_personnummer_is_shown_masked_sorted_and_found_as_stored(qtbot, bulk_profile) -> None:  # type: ignore[no-untyped-def]
    """Twelve digits are kept as an int: the column still shows each stored number masked, a header click orders
    the cases by the stored text, and the digits typed find the case."""
    page = _listed_page(qtbot, bulk_profile)
    stored = {s.case_number: s.personal_number for s in bulk_profile.cases.list_summaries()}
    shown, number, personal = page.shown, COLUMNS.index("case_number"), COLUMNS.index("personal_number")

    def column(index: int) -> list[str]:
        return [shown.data(shown.index(row, index)) for row in range(shown.rowCount())]

    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        page.table.sortByColumn(personal, order)
        numbers = column(number)
        assert [stored[n] for n in numbers] == sorted(stored.values(), reverse=order == Qt.SortOrder.DescendingOrder)
        assert column(personal) == [PersonalNumber(stored[n]).masked() for n in numbers]
    case_number, digits = next((n, p) for n, p in stored.items() if n.startswith("BENCH"))
    page.search.setText(digits)
    assert case_number in column(number)
    assert all(stored[n] == digits or digits in n.replace("-", "") for n in column(number))


def test_a_search_in_an_order_just_chosen_makes_no_int_object_a_row(qtbot, bulk_profile) -> None:  # type: ignore[no-untyped-def]
    """The first search after a header click picks its rows out of that column's order: the order's own int objects,
    made once at the listing and shared by every order. An order kept as an ``array('i')`` made an int object a row
    (28 bytes) at that key: ~0.8 ms of it at 50,000 cases (bench_caselist). Picking itself takes two tuples and a
    list of references, about 26 bytes a row at most; an int object a row more would take it over 40."""
    page = _listed_page(qtbot, bulk_profile)
    for column in ("name", "case_number"):
        page.search.clear()
        page.table.sortByColumn(COLUMNS.index(column), Qt.SortOrder.AscendingOrder)
        gc.collect()
        tracemalloc.start()
        try:
            page.search.setText("testperson 0")  # pasted: picked out of the whole order
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        count = page.model.rowCount()
        assert count // 2 < page.shown.rowCount() < count  # most rows, not all: picked, not tested one by one
        assert peak / count < 40, f"{peak / count:.0f} bytes a row while the first search in {column} order picked"


def test_the_kept_lists_are_read_without_an_object_a_case_for_its_ids_numbers_and_names(bulk_profile) -> None:  # type: ignore[no-untyped-def]
    """What an unlock reads from the kept lists (``kept_listing.decode``) makes two objects a case, kept as they
    were for search's and sorting's speed (its search text and its place in the deadline order, an int), and a few
    shared ones: the ids, case numbers and names stay packed (``ui.cases.packed``) and the rows are made when asked
    for. Made and dropped they would cost the process's memory anyway (their pools stay: bench/README "s19-mem").
    Format 1 made four strings and a ``ListRow`` a case more: 6.4 blocks a case; 2.36 now."""
    from ibic.reference import load_reference_data
    from ui.cases import kept_listing
    from ui.cases.case_list import prepared_listing

    ref = load_reference_data()
    today = date.today()
    value = kept_listing.encode(bulk_profile.cases.read_summaries(lambda rows: prepared_listing(rows, ref, today),
                                                                  refresh=False))
    gc.collect()
    tracemalloc.start()
    try:
        listing = kept_listing.decode(value, ref)
        blocks = sum(stat.count for stat in tracemalloc.take_snapshot().statistics("filename"))
    finally:
        tracemalloc.stop()
    count = len(listing)
    assert count == BULK + 3 and len(listing.work) > BULK  # every case, and the work list's rows
    assert blocks < 2.5 * count, f"{blocks / count:.2f} blocks a case"
    columns = listing.cases.columns
    assert [columns.case_numbers[i] for i in (0, count - 1)] == [
        s.case_number for s in bulk_profile.cases.list_summaries(refresh=False)[::count - 1]]
