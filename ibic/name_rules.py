"""What a name must be to be shown and printed as one: not blank, no control characters. Plain Python, no pydantic:
the unlock page's create page checks the handläggare's name with it at Enter, when the preload thread may still be
importing pydantic and the domain (ui/unlock/preload.py), and must import nothing then."""

from __future__ import annotations

import unicodedata

NAME_BLANK = "must not be blank"
NAME_CONTROL = "must not hold control characters"


def blank_name(text: str) -> bool:
    """No character one can see: empty, whitespace, or only invisible ones (a zero-width space U+200B, a joiner,
    combining accents with no letter under them), which showed and printed a person with no name."""
    return not any(unicodedata.category(char)[0] in "LNPS" for char in text)  # stops at a name's first letter


def name_problem(name: str) -> str:
    """What is wrong with a person's given or family name ("" if nothing): blank (``blank_name``: it reads as no
    name on screen and in a PDF) or holding a control character (a tab, a line break or U+0000 breaks a one-line
    name wherever it is printed; so does a line or paragraph separator). Never the value (personal data)."""
    if blank_name(name):
        return NAME_BLANK
    if name.isprintable() or not any(unicodedata.category(char) in _BREAKING for char in name):
        return ""
    return NAME_CONTROL


# Control characters, and the line and paragraph separators U+2028 and U+2029 a pasted Word or web text brings: each
# prints as a line break (``ibic.line_breaks``), so the name stood on two lines in the utredning (s34-probe).
_BREAKING = frozenset({"Cc", "Zl", "Zp"})
