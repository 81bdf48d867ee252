"""A report table and its CSV form, as Swedish spreadsheets read it.

UTF-8 with a byte-order mark (Excel otherwise guesses the legacy code page and breaks å, ä, ö), semicolons between
fields (the comma is the decimal sign) and CRLF line ends. Numbers are already Swedish text in the cells.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

WITHHELD = ".."  # Swedish official statistics' sign for a value withheld to protect individuals


@dataclass(frozen=True)
class ReportTable:
    """A titled table of text cells; every report part is one (or a few) of these."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


def to_csv(table: ReportTable) -> bytes:
    """The table as a CSV file: header row, then the rows; UTF-8 with BOM, semicolon-separated, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def decimal_sv(value: float, decimals: int = 1) -> str:
    """104.3 → "104,3" (Swedish decimal comma)."""
    return f"{value:.{decimals}f}".replace(".", ",")


def yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"
