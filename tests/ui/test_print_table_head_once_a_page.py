"""A table's head stands once on each page it is printed on (s34-probe). A delområde described at length in the
kartläggning, below a short one, is a row of the utredning's table that runs over a page's foot: reportlab split the
table after the short row and then laid the rest, head first, in the space left on the same page, splitting the long
row there. The head "Delområde Skattning Beskrivning" then stood twice on that page, once between two rows. Reached as
a person does: the text pasted into the delområde's field, Ctrl+P, the preview's PDF read page by page. Fails on
main, where one page holds the head twice."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from uihelpers import paste, read_preview, type_text, unlock

HEAD = re.compile(r"Delområde\s+Skattning\s+Beskrivning")
# About two pages of ordinary words: the row starts on one page and ends on another, wherever the table begins.
LONG = " ".join(f"Rad {n}: går inte ut ensam av rädsla att falla, utom med dottern på helgerna." for n in range(140))


def test_a_long_delomrade_row_over_a_page_break_keeps_one_head_a_page(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    type_text(window.case_list.search, "DEMO-2026-0001")  # Tolvan's home visit
    QTest.keyClick(window.case_list.search, Qt.Key.Key_Return)
    QTest.keySequence(window.workspace, QKeySequence("Ctrl+3"))
    for _ in range(3):  # to Förflyttning (d4), its delområden d450 and d460 described
        QTest.keySequence(window.workspace, QKeySequence("Ctrl+PgDown"))
    assert window.workspace.area_form.heading.text() == "Förflyttning"
    row = window.workspace.area_form.sub_areas.row_of("d460")
    assert row is not None and row.chosen.isChecked()
    paste(qtbot, row.text, LONG)
    stored = next(a for a in window.workspace.opened.case.investigation.assessments if a.area_id == "d4")
    assert [s.text for s in stored.sub_areas if s.code == "d460"] == [LONG], "the text reached the case"
    pdf: list[bytes] = []
    QTimer.singleShot(0, lambda: read_preview(window, pdf.append))
    QTest.keySequence(row.text, QKeySequence("Ctrl+P"))
    qtbot.waitUntil(lambda: bool(pdf), timeout=30_000)

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf[0])).pages]
    heads = [len(HEAD.findall(text)) for text in pages]
    holding = [index for index, text in enumerate(pages) if "Rad " in text]  # the pages the long row is printed on
    assert len(holding) > 1, "the row runs over a page break"
    assert max(heads) == 1, f"the table's head on one page more than once: {heads}"
    assert [heads[index] for index in holding] == [1] * len(holding), "the head on each page the row continues on"
