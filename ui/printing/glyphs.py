"""Characters a printed document cannot show, counted so the preview can say so before a copy leaves the app.

The documents print in the bundled DejaVu Sans (every Swedish letter, Latin, Greek, Cyrillic, Hebrew and Arabic): an
emoji and a letter of a script the font lacks (Chinese, Thai, Devanagari…) print as "�" (``pdf_page.printable``).
A name or a quotation typed that way came out as boxes without a word on screen; the preview
now says how many characters are affected, so the handläggare can write them another way (a transcription) first.
Loaded with reportlab, on the worker that renders the PDF.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import fields, is_dataclass

from reportlab.pdfbase.pdfmetrics import getFont

from ibic.documents.outline import DocumentOutline
from ui.printing.pdf_styles import REGULAR, register_fonts

_INVISIBLE = ("C", "Z")  # control and format characters, spaces and line breaks: nothing is drawn for them


def _texts(value: object) -> Iterator[str]:
    """Every string of an outline: its dataclasses, tuples and strings, whatever the block."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _texts(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            yield from _texts(getattr(value, field.name))


def unprintable_count(outline: DocumentOutline) -> int:
    """How many distinct characters of ``outline`` print as "�" or an empty box."""
    register_fonts()
    cmap = getFont(REGULAR).face.charToGlyph
    seen: set[str] = set()
    for text in _texts(outline):
        seen.update(text)
    return sum(1 for char in seen if (ord(char) > 0xFFFF or ord(char) not in cmap)
               and unicodedata.category(char)[0] not in _INVISIBLE)
