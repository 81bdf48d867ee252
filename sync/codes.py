"""The one-time enrollment code as a person types it: only its letters and digits count, in any case or width.

Plain Python (no pydantic, no HTTP): the enrollment dialog checks a code with it on the UI thread, and the server
compares codes by it (``sync.server.tokens.normalise_code``)."""

from __future__ import annotations

import unicodedata

# What the protocol takes as a code (``sync.protocol.EnrollRequest.code``); IT's codes have 12 (``tokens``).
SHORTEST_CODE = 8
LONGEST_CODE = 64


def code_characters(code: str) -> str:
    """The code's letters and digits, upper case, in their ASCII form where they have one.

    IT reads a code out as "ABCD-EFGH-JK23"; typed with an East Asian input method it arrives in full width
    ("ＡＢＣＤ", "２３"), from an Arabic keyboard with Arabic-Indic digits ("٢٣"). NFKC folds the full-width forms and
    every decimal digit is taken as its value, so each is the code IT read out; dashes, spaces, a pasted line end and
    control characters (a U+0000 the server could not store) drop out."""
    folded = unicodedata.normalize("NFKC", code).upper()
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in folded if ch.isalnum())
