"""Multi-line free text (its own module: the unlock page, which uses ``ui.common.fields``, draws no QPlainTextEdit,
and the binding creates that class, with its enums, only when its name is first used)."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QPointF, QSize
from PySide6.QtGui import QTextCursor, QTextDocument, QTextOption
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit, QWidget

from ibic.line_breaks import plain_breaks
from ui.common.fields import clean_text

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QTextBlock, QTextLayout

# A run of this many characters without a space is wider than any line. Wrapped at word boundaries, Qt looks for one
# through the rest of such a run at every line it breaks, so its layout grows with the square of the run's length: a
# pasted blob of 200,000 characters (a code, an encoded file) froze the window ~2 s at the paste, at each keystroke in
# it and at each change of the field's width (bench/long_run_paste.py). A text holding one is laid out line by line
# (``_RunLayout``): a line that starts inside the run wrapped anywhere, every other line at word boundaries, as Qt
# wraps a text without such a run; the stored text is the same.
LONG_RUN = 1_000
# A run: no character of Python's \s but the non-breaking spaces (U+00A0, U+2007, U+202F), which join a run for Qt's
# line breaking as letters do. One class, not an alternation: the whole-text check is 4 ms at 190,000, not 24.
_BREAKING_SPACES = "\t\n\v\f\r \x1c-\x1f\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000"
_LONG_RUN = re.compile(f"[^{_BREAKING_SPACES}]{{{LONG_RUN}}}")
_WORDS = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
_ANYWHERE = QTextOption.WrapMode.WrapAnywhere


class TextArea(QPlainTextEdit):
    """Multi-line free text with an accessible name, tab moving focus, and pasted control characters removed."""

    def __init__(self, object_name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        wrap_long_runs_anywhere(self)

    def sizeHint(self) -> QSize:
        """About five lines: room to write without pushing the rest of the form off screen."""
        hint = super().sizeHint()
        return QSize(hint.width(), self.fontMetrics().lineSpacing() * 5 + 12)

    def text(self) -> str:
        # Never cut: a text the store cannot hold is refused there with a message, and stays in the widget.
        return clean_text(self.toPlainText())

    def set_text(self, text: str) -> None:
        text = plain_breaks(text)  # a "\v" or U+0085 from the central system breaks the line here as in print
        if self.toPlainText() != text:
            self.setPlainText(text)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """A paste or a drop with its line breaks as the product writes them (``ibic.line_breaks``): Word's Shift+Enter
        ("\\v"), its page break ("\\f") and U+0085 were shown as a box or nothing, then dropped as control characters,
        gluing the words either side ("tvåRad"); now they break the line on screen, in the store and in print."""
        text = source.text() if source.hasText() else ""
        if plain_breaks(text) == text:
            super().insertFromMimeData(source)
            return
        plain = QMimeData()
        plain.setText(plain_breaks(text))
        super().insertFromMimeData(plain)


_RUNS = re.compile(f"[^{_BREAKING_SPACES}]{{{LONG_RUN},}}")
# A character beyond the BMP (U+10000 on: a mathematical letter, an emoji) is two of Qt's positions, a surrogate pair,
# and one of Python's; it is never a breaking space.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _runs_in_qt_positions(text: str) -> list[tuple[int, int]]:
    """Where ``text``'s long runs start and end, counted as Qt counts (UTF-16 code units, as ``QTextLine.textStart``):
    counted in Python's characters, a run of 200,000 mathematical letters ("𝐀𝐁𝐂", pasted from a web page) ended
    at half of Qt's, and every line of its second half was wrapped at word boundaries, each searching the rest of the
    run: ~0.5 s at each key typed in it, where 0.1 s is the run's layout."""
    if not text.isascii() and _ASTRAL.search(text):
        text = _ASTRAL.sub("xx", text)  # each as its two positions, both inside a run
    return [(run.start(), run.end()) for run in _RUNS.finditer(text)]
_MAX_WIDTH = float(2**31 - 1)  # Qt's width for a layout given none


