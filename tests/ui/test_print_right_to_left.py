"""Hebrew and Arabic typed into a case print the way they are read (the person's own words, a name in any script).

reportlab draws characters in the order they are stored, and each Arabic letter alone: on main "שלום" came out as
"םולש" read from the right, and Arabic both backwards and unjoined. The printed draft is reached as a person does:
type into the situation, Ctrl+P, wait for the preview's PDF.
"""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from uihelpers import type_text, unlock

from ui.printing.preview import UtredningPreviewDialog

HEBREW = "שלום עולם"
ARABIC = "مرحبا بالعالم"
TYPED = f"Hon hälsar {HEBREW} och {ARABIC} varje morgon."


def _printed_draft_text(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    pdf: list[bytes] = []

    def in_preview() -> None:
        dialog = window.findChild(UtredningPreviewDialog)
        if dialog is None or not dialog._pdf:
            QTimer.singleShot(20, in_preview)
            return
        pdf.append(dialog._pdf)
        dialog.reject()

    QTimer.singleShot(0, in_preview)
    QTest.keySequence(window.workspace.visit_page.situation, QKeySequence("Ctrl+P"))
    qtbot.waitUntil(lambda: bool(pdf), timeout=30_000)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf[0])).pages).split())


def test_hebrew_and_arabic_in_the_situation_print_in_reading_order_and_arabic_joined(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    window.case_list.table.setFocus()
    window.case_list.table.selectRow(0)
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    window.workspace.go_to("visit")
    situation = window.workspace.visit_page.situation
    situation.setFocus()
    qtbot.keyClick(situation, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(situation, "\n" + TYPED)

    drawn = _printed_draft_text(qtbot, window)
    text = unicodedata.normalize("NFKC", drawn)  # joined Arabic letters are presentation forms: NFKC reads them back
    # A PDF reader's text extraction reads right-to-left runs it finds drawn in visual order back in reading
    # order; on main the runs were drawn in reading order, so they came back reversed ("םולש").
    assert HEBREW in text, "the Hebrew is drawn in reading order"
    assert ARABIC in text, "the Arabic is drawn in reading order"
    assert HEBREW[::-1] not in text
    # On main each Arabic letter was its plain code point, drawn unjoined; "مرحبا" joined is initial meem, final reh,
    # initial hah, medial beh, final alef.
    assert set("\ufee3\ufeae\ufea3\ufe92\ufe8e") <= set(drawn), "the Arabic letters are joined"

