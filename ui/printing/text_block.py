"""A light platypus flowable for plain typed text: labels, paragraphs and "- item" lists in one block.

Why not one reportlab Paragraph per field: the utredning has many short fields, and a Paragraph costs a markup
parse, a state save and a text object each; laid out as one block per section part, the document costs about
what reportlab's plain floor costs for the same pages (bench/bench_pdf.py). Text is drawn as given, never parsed
as markup, so "<", "&" and the like need no escaping. Long words are broken by character; a block splits across
pages by lines, never leaving a label alone at the foot of a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

from ui.printing.bidi import visual_lines

BULLET = "• "
_FUZZ = 1e-6
# A label of at most this many lines goes to the next page with its text; a longer one is broken like text.
_LABEL_KEPT_LINES = 6


@dataclass(frozen=True)
class Run:
    """One typed paragraph (no line breaks) and how it looks."""

    text: str
    font: str
    size: float
    leading: float
    color: Any
    indent: float = 0.0
    bullet: bool = False
    space_before: float = 0.0
    space_after: float = 0.0
    is_label: bool = False


@dataclass(frozen=True)
class Line:
    text: str  # as drawn, left to right (right-to-left runs turned)
    run: Run
    x: float
    space_before: float
    space_after: float


def break_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the line is broken by character."""
    lines: list[str] = []
    current: list[str] = []
    current_width = 0.0
    measure = getFont(font).stringWidth  # looked up once: this loop runs for every word of the document
    space = measure(" ", size)
    for word in text.split():
        word_width = measure(word, size)
        if word_width > width:
            # A word wider than the line starts where the line stands and runs on, broken by character.
            if current:
                pieces = _break_long_word(word, font, size, width, first=width - current_width - space)
                lines.append(" ".join([*current, pieces[0]]) if pieces[0] else " ".join(current))
                pieces = pieces[1:]
            else:
                pieces = _break_long_word(word, font, size, width, first=width)
            lines.extend(pieces[:-1])
            current, current_width = [pieces[-1]], measure(pieces[-1], size)
            continue
        needed = word_width if not current else current_width + space + word_width
        if needed <= width:
            current.append(word)
            current_width = needed
        else:
            lines.append(" ".join(current))
            current, current_width = [word], word_width
    if current:
        lines.append(" ".join(current))
    return lines


def _break_long_word(word: str, font: str, size: float, width: float, *, first: float) -> list[str]:
    """Pieces that fill ``first`` points, then whole lines of ``width``."""
    pieces: list[str] = []
    start, used, limit = 0, 0.0, first
    for index, char in enumerate(word):
        char_width = stringWidth(char, font, size)
        if used + char_width > limit and (index > start or limit < width):
            pieces.append(word[start:index])
            start, used, limit = index, 0.0, width
        used += char_width
    pieces.append(word[start:])
    return pieces


def layout(runs: Sequence[Run], width: float) -> list[Line]:
    """The runs broken into lines for ``width`` points."""
    lines: list[Line] = []
    for run in runs:
        texts = break_words(run.text, run.font, run.size, width - run.indent)
        # Right-to-left runs turned now, with the whole paragraph's levels (ui.printing.bidi), not line by line.
        for index, text in enumerate(visual_lines(run.text, texts)):
            first, last = index == 0, index == len(texts) - 1
            x = run.indent
            if run.bullet and first:
                text = BULLET + text
                x -= stringWidth(BULLET, run.font, run.size)
            lines.append(Line(text, run, x, run.space_before if first else 0.0, run.space_after if last else 0.0))
    return lines


def _height(lines: Sequence[Line]) -> float:
    return sum(line.space_before + line.run.leading + line.space_after for line in lines)


class TextBlock(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Runs of plain text laid out as lines; splits between lines across pages."""

    def __init__(self, runs: Sequence[Run] = (), lines: Sequence[Line] | None = None) -> None:
        super().__init__()
        self.runs = tuple(runs)
        self._lines = list(lines) if lines is not None else None
        self._layout_width = -1.0

    def _lines_for(self, width: float) -> list[Line]:
        if self._lines is None or (self.runs and width != self._layout_width):
            self._lines = layout(self.runs, width)
            self._layout_width = width
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = _height(self._lines_for(avail_width))
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._lines_for(avail_width)
        used, fit = 0.0, 0
        for line in lines:
            used += line.space_before + line.run.leading
            if used > avail_height - _FUZZ:
                break
            used += line.space_after
            fit += 1
        # A label stays with the first line of its text; a single last line does not go over alone. A label longer
        # than a few lines (typed text as a label: 10,000 characters of free text applied for) breaks like text:
        # moved whole it may fit on no page, and reportlab gave up on the document ("too large", s25-probe).
        label_start, label_end = fit, fit
        while label_start and lines[label_start - 1].run.is_label:
            label_start -= 1
        while label_end < len(lines) and lines[label_end].run.is_label:
            label_end += 1
        if label_end - label_start <= _LABEL_KEPT_LINES:
            fit = label_start
        if fit == len(lines) - 1 and fit > 1 and not lines[fit - 2].run.is_label:
            fit -= 1
        if fit == 0 or fit >= len(lines):
            return []
        # Space at the foot of a page or at the head of the next one is dropped.
        head = [*lines[: fit - 1], replace(lines[fit - 1], space_after=0.0)]
        rest = [replace(lines[fit], space_before=0.0), *lines[fit + 1 :]]
        return [TextBlock(lines=head), TextBlock(lines=rest)]

    def draw(self) -> None:
        canvas = self.canv
        text = canvas.beginText()
        top = self.height
        font: tuple[str, float] | None = None
        color: Any = None
        for line in self._lines or []:
            run = line.run
            top -= line.space_before
            # Baseline as reportlab's Paragraph places it: the font size below the top of the line box.
            baseline = top - run.size - (run.leading - run.size) * 0.25
            if font != (run.font, run.size):
                font = (run.font, run.size)
                text.setFont(run.font, run.size, run.leading)
            if color is not run.color:
                color = run.color
                text.setFillColor(run.color)
            text.setTextOrigin(line.x, baseline)
            text.textOut(line.text)  # in the order drawn, left to right (``layout``)
            top -= run.leading + line.space_after
        canvas.drawText(text)
