"""Printing through QPrinter (PDF output in tmp_path): the chosen pages, each the preview's own page."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from ui.printing.pdf_writer import render_pdf
from ui.printing.print_pages import page_range, print_pdf

from .conftest import outline_of

THUMB = QSize(60, 85)


def load(data: bytes, parent_holder: list[object]) -> QPdfDocument:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    parent_holder.extend([buffer, document])  # the buffer must outlive the document's reads
    assert document.status() == QPdfDocument.Status.Ready
    return document


def thumbnail(document: QPdfDocument, index: int) -> list[int]:
    image = document.render(index, THUMB)
    white = QImage(THUMB, QImage.Format.Format_RGB32)
    white.fill(0xFFFFFFFF)
    painter = QPainter(white)
    painter.drawImage(0, 0, image)
    painter.end()
    return [white.pixelColor(x, y).lightness() for y in range(THUMB.height()) for x in range(THUMB.width())]


def distance(a: list[int], b: list[int]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    return printer


def test_a_page_range_prints_exactly_those_pages_as_they_look_in_the_preview(qapp, home_visit, ref, tmp_path):
    person, case = home_visit
    keep: list[object] = []
    source = load(render_pdf(outline_of(person, case, ref)), keep)
    printer = pdf_printer(tmp_path / "range.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert list(page_range(printer, source.pageCount())) == [1, 2]
    assert print_pdf(source, printer) == 2
    printed = load((tmp_path / "range.pdf").read_bytes(), keep)
    assert printed.pageCount() == 2
    first_printed = thumbnail(printed, 0)
    # The first printed sheet is the preview's page 2 (of all pages the one it looks most like), and not blank.
    # (A fixed "twice as near as page 1" margin broke when the draft's pages grew alike: the sheet is printed with
    # the printer's margins, so it is never pixel-equal to its preview page.)
    distances = [distance(first_printed, thumbnail(source, index)) for index in range(source.pageCount())]
    assert min(range(len(distances)), key=distances.__getitem__) == 1, distances
    assert sum(1 for value in first_printed if value < 235) > 200


def test_all_pages_when_no_range_is_chosen(qapp, home_visit, ref, tmp_path):
    person, case = home_visit
    keep: list[object] = []
    source = load(render_pdf(outline_of(person, case, ref)), keep)
    printer = pdf_printer(tmp_path / "all.pdf")
    assert print_pdf(source, printer) == source.pageCount() == 4
    assert load((tmp_path / "all.pdf").read_bytes(), keep).pageCount() == 4


def test_progress_is_reported_per_page_and_can_cancel_the_job(qapp, home_visit, ref, tmp_path):
    person, case = home_visit
    keep: list[object] = []
    source = load(render_pdf(outline_of(person, case, ref)), keep)
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 2

    assert print_pdf(source, pdf_printer(tmp_path / "cancelled.pdf"), progress) == 2
    assert seen == [(0, 4), (1, 4), (2, 4)]
