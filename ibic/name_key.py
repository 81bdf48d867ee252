"""How two names are compared: as a person reads them, not as the bytes they were typed or pasted in."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """``name`` for comparing with another: one Unicode form (NFKC: "ä" typed is one character, pasted from some
    sources or sent by a central system it may be "a" and a combining diaeresis; a ligature "ﬁ" is "fi"), case and
    spacing ignored. A consent to "Kommunens hemtjänst" failed to cover the same utförare pasted in the other form."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())
