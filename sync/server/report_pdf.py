"""A report as PDF on the server, printed by the desktop's own PDF writer so both look the same.

``ui/printing/pdf_writer.py`` is plain reportlab with no Qt (a test in tests/printing proves it loads no Qt); it is the
one module of ``ui/`` the server may import, named in the import-linter contract in pyproject.toml.
"""

from __future__ import annotations

from ibic.documents.outline import DocumentOutline
from ui.printing.pdf_writer import render_pdf


def render_report(outline: DocumentOutline) -> bytes:
    """The outline as an A4 PDF, in memory (nothing is written to the server's disk)."""
    return render_pdf(outline)
