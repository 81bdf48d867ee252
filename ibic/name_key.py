"""How two names are compared: as a person reads them, not as the bytes they were typed or pasted in."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """``name`` for comparing with another: one Unicode form (NFKC: "ä" typed is one character, pasted from some
    sources or sent by a central system it may be "a" and a combining diaeresis; a ligature "ﬁ" is "fi"), case and
    spacing ignored. A consent to "Kommunens hemtjänst" failed to cover the same utförare pasted in the other form."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def in_one_form(text: str, folded: str) -> str:
    """``folded`` (``text`` case folded) in NFKC, normalised again after folding since case folding can leave a
    text outside the form; checked in C first, as nearly every text already is in it."""
    if unicodedata.is_normalized("NFKC", folded):
        return folded
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def search_key(text: str) -> str:
    """``text`` as a search compares it: case folded, in NFKC, spacing kept (a typed query keeps its spaces). The
    stored people's ``name_key`` and the case list's search both use it: a name mixing both Unicode forms ("Å"
    one character, "ä" as "a" and a combining diaeresis) was stored as it came and no query form matched it."""
    return in_one_form(text, text.casefold())
