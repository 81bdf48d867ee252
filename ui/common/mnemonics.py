"""Menu items' underlined letters, chosen so each is in its menu once. Plain Python: the Rapporter menu takes its
letters at start, before the unlock page, and ``ui.common.menu_style`` (QStyle's enums, ~7 ms) waits for a menu's
first opening (``tests/ui/test_start_lazy.py``)."""

from __future__ import annotations


def with_letters(texts: list[str]) -> list[str]:
    """``texts`` as a menu's items, each with a letter (&) no other has: the first of its letters not taken by an
    item above it (a menu made of column titles had none, s31-menus). An "&" of the text stays a character."""
    taken: set[str] = set()
    lettered = []
    for text in texts:
        escaped = text.replace("&", "&&")
        free = next((i for i, char in enumerate(escaped) if char.isalnum() and char.lower() not in taken), None)
        if free is None:
            lettered.append(escaped)
            continue
        taken.add(escaped[free].lower())
        lettered.append(f"{escaped[:free]}&{escaped[free:]}")
    return lettered
