"""Three-way merge of free text and diff highlighting as HTML (difflib; no Qt).

Texts are compared word by word (whitespace and each punctuation mark are tokens of their own). Two edits merge
only if they touch disjoint stretches of the base text; edits that touch or overlap are left to the user.

The tokens both texts share at their start and end are set aside before difflib compares the rest (an edit is
mostly one stretch of a long text), and a rest too long to compare exactly in a moment (``_COMPARED_EXACTLY``
pairs of tokens) is compared with difflib's heuristic for long sequences (``autojunk``: a token in more than 1 % of
places, whitespace above all, anchors no match). Exactly, difflib's time grows with the product of the two lengths
(every whitespace token matches every other): a conflict over a 50,000-character text held the UI thread 7-50 s
each time it was shown (s33-conflict). Any edit script is a true one; a coarser one only marks more as changed, so
the merge stays conservative: it may leave to the user what it could have merged, never merge what overlaps.
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")

Hunk = tuple[int, int, list[str]]
Opcode = tuple[str, int, int, int, int]

_COMPARED_EXACTLY = 1_000_000  # token pairs compared without the heuristic (~0.1-0.3 s at worst)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _opcodes(base: list[str], other: list[str]) -> list[Opcode]:
    """difflib's opcodes from ``base`` to ``other``, on what lies between their common start and end."""
    start, limit = 0, min(len(base), len(other))
    while start < limit and base[start] == other[start]:
        start += 1
    end = 0
    while end < limit - start and base[-1 - end] == other[-1 - end]:
        end += 1
    base_end, other_end = len(base) - end, len(other) - end
    heuristic = (base_end - start) * (other_end - start) > _COMPARED_EXACTLY
    middle = SequenceMatcher(None, base[start:base_end], other[start:other_end], autojunk=heuristic).get_opcodes()
    shifted = [(tag, i1 + start, i2 + start, j1 + start, j2 + start) for tag, i1, i2, j1, j2 in middle
               if i1 != i2 or j1 != j2]
    head = [("equal", 0, start, 0, start)] if start else []
    tail = [("equal", base_end, len(base), other_end, len(other))] if end else []
    return head + shifted + tail


def _hunks(base: list[str], other: list[str]) -> list[Hunk]:
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in _opcodes(base, other) if tag != "equal"]


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
    for tag, i1, i2, j1, j2 in _opcodes(base_tokens, tokens):
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
