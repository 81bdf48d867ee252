"""Where a Swedish word too wide for its row may break, with a hyphen (a soft hyphen, U+00AD, that Qt shows as a
hyphen only where it breaks the line).

The steps pane's rows are the IBIC life areas' and ICF categories' fixed names: their long compounds break at their
joints, as Svenska skrivregler ask ("Samhälls-gemenskap", not "Samhällsgemens-kap"); a word not listed breaks where
Swedish syllables mostly part, before a consonant a vowel follows.
"""

from __future__ import annotations

SOFT_HYPHEN = "\u00ad"

# The reference data's long words (13 letters and more, tests/ui/test_navigator_rows_wrap.py checks each is here),
# "|" at each place the word may break: compound joints first, then syllables in a long part.
_JOINTS = (
    "samhälls|gemen|skap", "mellan|mänsk|liga", "kommu|nika|tion", "hushålls|arbete", "grund|läggande",
    "trans|aktioner", "uppmärk|samhet", "medborgar|skap", "inter|aktioner", "medborger|ligt", "förnöden|heter",
    "transport|medel", "syssel|sättning", "kropps|ställning", "själv|försörj|ning", "familje|relationer",
    "hushålls|apparater", "kommunika|tions|tekniker", "kommunika|tions|utrustning", "för|flyttning",
    "konver|sation", "toalett|behov", "förenings|liv", "köks|utrymmen", "psyko|logiska", "fin|motoriska",
    "kommu|nicera", "kommu|nicering", "menings|full", "färdig|heter", "tecken|språk", "medde|landen",
    "myndig|heter", "sam|mansatta",
)
JOINTS = {marked.replace("|", ""): marked.split("|") for marked in _JOINTS}

VOWELS = frozenset("aeiouyåäöéü")


def hyphenable(word: str) -> str:
    """``word`` with a soft hyphen at each place it may break; punctuation around it kept as it is."""
    start = next((i for i, char in enumerate(word) if char.isalpha()), len(word))
    end = len(word) - next((i for i, char in enumerate(reversed(word)) if char.isalpha()), len(word))
    core = word[start:end]
    parts = JOINTS.get(core.lower())
    if parts is None:
        return word[:start] + _by_syllables(core) + word[end:]
    pieces, at = [], 0
    for part in parts:  # the word's own letters, its capitals kept, cut at the listed lengths
        pieces.append(core[at:at + len(part)])
        at += len(part)
    return word[:start] + SOFT_HYPHEN.join(pieces) + word[end:]


def _by_syllables(word: str) -> str:
    """Breaks before a consonant a vowel follows, two letters at least before a break and three after it: no
    dictionary's hyphenation (it may cut an unlisted compound off its joint), taken only in a word wider than its
    row."""
    out = []
    for i, char in enumerate(word):
        after = word[i:i + 3]
        if i >= 2 and word[i - 2:i].isalpha() and len(after) == 3 and after.isalpha() \
                and char.lower() not in VOWELS and after[1].lower() in VOWELS:
            out.append(SOFT_HYPHEN)
        out.append(char)
    return "".join(out)
