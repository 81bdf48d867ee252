"""The packed string columns the case list and the work list keep (``ui.cases.packed``): a row's text is what was
put there, through appends, changes, the packing again after many changes and the kept list's dense form."""

from __future__ import annotations

from array import array

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
