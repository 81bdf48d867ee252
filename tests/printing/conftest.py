"""Fixtures for the printing tests: demo cases, a case full of awkward text, and PDF text extraction."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from ibic.cases import Case
from ibic.demo import CASEWORKER, UNIT, demo_cases, fully_filled_case
from ibic.documents.outline import DocumentOutline
from ibic.documents.utredning import build_utredning
from ibic.investigation import LifeAreaAssessment, NotRelevant, OtherDescription
from ibic.people import Person
from ibic.reference import ReferenceData

TODAY = date(2026, 11, 23)
# 10,000 characters of ordinary words in one field: it must flow over several pages and come out whole.
LONG_FIELD = ("Personen berättar om sin vardag, om grannarna och om promenaderna längs ån. " * 200)[:10_000]
LONG_WORD = "Ö" + "långtordutanmellanslag" * 14  # 309 characters without a space
TYPED_LIST = "Behöver hjälp med:\n- städning varannan vecka\n- inköp & ärenden <varje vecka>\n- tvätt\nSlut på listan."


@pytest.fixture
def demo() -> tuple[list[Person], list[Case]]:
    return demo_cases(TODAY)


@pytest.fixture
def home_visit(demo: tuple[list[Person], list[Case]]) -> tuple[Person, Case]:
    """The demo home-visit case (Tolvan): three areas mapped, one ej aktuellt, the rest not yet mapped."""
    people, cases = demo
    return people[0], cases[0]


@pytest.fixture
def awkward() -> tuple[Person, Case]:
    """The fully filled case with long, listed, broken and marked-up text, é, and an ej aktuellt area."""
    person, case = fully_filled_case(TODAY)
    inv = case.investigation
    inv.situation = "Tolvan dricker café på förmiddagen.\nHan läser tidningen på eftermiddagen.\n\nIdé: " + LONG_WORD
    first = inv.assessments[0]
    first.own_description = LONG_FIELD
    first.others.append(
        OtherDescription(source_name="Hemsjukvården Demo", source_role="Sjuksköterska", text=TYPED_LIST)
    )
    inv.assessments = [a for a in inv.assessments if a.area_id != "d9"]
    inv.assessments.append(
        LifeAreaAssessment(area_id="d9", not_relevant=NotRelevant(reason_id="person_declines", note="Vill vänta."))
    )
    case.communication.reply_by = TODAY + timedelta(days=14)
    return person, case


def outline_of(person: Person, case: Case, ref: ReferenceData, version: int = 1) -> DocumentOutline:
    return build_utredning(case, person, ref, today=TODAY, caseworker=CASEWORKER, unit=UNIT, version=version)


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def body_text(pdf: bytes, outline: DocumentOutline) -> str:
    """The flowing text of all pages joined, without what is repeated on every page (header, footer, watermark)."""
    parts = []
    for text in page_texts(pdf):
        lines = text.split("\n")
        kept = [
            line
            for line in lines
            if line.strip() not in (outline.watermark, outline.running_header, outline.running_footer)
            and not re.fullmatch(r"Sida \d+ av \d+", line.strip())
        ]
        parts.append("\n".join(kept))
    return normalise("\n".join(parts))
