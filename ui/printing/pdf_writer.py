"""The PDF writer: a document outline from ``ibic`` to PDF bytes with reportlab platypus. No Qt here.

Everything happens in memory (BytesIO): no temporary file is ever written, because an unencrypted copy of
the utredning may only exist where the user chooses to save one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ibic.documents.outline import (
    Block,
    DocumentOutline,
    KeyValueRows,
    LabelledText,
    Notice,
    Section,
    SignatureBlock,
    TextStyle,
)
from ibic.documents.outline import Paragraph as TextParagraph
from ibic.documents.outline import Table as OutlineTable
from ibic.line_breaks import plain_breaks
from ui.printing.bidi import has_right_to_left, visual_order
from ui.printing.pdf_page import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PageDecoration,
    numbered_canvas_class,
    printable,
)
from ui.printing.pdf_styles import (
    HEADING,
    REGULAR,
    RULE,
    SHADE,
    WARNING,
    Styles,
    font_for,
    styles,
)
from ui.printing.text_block import Run, TextBlock

CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
# Room a heading needs below it (points): a label with two lines of text, plus a sub-heading under a heading.
# If less is left, the heading moves to the next page with its text. Conditional page breaks cost nothing to lay
# out, unlike keepWithNext, which wraps every paragraph twice.
LABEL_RESERVE = 48
H2_RESERVE = LABEL_RESERVE + 36
H1_RESERVE = H2_RESERVE + 36
# Tables draw plain-string cells (even empty ones) in Helvetica unless told otherwise: keep one embedded font.
_FONT = ("FONT", (0, 0), (-1, -1), REGULAR, 9)
# A table's heading size and cell padding (each side; 6 is reportlab's default), tighter where words would not fit.
_TIGHTER = ((8.5, 6.0), (8.0, 6.0), (7.5, 6.0), (7.0, 6.0), (7.0, 3.0))
# Headings set smaller to keep them on two lines: the padding halves before they go under 8 points, and they stop at
# 7.5 (DejaVu Sans's x-height is 0.55 em, so 7.5 points reads as a 9-point serif, a municipal document's smallest
# type); handläggningstider's seven headings were set at 7 with the padding untouched.
_TWO_LINES = ((8.5, 6.0), (8.0, 6.0), (8.0, 3.0), (7.5, 3.0))
_WHOLE_WORD_MAX = 24  # characters: a longer word in a table cell may be broken (a name typed without spaces)
_BULLET = re.compile(r"^\s*[-–•*]\s+(?P<item>\S.*)$")


def render_pdf(outline: DocumentOutline) -> bytes:
    """The outline as an A4 PDF, in memory."""
    st = styles()
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        # Metadata carries no personal data: the document type only.
        title=outline.metadata_title,
        author="Hembesök",
        subject="",
        creator="Hembesök",
        keywords="",
        lang="sv-SE",  # screen readers pick a Swedish voice
    )
    # The canvas's initial font would otherwise be Helvetica, referenced on every page though never embedded.
    doc.initialFontName = REGULAR
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    decoration = PageDecoration(
        header=outline.running_header, footer=outline.running_footer, watermark=outline.watermark,
        page_label=outline.page_label,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decoration)])
    doc.build(story(outline, st), canvasmaker=numbered_canvas_class(outline.page_label))
    return buffer.getvalue()


class _Bookmark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """An entry in the PDF's outline (the reader's bookmark pane) at the place of a heading; draws nothing.

    Headings are section titles, never typed text, so the outline carries no personal data.
    """

    def __init__(self, title: str, level: int) -> None:
        super().__init__()
        self.title, self.level = title, level
        self.width = self.height = 0

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        # The numbered canvas holds its pages until the end; it places the entry when the page is really written.
        _, top = self.canv.absolutePosition(0, 0)
        self.canv.mark_heading(self.title, self.level, top)


def story(outline: DocumentOutline, st: Styles) -> list[Flowable]:
    """The flowables of the whole document, in order."""
    flow: list[Flowable] = []
    if outline.issuer:
        flow.append(Paragraph(_markup(outline.issuer.upper()), st.issuer))
    flow.append(Paragraph(_markup(outline.document_type), st.title))
    flow.append(Paragraph(_markup(outline.subtitle), st.subtitle))
    flow.append(_header_table(outline.header, st))
    for notice in outline.notices:
        flow.append(Spacer(1, 2 * mm))
        flow.append(_notice(notice, st))
    for number, section in enumerate(outline.sections, start=1):
        flow.extend(_section(section, st, number=number))
    flow.append(_signature(outline.signature, st))
    return flow


def _markup(text: str) -> str:
    """Plain text as safe paragraph markup: escaped, printable, tabs as spaces."""
    # Right-to-left runs turned before the Paragraph breaks the text: right for the one-line labels and headings
    # (fixed Swedish words; a typed cell value with right-to-left text is a TextBlock, ``_cell``).
    return escape(visual_order(printable(text)))


def text_runs(text: str, style: TextStyle, st: Styles) -> list[Run]:
    """Typed text as runs: line breaks kept, blank lines as paragraph breaks, "- item" lines as a bulleted list."""
    look = {"body": st.body, "quote": st.quote, "muted": st.muted}[style]
    runs: list[Run] = []
    for raw in printable(text).split("\n"):
        bullet = _BULLET.match(raw)
        if bullet is not None:
            item = _run(bullet["item"].strip(), look, bullet=True, space_after=1)
            runs.append(replace(item, indent=look.leftIndent + st.bullet.leftIndent))
        elif raw.strip():
            runs.append(_run(raw, look))
        elif runs:
            # A blank line ends a paragraph: room below the line before it.
            runs[-1] = replace(runs[-1], space_after=look.spaceAfter)
    if runs:
        runs[-1] = replace(runs[-1], space_after=max(runs[-1].space_after, look.spaceAfter))
    return runs


def _run(text: str, style: ParagraphStyle, **extra: Any) -> Run:
    text = printable(text)
    return Run(
        text=text,
        font=font_for(text, style.fontName),
        size=style.fontSize,
        leading=style.leading,
        color=style.textColor,
        indent=style.leftIndent,
        **extra,
    )


def _section(section: Section, st: Styles, *, number: int | None = None) -> list[Flowable]:
    heading = f"{number}. {section.heading}" if number is not None and section.level == 1 else section.heading
    reserve = H1_RESERVE if section.level <= 1 else H2_RESERVE
    flow: list[Flowable] = [
        CondPageBreak(reserve),
        # Outline levels start at 0 and may only go one deeper at a time: sections are 0, their parts 1.
        _Bookmark(printable(heading), 0 if section.level <= 1 else 1),
        Paragraph(_markup(heading), st.h1 if section.level <= 1 else st.h2),
    ]
    runs: list[Run] = []
    for block in section.blocks:
        # Consecutive texts share one block: far fewer flowables for platypus to place.
        if isinstance(block, LabelledText):
            label = _run(block.label, st.label, space_before=st.label.spaceBefore, is_label=True)
            runs.extend([label, *text_runs(block.text, block.style, st)])
            continue
        if isinstance(block, TextParagraph):
            runs.extend(text_runs(block.text, block.style, st))
            continue
        if runs:
            flow.append(TextBlock(runs))
            runs = []
        flow.extend(_block(block, st))
    if runs:
        flow.append(TextBlock(runs))
    return flow


def _block(block: Block, st: Styles) -> list[Flowable]:
    if isinstance(block, Section):
        return _section(block, st)
    if isinstance(block, LabelledText | TextParagraph):
        return [TextBlock(text_runs(block.text, block.style, st))]
    if isinstance(block, KeyValueRows):
        return [_key_values(block, st)]
    if isinstance(block, OutlineTable):
        return [_table(block, st)]
    return [_notice(block, st)]


def _cell(text: str, st: Styles) -> list[Flowable]:
    lines = [line for line in plain_breaks(text).split("\n") if line.strip()]  # U+2028 too breaks a cell's line
    if any(has_right_to_left(line) for line in lines):
        # Broken into lines by TextBlock, which turns right-to-left runs with the whole paragraph's levels: turned
        # before a Paragraph breaks it, a wrapped Hebrew sentence printed its end on its first line.
        return [TextBlock([_run(line, st.cell) for line in lines])]
    return [Paragraph("<br/>".join(_markup(line) for line in lines), st.cell)] if lines else []


def _key_values(rows: KeyValueRows, st: Styles) -> Table:
    data = [[Paragraph(_markup(label), st.cell_label), _cell(value, st)] for label, value in rows.rows]
    # splitInRow lets a very long value continue on the next page instead of overflowing the frame.
    table = Table(data, colWidths=[0.3 * CONTENT_WIDTH, 0.7 * CONTENT_WIDTH], splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                _FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _header_table(rows: KeyValueRows, st: Styles) -> Table:
    """The title block's facts, two pairs to a line, on a light shade."""
    pairs = list(rows.rows)
    data = []
    for index in range(0, len(pairs), 2):
        line: list[object] = []
        for label, value in pairs[index : index + 2]:
            line.extend([Paragraph(_markup(label), st.cell_label), _cell(value, st)])
        while len(line) < 4:
            line.append("")
        data.append(line)
    label_width = _label_width([name for name, _value in pairs], st)
    widths = [label_width, 0.5 * CONTENT_WIDTH - label_width, label_width, 0.5 * CONTENT_WIDTH - label_width]
    table = Table(data, colWidths=widths, splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                _FONT,
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, HEADING),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# The title block's label columns: a fifth of the width, wider for a label that would not fit on one line, up to a
# quarter ("Samordningsnummer" was broken as "Samordningsnu / mmer", s32's read-back).
_LABEL_SHARE, _LABEL_SHARE_MAX, _CELL_PADDING = 0.2, 0.25, 12.0  # reportlab's cell padding: 6 pt either side


