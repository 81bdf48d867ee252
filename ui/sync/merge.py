"""Three-way merge of free text and diff highlighting as HTML (difflib; no Qt).

Texts are compared word by word (whitespace and each punctuation mark are tokens of their own). Two edits merge
only if they touch disjoint stretches of the base text; edits that touch or overlap are left to the user.
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

Hunk = tuple[int, int, list[str]]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _hunks(base: list[str], other: list[str]) -> list[Hunk]:
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _touch(a: Hunk, b: Hunk) -> bool:
    # Conservative: ranges that overlap or merely touch (including two insertions at one point) do not merge.
    return a[0] <= b[1] and b[0] <= a[1]


def merge3(base: str, mine: str, theirs: str) -> str | None:
    """The text with both edits applied, or None when they overlap."""
    if mine == theirs or theirs == base:
        return mine
    if mine == base:
        return theirs
    base_tokens = _tokens(base)
    my_hunks, their_hunks = _hunks(base_tokens, _tokens(mine)), _hunks(base_tokens, _tokens(theirs))
    if any(_touch(a, b) for a in my_hunks for b in their_hunks):
        return None
    result: list[str] = []
    position = 0
    for start, end, replacement in sorted(my_hunks + their_hunks, key=lambda h: (h[0], h[1])):
        result.extend(base_tokens[position:start])
        result.extend(replacement)
        position = end
    result.extend(base_tokens[position:])
    return "".join(result)


def diff_html(base: str, text: str) -> str:
    """``text`` as HTML with what differs from ``base`` marked: insertions underlined, deletions struck through."""
    base_tokens, tokens = _tokens(base), _tokens(text)
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base_tokens, tokens, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(html.escape("".join(tokens[j1:j2])))
            continue
        if i2 > i1:
            removed = html.escape("".join(base_tokens[i1:i2]))
            parts.append(f'<del style="background-color:#f6c6c6;">{removed}</del>')
        if j2 > j1:
            added = html.escape("".join(tokens[j1:j2]))
            parts.append(f'<ins style="background-color:#c6efce;">{added}</ins>')
    return '<p style="white-space:pre-wrap;">' + "".join(parts) + "</p>"
