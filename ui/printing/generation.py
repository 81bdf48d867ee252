"""Producing the PDF off the UI thread: a QRunnable that calls the plain writer and reports back by signal."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, Signal

from ibic.utredning_outline import DocumentOutline

log = logging.getLogger(__name__)


def render_outline(outline: DocumentOutline) -> bytes:
    """The PDF bytes; reportlab is imported here, on first use, not when the app starts."""
    from ui.printing.pdf_writer import render_pdf

    return render_pdf(outline)


class PdfJobSignals(QObject):
    """Lives in the UI thread, so the connected slots run there (queued) when the worker emits."""

    finished = Signal(object)  # bytes: the finished PDF
    failed = Signal(str)  # the error type's name, never a message with field values


class PdfJob(QRunnable):
    """Renders one outline; the outline is immutable, so the user may keep editing the case meanwhile."""

    def __init__(self, outline: DocumentOutline) -> None:
        super().__init__()
        # Kept alive by the dialog that holds the job, so the signals outlive the run.
        self.setAutoDelete(False)
        self.signals = PdfJobSignals()
        self._outline = outline

    def run(self) -> None:
        try:
            data = render_outline(self._outline)
        except Exception as exc:  # reported to the dialog; the log gets the type only
            log.error("utredning PDF generation failed: %s", type(exc).__name__)
            self.signals.failed.emit(type(exc).__name__)
            return
        self.signals.finished.emit(data)
