"""Whether the printed documents can show a text, for Kontroll (``ibic.unprintable``): no reportlab is loaded for
text in the scripts the typeface surely has (Latin, Greek, Cyrillic, punctuation), that is for almost every case."""

from __future__ import annotations

import re

# Latin, Greek, Cyrillic and general punctuation: all in DejaVu Sans. The printing's own test of what needs a glyph
# lookup (``pdf_page``) is the complement of the same ranges.
SURE_RANGES = "\x00-\u024f\u0370-\u04ff\u2000-\u206f"
_SURE = re.compile(f"[{SURE_RANGES}]*")


def can_print(text: str) -> bool:
    """False where ``text`` holds a character that prints as "�" (``pdf_page.printable``)."""
    if _SURE.fullmatch(text):
        return True
    from ui.printing.pdf_page import printable  # reportlab and the typeface, only for the rare other text

    return printable(text).count("\ufffd") == text.count("\ufffd")  # a "�" typed prints as typed
