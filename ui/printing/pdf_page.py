"""What is printed on every page: running header and footer, "Sida X av Y" and the diagonal watermark."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from ibic.line_breaks import plain_breaks
from ui.printing.bidi import shape_arabic, visual_order
from ui.printing.coverage import SURE_RANGES
from ui.printing.pdf_styles import BOLD, MUTED, REGULAR, RULE, WATERMARK, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 22 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
LINE_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
ELLIPSIS = "…"
# Control characters other than line breaks (C0 and C1) cannot be drawn and may upset the PDF; a soft hyphen (U+00AD,
# common in text pasted from a word processor) was drawn as a hyphen in the middle of its word; lone surrogates cannot
# be encoded.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\ud800-\udfff]")
# Outside the Basic Multilingual Plane (emoji and the like) the font has no glyph, and reportlab writes such
# characters into the PDF's text map in a form readers reject: print the replacement character instead.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def printable(text: str) -> str:
    """Text that can be drawn: every kind of line and paragraph break as "\\n" (``ibic.line_breaks``: "\\v", U+2028
    and the like break the line as on screen), tabs as spaces, control characters dropped, a character the typeface
    lacks as "�"."""
    text = _UNPRINTABLE.sub("", plain_breaks(text).replace("\t", "    "))
    return shape_arabic(_UNCOMMON.sub(_drawn, _ASTRAL.sub("\ufffd", text)))


# Latin (every Swedish letter), punctuation, Greek and Cyrillic are all in the typeface; a character outside them is
# looked up (most text has none).
_UNCOMMON = re.compile(f"[^{SURE_RANGES}]")


def _drawn(match: re.Match[str]) -> str:
    """A letter DejaVu Sans has no glyph for (Chinese, Thai, Devanagari…) as "�". It was drawn as the font's empty
    box and left out of the PDF's text: a word pasted from a text message vanished from a copy or a search without a
    trace. As "�" it shows on the page and in the text alike (the preview says how many there are:
    ``ui.printing.glyphs``). Control and format characters and spaces draw nothing and are kept."""
    char = match.group()
    if ord(char) in _covered() or unicodedata.category(char)[0] in "CZ":
        return char
    return "\ufffd"


@cache
def _covered() -> dict[int, int]:
    register_fonts()
    covered: dict[int, int] = getFont(REGULAR).face.charToGlyph
    return covered


_BREAKS = re.compile("\n+")  # a paragraph's blank line is one space too


def one_line(text: str) -> str:
    """``printable`` on one line: for the running header and footer, drawn as they are (a case number from the
    central system with an emoji wrote a hex string PDF readers reject, a U+0000 or a tab drew a box)."""
    return visual_order(_BREAKS.sub(" ", printable(text)))


# The footer leaves room for the widest page label a document reaches ("Sida 9999 av 9999") and a gap before it.
LABEL_GAP = 4 * mm


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """``text`` as drawn in ``width`` points: whole if it fits, else its middle replaced by "…".

    The running header and footer are single lines drawn at a fixed place: a case number or unit name of hundreds of
    characters ran over "Sida X av Y" and off the page. The start (what the line is about) and the end (document
    type and UTKAST) are kept; the whole value is in the title block on the first page.
    """
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # the most characters kept (split between start and end) that still fit
    while low < high:
        kept = (low + high + 1) // 2
        if stringWidth(_elided(text, kept), font, size) <= width:
            low = kept
        else:
            high = kept - 1
    return _elided(text, low)


def _elided(text: str, kept: int) -> str:
    head = (kept + 1) // 2
    return text[:head] + ELLIPSIS + text[len(text) - (kept - head):]


class PageDecoration:
    """Draws the parts of a page that do not flow: called by platypus at the start of every page."""

    def __init__(self, *, header: str, footer: str, watermark: str, page_label: str = "Sida {page} av {pages}") -> None:
        label_width = stringWidth(page_label.format(page=9999, pages=9999), REGULAR, 8)
        self.header = fit_line(one_line(header), BOLD, 8, LINE_WIDTH)
        self.footer = fit_line(one_line(footer), REGULAR, 8, LINE_WIDTH - label_width - LABEL_GAP)
        self.watermark = watermark

    def __call__(self, canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        self._draw_watermark(canvas)
        top = PAGE_HEIGHT - 14 * mm
        canvas.setFillColor(MUTED)
        canvas.setFont(BOLD, 8)
        canvas.drawString(MARGIN_LEFT, top, self.header)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_LEFT, top - 2.5 * mm, PAGE_WIDTH - MARGIN_RIGHT, top - 2.5 * mm)
        bottom = 12 * mm
        canvas.line(MARGIN_LEFT, bottom + 4 * mm, PAGE_WIDTH - MARGIN_RIGHT, bottom + 4 * mm)
        canvas.setFont(REGULAR, 8)
        canvas.drawString(MARGIN_LEFT, bottom, self.footer)
        canvas.restoreState()

    def _draw_watermark(self, canvas: Canvas) -> None:
        # Drawn first, in a light solid grey, so the text printed over it stays fully legible.
        canvas.saveState()
        canvas.setFillColor(WATERMARK)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(52)
        canvas.setFont(BOLD, 120)
        canvas.drawCentredString(0, -42, self.watermark)
        canvas.restoreState()


def numbered_canvas_class(page_label: str) -> type[Canvas]:
    """A canvas that holds its pages until the end, so each can say "Sida X av Y" without a second layout pass."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._headings: list[tuple[str, int, float]] = []

        def mark_heading(self, title: str, level: int, top: float) -> None:
            """An outline (bookmark) entry for a heading on this page, written with the page in ``save``."""
            self._headings.append((title, level, top))

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._headings = []
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(REGULAR, 8)
                self.setFillColor(MUTED)
                text = page_label.format(page=number, pages=total)
                self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, 12 * mm, text)
                # A destination names the page being written, so bookmarks can only be placed now.
                for index, (title, level, top) in enumerate(self._headings):
                    key = f"p{number}h{index}"
                    self.bookmarkPage(key, fit="XYZ", top=top)
                    self.addOutlineEntry(title, key, level=level, closed=level > 0)
                super().showPage()
            super().save()

    return NumberedCanvas
