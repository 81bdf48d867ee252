"""Right-to-left text (Arabic, Hebrew) in the printed documents: joined letter forms and visual order.

reportlab draws a string's characters left to right in the order they are stored, and draws each Arabic letter in
its isolated form: a name or a quotation in Hebrew or Arabic came out backwards, Arabic unjoined as well. Hembesök
prints its documents in Swedish but writes down what people say, and names, in any script; the person's own words
must print the way they are read. This module is reportlab-free and needs no library beyond ``unicodedata``:

- ``shape_arabic`` picks each Arabic letter's joined form (isolated, final, initial, medial; lam-alef as one
  ligature) from Unicode's presentation forms, read from their own decompositions. Applied before lines are broken,
  since a joined form is as wide as it is drawn.
- ``visual_lines`` puts the lines a paragraph was broken into in the order each is drawn, left to right: a reduced
  form of the Unicode bidirectional algorithm for a left-to-right paragraph (the documents are Swedish): runs of
  right-to-left letters, with the spaces and punctuation between them, are reversed; numbers inside keep their digits'
  order, with a %, ° or € beside them (W5); brackets are mirrored; combining marks stay with their letter. As UAX #9
  says, the levels are resolved over the whole paragraph and each line is then reordered alone (rule L2), so what a
  line starts or ends with is read in the context of the line before or after it: a number opening a line after Hebrew
  is read within the Hebrew, a comma ending a line between two Hebrew words stays with them (s23-loose; until then
  each line was resolved alone). ``visual_order`` is the same for one line that is not broken (the running header and
  footer).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

_RTL = frozenset({"R", "AL"})
# The blocks of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo…, their presentation forms). Printed
# text holds no character beyond the BMP (``pdf_page.printable``).
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f]")
_NUMBER = frozenset({"EN", "AN"})
_TATWEEL = "\u0640"
_MIRRORED = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
_FORM_INDEX = {"<isolated>": 0, "<final>": 1, "<initial>": 2, "<medial>": 3}


@cache
def _forms() -> dict[str, tuple[str | None, ...]]:
    """Each Arabic letter's (isolated, final, initial, medial) presentation forms, None where it has none."""
    forms: dict[str, list[str | None]] = {}
    # Forms-A's single letters (Persian and Urdu: پ چ ژ گ ی) and Forms-B's (before its lam-alef ligatures).
    for code in (*range(0xFB50, 0xFC00), *range(0xFE80, 0xFEF5)):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and parts[0] in _FORM_INDEX:
            forms.setdefault(chr(int(parts[1], 16)), [None] * 4)[_FORM_INDEX[parts[0]]] = chr(code)
    return {letter: tuple(found) for letter, found in forms.items()}


@cache
def _lam_alef() -> dict[tuple[str, bool], str]:
    """(the alef, whether the lam joins the letter before it) → the lam-alef ligature."""
    ligatures: dict[tuple[str, bool], str] = {}
    for code in range(0xFEF5, 0xFEFD):
        kind, _lam, alef = unicodedata.decomposition(chr(code)).split()
        ligatures[(chr(int(alef, 16)), kind == "<final>")] = chr(code)
    return ligatures


def _joins_forward(char: str | None) -> bool:
    """True when ``char`` connects to the letter after it (a dual-joining letter, or the tatweel)."""
    if char is None:
        return False
    return char == _TATWEEL or (char in _forms() and _forms()[char][2] is not None)


def _joins_backward(char: str | None) -> bool:
    if char is None:
        return False
    return char == _TATWEEL or (char in _forms() and _forms()[char][1] is not None)


def shape_arabic(text: str) -> str:
    """``text`` with each Arabic letter in the form its neighbours ask for; other text unchanged."""
    if _ARABIC.search(text) is None:  # one pass in C: nearly every text printed has no Arabic letter
        return text
    forms = _forms()
    letters = [(index, char) for index, char in enumerate(text) if unicodedata.category(char) != "Mn"]
    out = list(text)
    skip: set[int] = set()
    for position, (index, char) in enumerate(letters):
        if index in skip or char not in forms:
            continue
        before = letters[position - 1][1] if position else None
        after = letters[position + 1] if position + 1 < len(letters) else None
        joined_before = _joins_forward(before)
        if char == "\u0644" and after is not None and (after[1], joined_before) in _lam_alef():
            out[index] = _lam_alef()[(after[1], joined_before)]
            out[after[0]] = ""
            skip.add(after[0])
            continue
        joined_after = _joins_forward(char) and after is not None and _joins_backward(after[1])
        isolated, final, initial, medial = forms[char]
        chosen = {(True, True): medial, (True, False): final, (False, True): initial}.get(
            (joined_before, joined_after), isolated
        )
        out[index] = chosen or isolated or char
    return "".join(out)


def _clusters(line: str) -> list[str]:
    """The line as letters with their combining marks, which must stay after their letter when a run turns."""
    clusters: list[str] = []
    for char in line:
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _resolve_brackets(clusters: list[str], resolved: list[str]) -> None:
    """N0: a pair of brackets is right to left only when it holds right-to-left text and none left to right, and
    right-to-left text stands before it; otherwise left to right, as the Swedish paragraph ("Sara (שרה) 12")."""
    opened: list[int] = []
    for index, cluster in enumerate(clusters):
        if cluster[0] in "([{":
            opened.append(index)
        elif cluster[0] in ")]}" and opened and clusters[opened[-1]][0] == _MIRRORED[cluster[0]]:
            start = opened.pop()
            inside = set(resolved[start + 1 : index])
            before = next((k for k in reversed(resolved[:start]) if k in ("L", "R", "AL", "AN")), "L")
            rtl = bool(inside & {"R", "AL", "AN"}) and "L" not in inside and before != "L"
            resolved[start] = resolved[index] = "R" if rtl else "L"