def _label_width(labels: list[str], st: Styles) -> float:
    needed = max((float(stringWidth(label, st.cell_label.fontName, st.cell_label.fontSize)) for label in labels),
                 default=0.0)
    return float(min(max(_LABEL_SHARE * CONTENT_WIDTH, needed + _CELL_PADDING), _LABEL_SHARE_MAX * CONTENT_WIDTH))


class _HeadedTable(Table):  # type: ignore[misc]  # reportlab ships no type hints
    """A table whose head repeats on each page it continues on, and only there.

    reportlab splits between rows first: the head and the rows that fit stay on the page, and the rest (the head
    again, then the row that did not fit) is laid out in the space left on the same page, where it is split inside
    that row. The head then stood twice on one page, over the first rows and again between two rows (a follow-up's
    goal with a long comment, s34-probe). When the rest would be split on this page anyway, the table is split inside
    that row at once: the row continues under the rows before it, and the head is repeated on the next page only."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) != 2:
            return parts
        first, rest = parts
        left = availHeight - sum(self._rowHeights[: len(first._cellvalues)])  # measured by the split already
        # Would the rest be split on this page? Asked of its head and first row alone, which decide it: the whole
        # rest laid out again at each page's foot made a long report's table half as slow again.
        ahead = Table(rest._cellvalues[:2], colWidths=rest._colWidths, repeatRows=1, splitInRow=1,
                      cellStyles=rest._cellStyles[:2], normalizedData=1)
        if not ahead.split(availWidth, left):  # the rest moves to the next page whole: its head is that page's
            return parts
        return self._splitRows(availHeight, doInRowSplit=1) or parts


def _table(block: OutlineTable, st: Styles) -> Table:
    count = len(block.columns)
    weights = block.widths if len(block.widths) == count else content_weights(block, st)
    columns = column_widths(block, weights, st)
    head = [Paragraph(_markup(column), columns.head) for column in block.columns]
    body = [[_cell(value, st) for value in row] for row in block.rows]
    table = _HeadedTable([head, *body], colWidths=columns.widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                _FONT,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, HEADING),
                ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), columns.padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), columns.padding),
            ]
        )
    )
    return table


def content_weights(block: OutlineTable, st: Styles) -> tuple[float, ...]:
    """Weights for a table that gives none (the reports): each column as wide as its longest value on one line (a
    third of the page at most) or its heading on two lines, whichever is wider. Equal weights printed "Beviljad tid
    (timmar per månad)" on five lines beside a column of "Ja" and "Nej"."""
    value_width = getFont(st.cell.fontName).stringWidth
    weights = []
    for index, column in enumerate(block.columns):
        lines = (line for row in block.rows for line in printable(row[index]).split("\n"))
        value = min(max((value_width(line, st.cell.fontSize) for line in lines), default=0.0), CONTENT_WIDTH / 3)
        head = _two_line_width(column, st.cell_head)
        weights.append(max(value, head) + 2 * _TIGHTER[0][1] + 1)  # the point: rounding in reportlab's wrap
    return tuple(weights)


