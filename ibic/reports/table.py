"""A report table and its CSV form, as Swedish spreadsheets read it.

The labels (title, column headers, row labels such as "Kvinnor" or "Ja", numbers) are domain messages
(``ibic.messages``), so the report dialog shows them in the interface's language; ``title``, ``columns``, ``rows`` and
``note`` are the Swedish text the CSV, the PDF and the server's answers carry (documents for the nämnd are Swedish).

CSV: UTF-8 with a byte-order mark (Excel otherwise guesses the legacy code page and breaks å, ä, ö), semicolons
between fields (the comma is the decimal sign) and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cached_property

from ibic.messages import Message, Number, message

WITHHELD = ".."  # Swedish official statistics' sign for a value withheld to protect individuals

# A cell is plain text when it reads the same in every language (a case number, a date, a count, "..") or a message
# when it is a label or a number with decimals.
Cell = str | Message


@dataclass(frozen=True)
class ReportTable:
    """A titled table; every report part is one (or a few) of these."""

    heading: Message
    headers: tuple[Message, ...]
    cells: tuple[tuple[Cell, ...], ...]
    remark: Message | None = None

    @property
    def title(self) -> str:
        return self.heading.sv

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(header.sv for header in self.headers)

    @cached_property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(cell_sv(cell) for cell in row) for row in self.cells)

    @property
    def note(self) -> str:
        return self.remark.sv if self.remark is not None else ""


def cell_sv(cell: Cell) -> str:
    return cell.sv if isinstance(cell, Message) else cell


def to_csv(table: ReportTable) -> bytes:
    """The table as a CSV file: header row, then the rows; UTF-8 with BOM, semicolon-separated, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.columns)
    writer.writerows(tuple(spreadsheet_text(cell) for cell in row) for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


# What Excel and LibreOffice read as the start of a formula in a CSV cell; a plain (Swedish) number keeps its sign.
# ASCII digits only: "-٣" (an Arabic-Indic three) is no number to a spreadsheet, which ran it as the formula =-٣.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?: %)?", re.ASCII)


def spreadsheet_text(cell: str) -> str:
    """``cell`` as a spreadsheet shows it: one starting like a formula gets a "'" in front, which keeps it text. A case
    number "=HYPERLINK(…)" or "+46…" from the central system, or a free-text insats, ran as a formula when the
    exported file was opened ("CSV injection")."""
    if cell.startswith(_FORMULA_START) and _PLAIN_NUMBER.fullmatch(cell) is None:
        return "'" + cell
    return cell


def decimal(value: float, decimals: int = 1) -> Message:
    """104.3 as "104,3" in Swedish and "104.3" in English."""
    return message("%1", Number(value, f".{decimals}f"))


def percent(value: float) -> Message:
    """A share in per cent with one decimal: "41,7 %" in Swedish."""
    return message("%1 %", Number(value, ".1f"))


def yes_no(value: bool) -> Message:
    return message("Yes") if value else message("No")


def fewer_withheld(limit: int) -> Message:
    """The note under a table with small numbers withheld."""
    return message("Fewer than %1 are not shown (%2).", limit, WITHHELD)