def _terminators_with_their_number(resolved: list[str], european: list[bool]) -> None:
    """W5: a run of terminators (%, ‰, °, $, €, #, ±) next to European digits goes with the number ("50%" in Hebrew
    is drawn "50%", not "%50"; a "%" ending the paragraph stays by its number, not after the Hebrew before it)."""
    index = 0
    while index < len(resolved):
        if resolved[index] != "ET":
            index += 1
            continue
        end = index
        while end < len(resolved) and resolved[end] == "ET":
            end += 1
        number = next((k for k in (index - 1, end) if 0 <= k < len(resolved) and european[k]), None)
        if number is not None:
            resolved[index:end] = [resolved[number]] * (end - index)
        index = end


def _levels(clusters: list[str]) -> list[int]:
    """Embedding levels in a left-to-right paragraph: 0 left to right, 1 right to left, 2 a number in RTL text."""
    resolved = [unicodedata.bidirectional(cluster[0]) for cluster in clusters]
    strong = "L"
    european = [False] * len(resolved)  # European digits not after Arabic letters (W2 makes those AN)
    for index, kind in enumerate(resolved):  # W2, W7: a number after right-to-left letters is read within them
        if kind in ("L", "R", "AL"):
            strong = kind
        elif kind == "EN":
            resolved[index] = "L" if strong == "L" else "AN"
            european[index] = strong != "AL"
    for index in range(1, len(resolved) - 1):  # W4: 1,5 or 1.000 is one number
        if resolved[index] in ("CS", "ES") and resolved[index - 1] == resolved[index + 1] == "AN":
            resolved[index] = "AN"
    _terminators_with_their_number(resolved, european)
    _resolve_brackets(clusters, resolved)
    levels = [0] * len(resolved)
    for index, kind in enumerate(resolved):
        if kind in _RTL:
            levels[index] = 1
        elif kind == "AN":
            levels[index] = 2
    index = 0
    while index < len(resolved):  # N1, N2: neutrals between two right-to-left sides are right to left
        if resolved[index] in ("L", "R", "AL", "AN"):
            index += 1
            continue
        end = index
        while end < len(resolved) and resolved[end] not in ("L", "R", "AL", "AN"):
            end += 1
        before = resolved[index - 1] if index else "L"
        after = resolved[end] if end < len(resolved) else "L"
        if before != "L" and after != "L":
            levels[index:end] = [1] * (end - index)
        index = end
    return levels


def has_right_to_left(text: str) -> bool:
    """Whether ``text`` holds a letter of a right-to-left script."""
    return _RIGHT_TO_LEFT.search(text) is not None


def visual_order(line: str) -> str:
    """One line as drawn from left to right; a line without right-to-left letters comes back as it was."""
    return visual_lines(line, [line])[0]


def visual_lines(paragraph: str, lines: Sequence[str]) -> list[str]:
    """The ``lines`` that ``paragraph`` was broken into (in order, each its words joined by one space or a long word
    broken anywhere; the paragraph's other whitespace dropped), each as drawn from left to right, with the levels
    resolved over the whole paragraph. A paragraph without right-to-left letters gives its lines back as they were."""
    if _RIGHT_TO_LEFT.search(paragraph) is None:  # one pass in C over every printed paragraph
        return list(lines)
    clusters = _clusters(paragraph)
    char_levels = [level for cluster, level in zip(clusters, _levels(clusters), strict=True) for _ in cluster]
    drawn: list[str] = []
    at = 0
    for line in lines:
        line_levels, at = _line_levels(paragraph, char_levels, line, at)
        drawn.append(_reordered(line, line_levels))
    return drawn


def _line_levels(paragraph: str, levels: list[int], line: str, at: int) -> tuple[list[int], int]:
    """The levels of ``line``'s characters, found in ``paragraph`` from ``at`` on (one space of the line stands for
    a run of whitespace there), and where the next line starts. A line not found there (the caller broke the text
    in another way) is resolved alone, as before."""
    while at < len(paragraph) and paragraph[at].isspace():
        at += 1
    found: list[int] = []
    for char in line:
        if at >= len(paragraph) or (paragraph[at] != char and not (char == " " and paragraph[at].isspace())):
            clusters = _clusters(line)
            return [level for cluster, level in zip(clusters, _levels(clusters), strict=True) for _ in cluster], at
        found.append(levels[at])
        at += 1
        while char == " " and at < len(paragraph) and paragraph[at].isspace():
            at += 1
    return found, at


def _reordered(line: str, char_levels: list[int]) -> str:
    """``line`` drawn from left to right, its characters at ``char_levels`` (a cluster at its letter's level)."""
    clusters = _clusters(line)
    levels, start = [], 0
    for cluster in clusters:
        levels.append(char_levels[start])
        start += len(cluster)
    end = len(levels)
    while end and clusters[end - 1].isspace():  # L1: whitespace ending a line is at the paragraph's level
        end -= 1
    levels[end:] = [0] * (len(levels) - end)
    order = list(range(len(clusters)))
    for level in (2, 1):  # L2: reverse every run at this level or higher, from the highest level down
        index = 0
        while index < len(order):
            if levels[order[index]] < level:
                index += 1
                continue
            end = index
            while end < len(order) and levels[order[end]] >= level:
                end += 1
            order[index:end] = order[index:end][::-1]
            index = end
    drawn = []
    for position in order:
        cluster = clusters[position]
        if levels[position] % 2 and cluster[0] in _MIRRORED:  # L4: "(" read right to left is drawn as ")"
            cluster = _MIRRORED[cluster[0]] + cluster[1:]
        drawn.append(cluster)
    return "".join(drawn)
