"""docs/glossary.md keeps up with the code: every vocabulary, value, insats, life area and law is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ibic.reference import ReferenceData
from ibic.vocabulary import VOCABULARIES

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"


@pytest.fixture(scope="module")
def glossary() -> str:
    return GLOSSARY.read_text(encoding="utf-8")


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text) is not None


def test_every_vocabulary_and_each_of_its_values_is_in_the_glossary(glossary: str) -> None:
    missing = [
        f"{enum.__name__}.{member.name}"
        for enum in VOCABULARIES.values()
        for member in enum
        if not (_mentions(glossary, enum.__name__) and _mentions(glossary, member.name))
    ]
    assert missing == []


def test_every_insats_life_area_scale_and_law_is_in_the_glossary(glossary: str, ref: ReferenceData) -> None:
    ids = [
        *(i.id for i in ref.insatser),
        *(a.id for a in ref.life_areas if a.kind == "category"),
        *(s.id for s in ref.scales),
        *(law.id for law in ref.laws if law.use in ("decision", "secrecy")),
    ]
    assert [identifier for identifier in ids if not _mentions(glossary, identifier)] == []