class _RunLayout(QPlainTextDocumentLayout):
    """Qt's plain-text layout, but while the document is wrapped anywhere (``wrap_long_runs_anywhere``: it holds a run
    of ``LONG_RUN`` characters without a space) each paragraph is laid out again line by line: the lines that start
    inside such a run, with more of it left than ``LONG_RUN``, wrapped anywhere, the others at word boundaries. Wrapped
    anywhere as a whole, the ordinary words of such a text broke in the middle at a line's end (s32: "ledstån / gen").

    Qt lays a paragraph out where it must (an edit, a width change, the first paint) with the document's wrap mode, in
    linear time; a paragraph is asked for its rectangle before it is painted or hit, and is laid out again then, once:
    the layout left wrapping at word boundaries says it is done (Qt's own puts the document's mode back)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._blocks = document.blockCount()  # as Qt's layout counted them at its last change

    def documentChanged(self, position: int, removed: int, added: int) -> None:
        """A change within one paragraph of a document wrapped anywhere is laid out here, once: Qt's own would lay it
        out in its mode first, then ``blockBoundingRect`` again (+22 ms at 200,000 characters)."""
        document = self.document()
        block = document.findBlock(position)
        if (document.defaultTextOption().wrapMode() != _ANYWHERE or document.blockCount() != self._blocks
                or block != document.findBlock(max(0, position + removed + added - 1)) or not block.length()):
            super().documentChanged(position, removed, added)
            self._blocks = document.blockCount()
            return
        if block.layout().lineCount() == 0:  # to be laid out when next asked (``lay_out_later``, a width change)
            self.requestUpdate()
            return
        height = super().blockBoundingRect(block).height()
        self._lay_out(block, block.layout(), document)
        if super().blockBoundingRect(block).height() == height:
            self.updateBlock.emit(block)
        else:
            self.requestUpdate()

    def lay_out_later(self) -> None:
        """Every paragraph laid out when next asked, as a change of width does: the wrap mode is about to change in the
        middle of an edit, and Qt would lay the paragraph out for the new mode, then again for the edit."""
        block = self.document().firstBlock()
        while block.isValid():
            block.clearLayout()
            block.setLineCount(1 if block.isVisible() else 0)
            block = block.next()

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        document = self.document()
        if block.isValid() and document.defaultTextOption().wrapMode() == _ANYWHERE:
            layout = block.layout()
            if layout.lineCount() == 0 or layout.textOption().wrapMode() != _WORDS:
                self._lay_out(block, layout, document)
        return super().blockBoundingRect(block)

    def _lay_out(self, block: QTextBlock, layout: QTextLayout, document: QTextDocument) -> None:
        """``block`` laid out as Qt's ``layoutBlock`` does, each line in the wrap mode its start asks for."""
        anywhere = document.defaultTextOption()
        words = QTextOption(anywhere)
        words.setWrapMode(_WORDS)
        margin = document.documentMargin()
        width = self.frameBoundingRect(document.rootFrame()).width()  # the layout's text width (not bound)
        available = (width if width > 0 else _MAX_WIDTH) - 2 * margin
        runs = _runs_in_qt_positions(block.text())
        next_run, height, mode = 0, 0.0, words
        layout.setTextOption(words)
        layout.beginLayout()
        while (line := layout.createLine()).isValid():  # ~2,000 lines at 200,000 characters: kept lean
            line.setLeadingIncluded(True)
            start = line.textStart()
            while next_run < len(runs) and runs[next_run][1] - start < LONG_RUN:
                next_run += 1  # a run behind the line, or with less than a long run left: words, no search to fear
            wanted = anywhere if next_run < len(runs) and runs[next_run][0] <= start else words
            if wanted is not mode:
                layout.setTextOption(wanted)
                mode = wanted
            line.setLineWidth(available)
            if mode is anywhere and start + line.textLength() > runs[next_run][1]:  # a line wider than the run's rest
                layout.setTextOption(words)
                mode = words
                line.setLineWidth(available)
            line.setPosition(QPointF(margin, height))
            height += line.height()
            if line.leading() < 0:
                height += math.ceil(line.leading())
        layout.endLayout()
        layout.setTextOption(words)
        lines = document.lineCount()
        block.setLineCount(layout.lineCount() if block.isVisible() else 0)
        if document.lineCount() != lines:  # the scroll bar's range is counted in lines
            self.documentSizeChanged.emit(self.documentSize())


def wrap_long_runs_anywhere(edit: QPlainTextEdit) -> None:
    """Lay a run of ``LONG_RUN`` characters without a space in ``edit``'s text out wrapped anywhere, the rest of the
    text at word boundaries (``LONG_RUN``'s comment says why). Called on a new, empty ``edit``: it gets a document
    laid out by ``_RunLayout``. The document is wrapped anywhere while it holds such a run, so Qt's own layout of it
    never searches the run; decided at each change before Qt lays it out: the document says what changed
    (``contentsChange``) before its layout hears of it, so a paste, an undo or a text set from the store is laid out
    once, when next painted."""
    document = QTextDocument(edit)
    layout = _RunLayout(document)
    layout.setPaintDevice(edit.viewport())  # as QPlainTextEdit's own document's layout
    document.setDocumentLayout(layout)
    document.setDefaultFont(edit.font())
    edit.setDocument(document)
    edit.setWordWrapMode(_WORDS)

    def wrap(mode: QTextOption.WrapMode) -> None:
        layout.lay_out_later()
        edit.setWordWrapMode(mode)

    def changed(position: int, _removed: int, added: int) -> None:
        if edit.wordWrapMode() == _ANYWHERE:  # a run may have gone: only the whole text says (a few ms at 200,000)
            if not _LONG_RUN.search(document.toPlainText()):
                wrap(_WORDS)
            return
        # A new run holds some of what was added: the added text and a run's length either side of it says.
        around = QTextCursor(document)
        around.setPosition(max(0, position - LONG_RUN))
        around.setPosition(min(document.characterCount() - 1, position + added + LONG_RUN),
                           QTextCursor.MoveMode.KeepAnchor)
        if _LONG_RUN.search(around.selectedText()):  # blocks joined by U+2029, a space to the pattern
            wrap(_ANYWHERE)

    document.contentsChange.connect(changed)
