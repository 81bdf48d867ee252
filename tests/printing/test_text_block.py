"""The plain-text block: line breaking that never overflows or loses a character, and page splits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ui.printing.pdf_styles import REGULAR, register_fonts
from ui.printing.text_block import Run, TextBlock, break_words

register_fonts()
WORDS = st.text(alphabet="abcåäöéÅÄÖ -–.,&<>\u00a0WMiil", min_size=0, max_size=400)


@given(text=WORDS, width=st.floats(min_value=30, max_value=500))
def test_lines_fit_the_width_and_keep_every_character(text, width):
    lines = break_words(text, REGULAR, 10, width)
    for line in lines:
        assert line and stringWidth(line, REGULAR, 10) <= width + 1e-6
    assert "".join(lines).replace(" ", "") == "".join(text.split())


def test_a_long_word_continues_the_line_it_starts_on():
    lines = break_words("Ord: " + "x" * 300, REGULAR, 10, 200)
    assert lines[0].startswith("Ord: x")
    assert len(lines) > 3


def block(*texts: str, label: str = "Etikett") -> TextBlock:
    label_run = Run(label, REGULAR, 8.5, 11, colors.black, space_before=5, is_label=True)
    return TextBlock([label_run, *(Run(text, REGULAR, 10, 14, colors.black) for text in texts)])


def test_split_never_leaves_a_label_alone_at_the_foot_of_a_page():
    text_block = block("En rad text.", "En rad till.", "Och en tredje.")
    _, height = text_block.wrap(400, 1000)
    assert height == 5 + 11 + 3 * 14
    assert text_block.split(400, 20) == []  # only the label would fit: the whole block moves on
    head, rest = text_block.split(400, 5 + 11 + 14 + 1)
    assert [line.text for line in head._lines] == ["Etikett", "En rad text."]
    assert [line.text for line in rest._lines] == ["En rad till.", "Och en tredje."]


def test_split_parts_fit_where_they_are_put_and_drop_space_at_the_break():
    text_block = block(*(f"Rad {n}" for n in range(40)))
    text_block.wrap(400, 1000)
    head, rest = text_block.split(400, 300)
    assert head.wrap(400, 300)[1] <= 300
    assert rest._lines[0].space_before == 0
    assert len(head._lines) + len(rest._lines) == 41
