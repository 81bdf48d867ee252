"""Printed documents whose field label is typed text of thousands of characters still print (s25-probe).

A label (the insats applied for, in free text, over the person's own words; the insats of a decision over its
motivering in the uppdrag) is kept with the first line of its text on the page. A label taller than a whole page
could never be placed: reportlab gave up ("LayoutError ... too large") and the preview said only that the document
could not be created. Reached as a person does: the free text pasted into the application, Ctrl+P.
"""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from uihelpers import type_text, unlock

from ui.printing.preview import UtredningPreviewDialog

# 10,000 characters of ordinary words: as a bold label about 90 lines, taller than an A4 page's text frame.
LONG_FREE_TEXT = ("Hjälp med allt som rör hemmet och trädgården, varje dag. " * 200)[:10_000].strip()
OWN_WORDS = "Jag vill klara mig själv hemma."


def _preview_outcome(window, seen: list[object]) -> None:  # type: ignore[no-untyped-def]
    """When the preview opened by Ctrl+P has its PDF, or has said it failed, note which and close it."""
    dialog = window.findChild(UtredningPreviewDialog)
    if dialog is not None and not dialog.property("watched"):
        dialog.setProperty("watched", True)
        dialog.generation_failed.connect(lambda _error: seen.append(dialog.status_label.text()))
    if dialog is None or not (dialog._pdf or seen):
        QTimer.singleShot(20, lambda: _preview_outcome(window, seen))
        return
    if dialog._pdf:
        seen.append(dialog._pdf)
    dialog.reject()


def test_a_free_text_application_of_ten_thousand_characters_prints(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    window.case_list.table.setFocus()
    window.case_list.table.selectRow(0)
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    window.workspace.go_to("case")
    page = window.workspace.case_page
    page.item_insats.setCurrentIndex(page.item_insats.count() - 1)  # "Something else (free text)"
    QGuiApplication.clipboard().setText(LONG_FREE_TEXT)
    page.item_free_text.setFocus()
    QTest.keySequence(page.item_free_text, QKeySequence.StandardKey.Paste)
    assert page.item_free_text.text() == LONG_FREE_TEXT
    page.item_words.setFocus()
    type_text(page.item_words, OWN_WORDS)
    qtbot.mouseClick(page.items.add_button, Qt.MouseButton.LeftButton)
    assert page.items.listing.count() >= 1 and not page.items.error.text()

    seen: list[object] = []
    QTimer.singleShot(0, lambda: _preview_outcome(window, seen))
    QTest.keySequence(page.item_free_text, QKeySequence("Ctrl+P"))
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    # On main: "The document could not be created …" (reportlab's LayoutError on the worker).
    assert isinstance(seen[-1], bytes), seen[-1]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(seen[-1])).pages).split())
    assert LONG_FREE_TEXT[-40:] in text, "the label is printed to its end"
    assert f"”{OWN_WORDS}”" in text, "the person's words follow it"