def _two_line_width(text: str, style: ParagraphStyle) -> float:
    """The narrowest width ``text`` wraps to in two lines of whole words (one, for a single word)."""
    measure = getFont(style.fontName).stringWidth

    def width(line: str) -> float:
        return float(measure(line, style.fontSize))

    words = printable(text).split()
    if len(words) < 2:
        return width(" ".join(words))
    return min(max(width(" ".join(words[:cut])), width(" ".join(words[cut:]))) for cut in range(1, len(words)))


def _widest_word(texts: Iterable[str], style: ParagraphStyle) -> float:
    """The widest word of ``texts`` that is short enough to be kept whole (a date, a case number, a heading's word);
    a longer one, typed without spaces, is broken by character wherever it stands."""
    words = {word for word in printable("\n".join(texts)).split() if len(word) <= _WHOLE_WORD_MAX}  # each once
    measure = getFont(style.fontName).stringWidth  # looked up once, as in text_block.break_words
    return max((measure(word, style.fontSize) for word in words), default=0.0)


def _widened(widths: list[float], needed: list[float]) -> list[float] | None:
    """``widths`` with each column at least ``needed``, the room taken from the others in proportion to what they
    have beyond their own need; None when the columns cannot all have what they need."""
    short = sum(max(0.0, need - width) for need, width in zip(needed, widths, strict=True))
    spare = [max(0.0, width - need) for need, width in zip(needed, widths, strict=True)]
    if short > sum(spare):
        return None
    share = short / sum(spare) if short else 0.0
    return [max(width, need) if need > width else width - room * share
            for width, need, room in zip(widths, needed, spare, strict=True)]


