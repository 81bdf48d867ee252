"""Producing the PDF off the UI thread: a QRunnable that calls the plain writer and reports back by signal."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance, Slot
from shiboken6 import isValid

from ibic.documents.outline import DocumentOutline

log = logging.getLogger(__name__)


def render_outline(outline: DocumentOutline) -> bytes:
    """The PDF bytes; reportlab is imported here, on first use, not when the app starts."""
    from ui.printing.pdf_writer import render_pdf

    return render_pdf(outline)


# Jobs the pool is running, kept alive here until they have reported: the dialog that started one may be closed
# and collected mid-render, and a QRunnable must not be freed while a pool thread runs it.
_ACTIVE: set[PdfJob] = set()


class PdfJobSignals(QObject):
    """Lives in the UI thread, so the connected slots run there (queued) when the worker emits."""

    finished = Signal(object)  # bytes: the finished PDF
    failed = Signal(str)  # the error type's name, never a message with field values

    def __init__(self) -> None:
        super().__init__()
        self.job: PdfJob | None = None
        self.finished.connect(self._release)
        self.failed.connect(self._release)

    @Slot(object)
    def _release(self, _result: object) -> None:
        if self.job is not None:
            _ACTIVE.discard(self.job)
            self.job = None


class PdfJob(QRunnable):
    """Renders one outline; the outline is immutable, so the user may keep editing the case meanwhile."""

    def __init__(self, outline: DocumentOutline) -> None:
        super().__init__()
        # Python owns the job (see _ACTIVE), not the pool.
        self.setAutoDelete(False)
        self.signals = PdfJobSignals()
        self._outline: DocumentOutline | None = outline

    def start(self) -> None:
        """Run on the global thread pool; the job stays alive until it has reported."""
        self.signals.job = self
        _ACTIVE.add(self)
        QThreadPool.globalInstance().start(self)

    def run(self) -> None:
        outline, self._outline = self._outline, None  # the job holds the case's texts no longer than needed
        if outline is None:  # a job runs once
            return
        try:
            data = render_outline(outline)
        except Exception as exc:  # reported to the dialog; the log gets the type only
            log.error("utredning PDF generation failed: %s", type(exc).__name__)
            self._deliver(self.signals.failed, type(exc).__name__)
            return
        self._deliver(self.signals.finished, data)

    def _deliver(self, signal: SignalInstance, value: object) -> None:
        """Emit unless Qt already deleted the signals' object (the application quit while the PDF was rendered):
        then nobody waits for it, and emitting would raise in this pool thread, where no one can handle it."""
        if isValid(self.signals):
            signal.emit(value)
