"""Producing the PDF off the UI thread: the plain writer runs on a worker (``ui.common.worker``), which reports to the
dialog on the UI thread while the dialog lives."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QObject

from ibic.documents.outline import DocumentOutline
from ui.common.worker import Job, run_in_background

log = logging.getLogger(__name__)


class GenerationFailed(Exception):
    """The writer failed: carries only the error type's name, never a message with field values."""


def render_outline(outline: DocumentOutline) -> bytes:
    """The PDF bytes; reportlab is imported here, on first use, not when the app starts."""
    from ui.printing.pdf_writer import render_pdf

    return render_pdf(outline)


class Rendered(NamedTuple):
    """The PDF, and how many distinct characters of the document it cannot show (``ui.printing.glyphs``)."""

    pdf: bytes
    unprintable: int


def _render_or_name_the_failure(outline: DocumentOutline) -> Rendered:
    try:
        from ui.printing.glyphs import unprintable_count

        return Rendered(render_outline(outline), unprintable_count(outline))
    except Exception as exc:  # reported to the dialog; the log gets the type only
        log.error("utredning PDF generation failed: %s", type(exc).__name__)
        raise GenerationFailed(type(exc).__name__) from None


def start_pdf_job(owner: QObject, outline: DocumentOutline, on_pdf: Callable[[Rendered], None],
                  on_failure: Callable[[str], None]) -> Job:
    """Render ``outline`` on the global pool; ``on_pdf(Rendered)`` or ``on_failure(error type name)`` runs on the UI
    thread while ``owner`` lives. The outline is immutable, so the user may keep editing the case meanwhile. Closing
    ``owner`` mid-render is safe: the worker neither emits into it nor frees any Qt object (``ui.common.worker``)."""

    def failed(error: BaseException) -> None:
        on_failure(error.args[0] if isinstance(error, GenerationFailed) else type(error).__name__)

    return run_in_background(owner, lambda: _render_or_name_the_failure(outline), on_pdf, failed)
