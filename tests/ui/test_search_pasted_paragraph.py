"""A paragraph pasted into the case list's search by mistake (thousands of words) froze the window for seconds at
10,000 cases: every word was tested against every row, and each later key compared every word with every other.
Now the words are tested longest first and no more once no row holds them all; the speed is in bench/README.md
(s23-probe). Here: the rows found are still right, and a paste that no row matches tests one word, not each (on
main, every word: the count test fails there)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from uihelpers import paste, type_text, unlock

from ui.cases.table_model import CaseTableModel

PARAGRAPH = " ".join(f"ord{number}" for number in range(2_000))  # no case's name, number or label holds these


def _names(case_list) -> list[str]:  # type: ignore[no-untyped-def]
    shown = case_list.shown
    return [shown.data(shown.index(row, 0)) for row in range(shown.rowCount())]


def test_a_pasted_paragraph_no_case_matches_tests_one_word_and_finds_nothing(qtbot, demo_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    tested: list[str] = []
    word_mask = CaseTableModel._word_mask

    def counted(model: CaseTableModel, word: str) -> bytearray:
        tested.append(word)
        return word_mask(model, word)

    monkeypatch.setattr(CaseTableModel, "_word_mask", counted)
    monkeypatch.setattr("ui.cases.shown_cases._FEW_ROWS", 1)  # the word masks, as at 10,000 cases (not one by one)
    paste(qtbot, case_list.search, PARAGRAPH)
    assert _names(case_list) == [] and case_list.count_label.text() == "0 av 3 ärenden"
    assert len(tested) == 1, f"{len(tested)} words tested against every row"
    assert case_list.search.text() == PARAGRAPH, "the field keeps what was pasted"


def test_a_pasted_paragraph_of_words_one_case_holds_finds_it_typed_on_and_erased(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    words = "greta provsson gret reta prov sson " * 500 + "GRETA"
    paste(qtbot, case_list.search, words)
    assert _names(case_list) == ["Greta Provsson (fiktiv)"]
    type_text(case_list.search, "x")  # "gretax": no case
    assert _names(case_list) == []
    qtbot.keyClick(case_list.search, Qt.Key.Key_Backspace)
    assert _names(case_list) == ["Greta Provsson (fiktiv)"]
    qtbot.keyClick(case_list.search, Qt.Key.Key_Home)
    type_text(case_list.search, "tolvan ")  # a word at the start that the found case does not hold
    assert _names(case_list) == []