@dataclass(frozen=True)
class _Columns:
    widths: list[float]
    head: ParagraphStyle
    padding: float  # a cell's left and right padding, each


def column_widths(block: OutlineTable, weights: Sequence[float], st: Styles) -> _Columns:
    """Widths in proportion to ``weights``, but no column narrower than its heading on two lines and its widest short
    word, and how the headings and cells are set.

    Sized by weight alone, the uppdrag printed "Beslutsfor / m" and a report's seven equal columns "DEMO-2025-011 / 7"
    and "2026-08-1 / 6". When the headings do not all fit on two lines, they are set smaller (to 8 points), the cells'
    padding halves, then 7.5 points; past that only the headings' and values' words are kept whole (a heading may take
    more lines), and a heading word may break; when not even those fit, the weights stand.
    """
    total = sum(weights)
    widths = [CONTENT_WIDTH * weight / total for weight in weights]
    value_words = [_widest_word((row[index] for row in block.rows), st.cell) for index in range(len(block.columns))]
    for heading, tighter in ((_two_line_width, _TWO_LINES), (_widest_word_of, _TIGHTER)):
        for size, padding in tighter:
            smaller = _sized(st.cell_head, size)
            needed = [max(value, heading(column, smaller) + 1) + 2 * padding  # 1: rounding in reportlab's wrap
                      for value, column in zip(value_words, block.columns, strict=True)]
            widened = _widened(widths, needed)
            if widened is not None:
                return _Columns(widened, smaller, padding)
    padding = _TIGHTER[-1][1]
    return _Columns(_widened(widths, [value + 2 * padding for value in value_words]) or widths, st.cell_head, padding)


def _sized(head: ParagraphStyle, size: float) -> ParagraphStyle:
    return head if size == head.fontSize else ParagraphStyle(
        f"{head.name}_{size}", parent=head, fontSize=size, leading=head.leading * size / head.fontSize
    )


def _widest_word_of(text: str, style: ParagraphStyle) -> float:
    """The widest word of a heading short enough to be kept whole."""
    return _widest_word([text], style)


def _notice(notice: Notice, st: Styles) -> Table:
    demo = notice.kind == "demo"
    table = Table([[Paragraph(_markup(notice.text), st.demo if demo else st.notice)]], colWidths=[CONTENT_WIDTH])
    table.setStyle(
        TableStyle(
            [
                _FONT,
                ("BOX", (0, 0), (-1, -1), 1.2 if demo else 0.8, WARNING if demo else HEADING),
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _signature(signature: SignatureBlock, st: Styles) -> Flowable:
    """Two signature lines, kept together on one page: place and date, and the handläggare's signature."""
    name_lines = [
        _markup(part) for part in (signature.name, f"{signature.title}, {signature.unit}".strip(", ")) if part
    ]
    left = [Paragraph(_markup(signature.place_and_date_label), st.cell_label)]
    right = [Paragraph(_markup(signature.signature_label), st.cell_label), Paragraph("<br/>".join(name_lines), st.cell)]
    widths = [0.4 * CONTENT_WIDTH, 0.08 * CONTENT_WIDTH, 0.52 * CONTENT_WIDTH]
    table = Table([["", "", ""], [left, "", right]], colWidths=widths, rowHeights=[16 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                _FONT,
                ("LINEBELOW", (0, 0), (0, 0), 0.8, HEADING),
                ("LINEBELOW", (2, 0), (2, 0), 0.8, HEADING),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    heading = Paragraph(_markup(signature.heading), st.h1)
    return _KeptWithHeading([_Bookmark(printable(signature.heading), 0), heading, table], heading)


class _KeptWithHeading(KeepTogether):  # type: ignore[misc]  # reportlab ships no type hints
    """KeepTogether whose space before is its heading's. reportlab takes the first flowable's, the bookmark's (none),
    so a block that fitted only without the heading's space was split on the page: the signature lines at the foot
    of one page, their labels and the name alone on the next (s25-probe)."""

    def __init__(self, content: list[Flowable], heading: Flowable) -> None:
        super().__init__(content)
        self._heading = heading

    def getSpaceBefore(self, content: object = None) -> float:
        return float(self._heading.getSpaceBefore())
