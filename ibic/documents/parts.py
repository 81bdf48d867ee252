"""Small builders shared by the utredning sections: dates, amounts, and blocks that vanish when empty."""

from __future__ import annotations

from datetime import date

from ibic.documents.outline import Block, KeyValueRows, LabelledText, Paragraph, Section, TextStyle
from ibic.messages import exact_decimal
from ibic.personal_number import PersonalNumber

NOTHING_RECORDED = "Inga uppgifter har registrerats ännu."


def day_text(day: date | None) -> str:
    """A date as printed in Swedish documents (ÅÅÅÅ-MM-DD); empty when unknown."""
    return day.isoformat() if day is not None else ""


def amount_text(amount: float) -> str:
    """8.0 → "8", 1.5 → "1,5", 8.004 → "8,004": every decimal the value holds (Swedish decimal comma).

    The shortest form that reads back as the same number: rounding to two decimals printed 8.004 as "8," and showed
    a typed 1234,5678 as 1234,57 when the case was opened again.
    """
    return exact_decimal(amount).replace(".", ",")


def number_row(number: PersonalNumber) -> tuple[str, str]:
    """The person's number as a row, named for what it is: a samordningsnummer (day + 60, for one not folkbokförd)
    is not a personnummer, and the documents printed one under "Personnummer" (s32-probe)."""
    return ("Samordningsnummer" if number.is_coordination_number else "Personnummer", number.formatted())


def rows(*pairs: tuple[str, str]) -> KeyValueRows | None:
    """Rows whose value is not blank; None when nothing is left, so no empty table is printed."""
    kept = tuple((label, value.strip()) for label, value in pairs if value and value.strip())
    return KeyValueRows(kept) if kept else None


def labelled(label: str, text: str, style: TextStyle = "body") -> LabelledText | None:
    """A labelled field, or None when the text is blank (a label never stands alone)."""
    return LabelledText(label, text, style) if text.strip() else None


def paragraph(text: str, style: TextStyle = "body") -> Paragraph | None:
    return Paragraph(text, style) if text.strip() else None


def blocks(*items: Block | None) -> tuple[Block, ...]:
    """The given blocks without the empty ones."""
    return tuple(item for item in items if item is not None)


def section(heading: str, *items: Block | None, level: int = 1, empty_text: str = NOTHING_RECORDED) -> Section:
    """A section; when nothing is under the heading it says so instead of standing empty."""
    kept = blocks(*items)
    return Section(heading, kept or (Paragraph(empty_text, "muted"),), level)


def optional_section(heading: str, *items: Block | None, level: int = 2) -> Section | None:
    """A sub-section that is left out entirely when nothing is under it."""
    kept = blocks(*items)
    return Section(heading, kept, level) if kept else None


def quoted(text: str) -> str:
    """The person's own words, in Swedish quotation marks."""
    return f"”{text.strip()}”"
