"""The render-neutral outline of a document: sections, headings, paragraphs, rows, tables, a signature.

Every text is a plain string exactly as typed; a writer (PDF, screen) escapes and lays it out. The
outline is immutable so it can be handed to a worker thread while the user keeps editing the case.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

TextStyle = Literal["body", "quote", "muted"]
NoticeKind = Literal["secrecy", "demo", "period"]  # period: a report counted up to today (ibic.reports)


@dataclass(frozen=True)
class Paragraph:
    """Running text; may hold line breaks and lines typed as "- item" lists."""

    text: str
    style: TextStyle = "body"


@dataclass(frozen=True)
class LabelledText:
    """A field: a small label over the text the handläggare (or the person) wrote."""

    label: str
    text: str
    style: TextStyle = "body"


@dataclass(frozen=True)
class KeyValueRows:
    """Short facts in two columns (label, value)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``widths`` are relative column weights (empty: equal)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A framed note that must not be overlooked (secrecy marking, fictitious person)."""

    text: str
    kind: NoticeKind


@dataclass(frozen=True)
class Section:
    """A heading with what belongs under it; level 1 sections are numbered by the writer."""

    heading: str
    blocks: tuple[Block, ...]
    level: int = 1


Block = Paragraph | LabelledText | KeyValueRows | Table | Notice | Section


@dataclass(frozen=True)
class SignatureBlock:
    """Where the handläggare signs: heading, name, title and unit, and a line for place and date."""

    heading: str
    name: str
    title: str
    unit: str
    place_and_date_label: str
    signature_label: str = "Namnteckning"


@dataclass(frozen=True)
class DocumentOutline:
    """A whole document: the title block, notices, numbered sections and the signature.

    ``running_header`` and ``running_footer`` are printed on every page; they never hold the
    personnummer or the name. ``metadata_title`` goes into the file's metadata and holds no personal data.
    """

    document_type: str
    status: str
    version: int
    issuer: str
    subtitle: str
    header: KeyValueRows
    notices: tuple[Notice, ...]
    sections: tuple[Section, ...]
    signature: SignatureBlock
    running_header: str
    running_footer: str
    watermark: str
    metadata_title: str
    page_label: str = "Sida {page} av {pages}"

    def texts(self) -> Iterator[str]:
        """Every text of the outline in reading order (for tests and search)."""
        yield self.document_type
        yield self.subtitle
        for label, value in self.header.rows:
            yield label
            yield value
        for notice in self.notices:
            yield notice.text
        for section in self.sections:
            yield from _block_texts(section)
        sig = self.signature
        yield from (sig.heading, sig.place_and_date_label, sig.signature_label, sig.name, sig.title, sig.unit)


def _block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, Section):
        yield block.heading
        for child in block.blocks:
            yield from _block_texts(child)
    elif isinstance(block, LabelledText):
        yield block.label
        yield block.text
    elif isinstance(block, KeyValueRows):
        for label, value in block.rows:
            yield label
            yield value
    elif isinstance(block, Table):
        yield from block.columns
        for row in block.rows:
            yield from row
    else:
        yield block.text
