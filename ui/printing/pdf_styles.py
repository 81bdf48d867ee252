"""Fonts, colours and paragraph styles of the printed utredning (reportlab only, no Qt)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"

# A sober municipal palette: dark blue headings, greys for labels and rules, one warm colour for the demo note.
INK = colors.black  # pure black: reportlab then emits no colour change per paragraph
HEADING = colors.HexColor("#1F3A5F")
LABEL_HEX = "#4A4A4A"
LABEL = colors.HexColor(LABEL_HEX)
LABEL_SIZE = 8.5
MUTED = colors.HexColor("#6B6B6B")
RULE = colors.HexColor("#B8C2CC")
SHADE = colors.HexColor("#EEF2F6")
WATERMARK = colors.HexColor("#E4E4E4")
WARNING = colors.HexColor("#9A3B00")

_font_lock = threading.Lock()


def register_fonts() -> None:
    """Register the bundled DejaVu Sans family once per process (it holds every Swedish glyph)."""
    with _font_lock:
        if REGULAR in pdfmetrics.getRegisteredFontNames():
            return
        for name, file in (
            (REGULAR, "DejaVuSans.ttf"),
            (BOLD, "DejaVuSans-Bold.ttf"),
            (ITALIC, "DejaVuSans-Oblique.ttf"),
        ):
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)


_LATIN_1 = re.compile("[\x00-\xff]*")


def font_for(text: str, font: str) -> str:
    """``font``, or the upright face where ``text`` holds letters the oblique lacks: DejaVu Sans Oblique has no
    Arabic (and some 600 other characters fewer), and the person's own words print in it. The words in the
    upright face beat empty boxes in the slanted one."""
    if font != ITALIC or _LATIN_1.fullmatch(text):  # Latin-1 (every Swedish letter) is all in the oblique; in C
        return font
    italic, upright = (pdfmetrics.getFont(name).face.charToGlyph for name in (ITALIC, REGULAR))
    missing = [char for char in set(text) if ord(char) not in italic]  # distinct characters first: set() runs in C
    return REGULAR if any(ord(char) in upright for char in missing) else ITALIC


@dataclass(frozen=True)
class Styles:
    issuer: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    label: ParagraphStyle
    body: ParagraphStyle
    quote: ParagraphStyle
    muted: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_label: ParagraphStyle
    cell_head: ParagraphStyle
    notice: ParagraphStyle
    demo: ParagraphStyle


@cache
def styles() -> Styles:
    """The document's styles; long words are split rather than run past the margin."""
    register_fonts()
    base = ParagraphStyle(
        "base",
        fontName=REGULAR,
        bulletFontName=REGULAR,
        fontSize=10,
        leading=14,
        textColor=INK,
        alignment=TA_LEFT,
        splitLongWords=1,
    )

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Styles(
        issuer=derive("issuer", fontName=BOLD, fontSize=9, leading=12, textColor=MUTED),
        title=derive("title", fontName=BOLD, fontSize=22, leading=27, textColor=HEADING, spaceAfter=2),
        subtitle=derive("subtitle", fontSize=10, leading=14, textColor=MUTED, spaceAfter=10),
        h1=derive(
            "h1",
            fontName=BOLD,
            fontSize=13.5,
            leading=17,
            textColor=HEADING,
            spaceBefore=16,
            spaceAfter=6,
        ),
        h2=derive(
            "h2",
            fontName=BOLD,
            fontSize=11,
            leading=14,
            textColor=HEADING,
            spaceBefore=10,
            spaceAfter=3,
        ),
        label=derive("label", fontName=BOLD, fontSize=LABEL_SIZE, leading=11, textColor=LABEL, spaceBefore=5),
        body=derive("body", spaceAfter=4),
        quote=derive("quote", fontName=ITALIC, leftIndent=8, spaceAfter=4),
        muted=derive("muted", fontSize=8.5, leading=12, textColor=MUTED, spaceBefore=2, spaceAfter=2),
        bullet=derive("bullet", leftIndent=14, bulletIndent=3, bulletFontName=REGULAR, spaceAfter=1),
        cell=derive("cell", fontSize=9, leading=12),
        cell_label=derive("cell_label", fontName=BOLD, fontSize=8.5, leading=12, textColor=LABEL),
        cell_head=derive("cell_head", fontName=BOLD, fontSize=8.5, leading=11, textColor=HEADING),
        notice=derive("notice", fontSize=9, leading=12),
        demo=derive("demo", fontName=BOLD, fontSize=9.5, leading=13, textColor=WARNING),
    )
