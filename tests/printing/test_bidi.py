"""The visual order of a printed line with right-to-left text: numbers, brackets and marks (``ui.printing.bidi``)."""

from __future__ import annotations

from ui.printing.bidi import shape_arabic, visual_lines, visual_order


def test_a_swedish_line_is_drawn_as_typed() -> None:
    assert visual_order("Åsa (82) bor i Östersund.") == "Åsa (82) bor i Östersund."


def test_a_number_in_hebrew_keeps_its_digits_and_brackets_around_a_name_stay_the_swedish_way() -> None:
    assert visual_order("Namn (שרה) 12 כהן 1,500 kr") == "Namn (הרש) 1,500 ןהכ 12 kr"


def test_brackets_inside_right_to_left_text_are_mirrored() -> None:
    assert visual_order("לא (שלום) כן") == "ןכ (םולש) אל"


def test_a_combining_mark_stays_after_its_letter_when_the_run_turns() -> None:
    shin, lamed, vav, mem = "\u05e9\u05b8\u05c1", "\u05dc", "\u05d5\u05b9", "\u05dd"  # letters with their points
    assert visual_order(shin + lamed + vav + mem) == mem + vav + lamed + shin


def test_lam_alef_prints_as_one_ligature_and_a_lone_letter_stays_isolated() -> None:
    assert shape_arabic("لا") == "\ufefb"
    assert shape_arabic("ب") == "\ufe8f"


def test_persian_letters_join_too() -> None:
    # "پدر" (father): initial peh, final dal, isolated reh; the peh's forms are in Presentation Forms-A.
    assert shape_arabic("پدر") == "\ufb58\ufeaa\ufead"


def test_lines_of_a_paragraph_are_turned_with_the_whole_paragraphs_levels() -> None:
    """Each line alone (as on main) drew "םלוע םולש," and "12 ןהכ": the comma and the number read as Swedish."""
    paragraph = "Hon sa שלום  עולם, בית 12 כהן och gick."
    lines = ["Hon sa שלום עולם,", "בית", "12 כהן och gick."]
    assert visual_lines(paragraph, lines) == ["Hon sa ,םלוע םולש", "תיב", "ןהכ 12 och gick."]


def test_brackets_opened_on_one_line_and_closed_on_the_next_are_one_pair() -> None:
    assert visual_lines("שרה (אחות מטפלת) כהן", ["שרה (אחות", "מטפלת) כהן"]) == ["תוחא) הרש", "ןהכ (תלפטמ"]


def test_a_long_word_broken_anywhere_and_swedish_lines_come_back_as_laid_out() -> None:
    assert visual_lines("Ord שלוםעולם slut", ["Ord שלו", "םעולם slut"]) == ["Ord ולש", "םלועם slut"]
    assert visual_lines("Åsa (82)  bor i Östersund.", ["Åsa (82)", "bor i Östersund."]) == ["Åsa (82)",
                                                                                           "bor i Östersund."]


def test_a_line_not_found_in_its_paragraph_is_turned_alone() -> None:
    assert visual_lines("שלום אחר", ["שלום 12,"]) == [visual_order("שלום 12,")] == ["12 םולש,"]


def test_a_percent_or_a_currency_sign_stays_with_its_number_in_hebrew() -> None:
    """UAX #9 W5, as fribidi draws it. Failed before (s23-rloose): "%50", "50 םולש%" (the sign after the Hebrew
    at the paragraph's end), "€5", "%1,5" and "12 םולש°C"."""
    assert visual_order("שלום 50% בית") == "תיב 50% םולש"
    assert visual_order("שלום 50%") == "50% םולש"
    assert visual_order("שלום 5€ בית") == "תיב 5€ םולש"
    assert visual_order("שלום 1,5% כהן") == "ןהכ 1,5% םולש"
    assert visual_order("שלום 12°C כהן") == "12° םולשC ןהכ"
    assert visual_order("Sara 50% שלום") == "Sara 50% םולש"


def test_after_arabic_letters_the_digits_are_arabic_numbers_and_a_percent_sign_is_not_theirs() -> None:
    # W2 makes the digits AN, and W5 joins terminators to European numbers only: drawn "%50", as fribidi does.
    assert visual_order("\ufee1 50% \ufe91") == "\ufe91 %50 \ufee1"
