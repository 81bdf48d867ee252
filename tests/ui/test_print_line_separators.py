"""Line and paragraph breaks written in every way other programs write them, pasted into a life area's text and
printed with Ctrl+P: each breaks the line (U+2029 and a page break the paragraph) on screen, in the store and in the
PDF, as docs/printing.md says (``ibic.line_breaks``).

On main a line break typed with Shift+Enter in Word ("\\v"), Word's page break ("\\f") and U+0085 were shown as a box
or nothing, then dropped as control characters: "Stycke tvåRad vRad fRad nel" was stored and printed on one line.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from uihelpers import open_case_by_keys, paste, read_preview, unlock

PASTED = "Rad ett\u2028Rad två\u2029Stycke två\vRad v\fRad f\x85Rad nel\r\nRad crlf\rRad cr"
SHOWN = ["Rad ett", "Rad två", "", "Stycke två", "Rad v", "", "Rad f", "Rad nel", "Rad crlf", "Rad cr"]
_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')


def _lines_from(pdf: bytes, first: str) -> list[tuple[int, float, str]]:
    """The PDF's lines from the one reading ``first`` on: page, top (points), words left to right."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "printed.pdf"
        path.write_bytes(pdf)
        xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True,
                             timeout=60).stdout.decode("utf-8")
    lines: list[tuple[int, float, str]] = []
    for number, page in enumerate(xml.split("<page ")[1:]):
        rows: dict[float, list[str]] = {}
        for top, word in _WORD.findall(page):
            rows.setdefault(float(top), []).append(word)
        lines.extend((number, top, " ".join(rows[top])) for top in sorted(rows))
    start = next(index for index, (_, _, text) in enumerate(lines) if text == first)
    return lines[start:]


def test_every_kind_of_line_break_pasted_breaks_the_line_on_screen_in_the_store_and_in_print(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    window = demo_window
    unlock(qtbot, window)
    open_case_by_keys(qtbot, window, "DEMO-2025-0117")
    window.workspace.go_to("visit")
    field = window.workspace.visit_page.situation
    paste(qtbot, field, PASTED)

    block, shown = field.document().firstBlock(), []
    while block.isValid():
        shown.append(block.text())
        block = block.next()
    assert shown == SHOWN  # each on a line of its own, a blank line for the paragraph

    assert window.workspace.save_now()
    case = window.session.profile.cases.load(window.workspace.opened.case.id)
    assert case.investigation.situation == "\n".join(SHOWN)

    pdf: list[bytes] = []
    QTimer.singleShot(0, lambda: read_preview(window, pdf.append))
    QTest.keySequence(field, QKeySequence("Ctrl+P"))
    qtbot.waitUntil(lambda: bool(pdf), timeout=30_000)
    printed = _lines_from(pdf[0], "Rad ett")[:8]
    assert [text for _, _, text in printed] == [line for line in SHOWN if line]
    assert len({page for page, _, _ in printed}) == 1
    gaps = [round(below[1] - above[1]) for above, below in pairwise(printed)]
    line = gaps[0]
    # A paragraph's room after "Rad två" (U+2029) and "Rad v" (the page break), one line's leading elsewhere.
    assert [gap > line for gap in gaps] == [False, True, False, True, False, False, False], gaps
