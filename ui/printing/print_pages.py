"""Printing a loaded PDF on a QPrinter: the very pages the preview shows, rendered by QtPdf."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

# 300 dpi is sharp on paper; the printer's own 1200 dpi would mean ~550 MB a page for no visible gain.
MAX_RENDER_DPI = 300


class PrintFailed(RuntimeError):
    """The printer could not be opened for painting."""


def page_range(printer: QPrinter, page_count: int) -> range:
    """Zero-based page indexes chosen in the print dialog (all pages unless a range was chosen)."""
    first, last = printer.fromPage(), printer.toPage()
    if printer.printRange() != QPrinter.PrintRange.PageRange or first <= 0:
        return range(page_count)
    return range(max(first, 1) - 1, min(max(last, first), page_count))


def print_pdf(document: QPdfDocument, printer: QPrinter, progress: Callable[[int, int], bool] | None = None) -> int:
    """Paint the document's pages on ``printer``, one PDF page per sheet; returns the number of pages printed.

    ``progress(done, total)`` is called before each page; when it returns False the job is aborted.
    """
    pages = page_range(printer, document.pageCount())
    # The PDF already has its own margins: map each page onto the whole sheet.
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("the printer could not be opened")
    printed = 0
    try:
        for index in pages:
            if progress is not None and not progress(printed, len(pages)):
                printer.abort()
                break
            if printed:
                printer.newPage()
            _paint_page(painter, document, index, min(printer.resolution(), MAX_RENDER_DPI))
            printed += 1
    finally:
        painter.end()
    return printed


def _paint_page(painter: QPainter, document: QPdfDocument, index: int, dpi: int) -> None:
    points = document.pagePointSize(index)
    size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    rendered = document.render(index, size)
    # QtPdf renders on a transparent background; compose on white so every printer driver sees paper.
    page = QImage(size, QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    composer = QPainter(page)
    composer.drawImage(0, 0, rendered)
    composer.end()
    target = QRectF(painter.viewport())
    scale = min(target.width() / size.width(), target.height() / size.height())
    width, height = size.width() * scale, size.height() * scale
    left = target.left() + (target.width() - width) / 2
    top = target.top() + (target.height() - height) / 2
    painter.drawImage(QRectF(left, top, width, height), page)
