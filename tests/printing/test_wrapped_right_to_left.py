"""A wrapped paragraph or table cell with Hebrew prints in reading order: the levels are resolved over the whole
paragraph and each line is then turned alone (``ui.printing.bidi.visual_lines``), on the outline → PDF path every
document shares (utredning, beställning, beslutsmeddelande, reports).

On main each line was resolved alone: a comma ending a line between two Hebrew words was drawn after the Hebrew (at
its start, read from the right), a number opening a line after Hebrew was drawn before the Hebrew that follows it;
and a table cell was turned whole before reportlab broke it, so its first line held the end of a Hebrew sentence.
The lines are read as drawn (``bidi_support.drawn_lines``). The Swedish-only documents are unchanged byte for byte
(compared against main for s23-loose: docs/printing.md, "Right-to-left text").
"""

from __future__ import annotations

from bidi_support import assert_wrapped_situation_in_reading_order, drawn_lines, wrapped_situation

from ibic.demo import CASEWORKER, UNIT
from ibic.documents.beslutsmeddelande import build_beslutsmeddelande
from ibic.documents.bestallning import build_bestallning
from ibic.documents.utredning import build_utredning
from ibic.investigation import LifeAreaAssessment, Participant, Visit
from ibic.reference import ReferenceData
from ui.printing.pdf_writer import render_pdf

from .conftest import TODAY

ROLE = "אחות מטפלת מהשירות העירוני שבאה לבית פעמיים בשבוע ועוזרת בכל מה שצריך"


def _printed(home_visit, ref: ReferenceData) -> list[str]:  # type: ignore[no-untyped-def]
    person, case = home_visit
    case.investigation.situation = wrapped_situation()
    case.investigation.visits = [Visit(visited_on=TODAY, participants=[Participant(name="שרה כהן", role=ROLE)])]
    return drawn_lines(render_pdf(build_utredning(case, person, ref, today=TODAY, caseworker=CASEWORKER, unit=UNIT,
                                                  version=1)))


def test_a_wrapped_paragraph_with_hebrew_prints_in_reading_order(home_visit, ref: ReferenceData) -> None:  # type: ignore[no-untyped-def]
    """A comma ending a line between Hebrew words stays with them; a number opening a line after Hebrew is read
    within it. Fails on main: "… ja םלוע םולש," (read from the right, the comma comes first) and "12 ןהכ och gick."
    (the number read as Swedish, before the Hebrew that follows it)."""
    assert_wrapped_situation_in_reading_order(_printed(home_visit, ref))


def _read_from_the_right(drawn: str) -> str:
    """A drawn line of Hebrew read as a person reads it: from the right, brackets turned back."""
    return drawn[::-1].translate(str.maketrans("()", ")("))


def test_a_wrapped_hebrew_table_cell_reads_on_from_its_first_line(home_visit, ref: ReferenceData) -> None:  # type: ignore[no-untyped-def]
    """The visits table's Deltagare cell, a name and a role in Hebrew over two lines: the first line holds the
    name and the role's first words, the second the rest. Fails on main: the cell was turned whole, then broken, so
    its first line held the role's last words."""
    lines = _printed(home_visit, ref)
    row = next(index for index, line in enumerate(lines) if line.startswith("2026-11-23 I hemmet "))
    cell = [lines[row].removeprefix("2026-11-23 I hemmet "), lines[row + 1]]
    assert " ".join(_read_from_the_right(line) for line in cell) == f"שרה כהן ({ROLE})"


def _hebrew_part(line: str) -> str:
    """The part of a drawn line from its first Hebrew word on (a table's Swedish cells stand to its left)."""
    words = line.split()
    first = next(index for index, word in enumerate(words) if any("א" <= char <= "ת" for char in word))
    return " ".join(words[first:])


def test_the_persons_goal_in_hebrew_in_the_order_reads_on_line_by_line(demo, ref: ReferenceData) -> None:  # type: ignore[no-untyped-def]
    """The beställning's "Mål i den enskildes ord" column, Hebrew over two lines: read from the right, line after
    line, it is the goal as typed. Fails on main (the cell turned whole before it was broken)."""
    people, cases = demo
    person, case = people[0], cases[2]
    case.investigation.assessments.append(LifeAreaAssessment(area_id="d5", need="Hjälp med dusch.", goal=ROLE))
    lines = drawn_lines(render_pdf(build_bestallning(case, person, ref, today=TODAY)))
    cell = [_hebrew_part(line) for line in lines if any("א" <= char <= "ת" for char in line)]
    assert len(cell) >= 2
    assert " ".join(_read_from_the_right(line) for line in cell) == ROLE


def test_a_decisions_motivation_in_swedish_and_hebrew_prints_in_reading_order(demo, ref: ReferenceData) -> None:  # type: ignore[no-untyped-def]
    """The beslutsmeddelande's Motivering, a typed paragraph like the utredning's. Fails on main."""
    people, cases = demo
    person, case = people[0], cases[2]
    decisions = list(case.decisions)
    case.decisions = [decisions[0].model_copy(update={"motivation": wrapped_situation()}), *decisions[1:]]
    assert_wrapped_situation_in_reading_order(drawn_lines(render_pdf(build_beslutsmeddelande(case, person, ref,
                                                                                            today=TODAY))))


def test_a_percentage_in_a_hebrew_sentence_prints_with_its_sign(home_visit, ref: ReferenceData) -> None:  # type: ignore[no-untyped-def]
    """UAX #9 W5: "50%" is one number inside the Hebrew. Fails before s23-rloose: drawn "%50", read from the right
    as "50" then "%" on the wrong side, and a "%" ending the paragraph was drawn after the Hebrew before it."""
    person, case = home_visit
    case.investigation.situation = "Hon sa שלום 50% בית\nHon sa שלום 50%"
    lines = drawn_lines(render_pdf(build_utredning(case, person, ref, today=TODAY, caseworker=CASEWORKER, unit=UNIT,
                                                   version=1)))
    assert "Hon sa תיב 50% םולש" in lines, [line for line in lines if "Hon sa" in line]
    assert "Hon sa 50% םולש" in lines
