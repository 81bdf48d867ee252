"""The packed string columns the case list and the work list keep (``ui.cases.packed``): a row's text is what was
put there, through appends, changes, the packing again after many changes and the kept list's dense form."""

from __future__ import annotations

from array import array
from datetime import date

import pytest

from ui.cases.packed import Packed


def test_rows_read_back_as_written_whatever_their_characters() -> None:
    texts = ["", "Tolvan Tolvansson", "", "ÅÄÖ-2026-0002", "Łucja Øberg", "😀 ett tecken utanför BMP", ""]
    packed = Packed.of(texts)
    assert len(packed) == len(texts)
    assert [packed[i] for i in range(len(texts))] == list(packed) == texts
    assert Packed.of([]).dense() == ("", array("I"))


def test_a_changed_or_added_row_leaves_the_others_and_the_dense_form_holds_the_rows_alone() -> None:
    texts = [f"Testperson {n:05d}" for n in range(1000)]
    packed = Packed.of(texts)
    packed[3] = ""
    packed[4] = "Żaneta Øberg"
    packed.append("Ny")
    texts[3:5] = ["", "Żaneta Øberg"]
    texts.append("Ny")
    assert list(packed) == texts
    text, ends = packed.dense()
    assert text == "".join(texts)
    assert list(Packed.from_ends(text, ends)) == texts


def test_many_changes_pack_the_column_again_instead_of_growing_it() -> None:
    packed = Packed.of(["a" * 10] * 100)
    longest = 0
    for round_ in range(2000):
        packed[round_ % 100] = f"{round_:010d}"
        longest = max(longest, len(packed.text))
    assert list(packed) == [f"{n:010d}" for n in range(1900, 2000)]
    # 20,000 characters written in all; the gaps left by the changes are dropped once they outgrow the rows.
    assert longest <= 2 * 10 * 100 + 4096 + 10
    assert packed.dense() == ("".join(f"{n:010d}" for n in range(1900, 2000)), packed.dense()[1])


@pytest.mark.parametrize("ends", [array("I", [3, 2]), array("I", [4]), array("I", [1, 2])])
def test_bounds_that_do_not_fit_the_text_are_refused(ends: array[int]) -> None:
    with pytest.raises(ValueError, match="bounds"):
        Packed.from_ends("abc", ends)


def test_many_saves_outside_the_bmp_leave_both_lists_as_a_fresh_listing_would_show_them(  # type: ignore[no-untyped-def]
    qtbot, demo_profile_dir
) -> None:
    """Hundreds of saved cases (``CaseListPage.update_rows``, what Ctrl+E back to the list calls), their names and
    case numbers changed to texts with characters outside the BMP (the offsets count code points, not UTF-16
    units) until the columns are packed again, and new cases added: sorted by a header click and searched, the case
    list shows what a fresh listing of the same cases shows, and the work list the same rows, most urgent first."""
    from datetime import timedelta

    from PySide6.QtCore import Qt
    from uihelpers import type_text, unlocked_with_bulk_cases

    from ibic.reference import load_reference_data
    from ui.cases.case_list import CaseListPage
    from ui.cases.list_rows import COLUMNS
    from ui.cases.work_list import _urgency_key

    profile = unlocked_with_bulk_cases(demo_profile_dir, 60, seed=5)
    try:
        summaries = profile.cases.list_summaries()
    finally:
        profile.lock()
    ref = load_reference_data()
    page = CaseListPage(ref, today=date.today)
    qtbot.addWidget(page)
    page.set_rows(list(summaries))
    names = page.model.columns().names
    works = [s.work for s in summaries if s.work]
    longest = 0
    for n in range(400):
        at = (n * 7) % len(summaries)
        summaries[at] = summaries[at]._replace(
            person_name=f"{'Ölof 😀 ' if n % 3 else 'Żaneta 𝔘 '}{'Bengt-Åke ' * (n % 4)}{n}",
            case_number=f"{'𝔘' if n % 2 else 'Å'}-{n:04d}", work=works[n % len(works)],
            updated_at=summaries[at].updated_at + timedelta(minutes=n))
        page.update_rows([summaries[at]])
        if n % 40 == 39:  # a new case now and then, appended to the columns
            summaries.append(summaries[n % 50]._replace(case_id=f"{n:032x}", person_name=f"Ny 😀 {n}"))
            page.update_rows([summaries[-1]])
        longest = max(longest, len(names.text))
    assert longest < 2 * sum(map(len, names)) + 4096 + 100  # packed again on the way, not grown by every save
    fresh = CaseListPage(ref, today=date.today)
    qtbot.addWidget(fresh)
    fresh.set_rows(list(summaries))

    def shown(of: CaseListPage) -> list[list[str]]:
        model = of.shown
        return [[model.data(model.index(r, c)) for c in range(len(COLUMNS))] for r in range(model.rowCount())]

    for column in ("name", "case_number", "deadline"):
        for of in (page, fresh):
            of.table.sortByColumn(COLUMNS.index(column), Qt.SortOrder.AscendingOrder)
        assert shown(page) == shown(fresh)
    for query in ("ölof", "bengt", "ny", "å-03"):
        for of in (page, fresh):
            of.search.clear()
            type_text(of.search, query)
        assert page.shown.rowCount() > 0 and shown(page) == shown(fresh), query
    rows = list(page.work.rows)
    assert sorted(rows, key=repr) == sorted(fresh.work.rows, key=repr)
    assert [_urgency_key(r) for r in rows] == sorted(map(_urgency_key, rows))
    assert any("😀" in r.name for r in rows) and any("𝔘" in r.case_number for r in rows)
