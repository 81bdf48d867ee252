"""What a printed PDF draws, line by line, left to right, and wrapped mixed Swedish/Hebrew text to print.

``drawn_lines`` reads the PDF with ``pdftotext -bbox``, which gives each word's glyphs in the order they are drawn (a
Hebrew word drawn turned comes back turned) and where: the words of a line sorted by their left edge are the line as
drawn. pypdf's extraction and plain ``pdftotext`` read right-to-left runs back into reading order line by line, as
the old per-line ordering did, so they cannot tell the two apart. ``wrapped_situation`` is typed text whose lines
break where the old ordering went wrong. Imported by name (pytest puts ``tests/`` on sys.path) by the printing and
the UI tests.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth

from ui.printing.pdf_styles import styles
from ui.printing.pdf_writer import CONTENT_WIDTH, text_runs

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>')


def drawn_lines(pdf: bytes) -> list[str]:
    """Every line of every page as drawn, its words left to right, one space between them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "printed.pdf"
        path.write_bytes(pdf)
        xml = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True,
                             timeout=60).stdout.decode("utf-8")
    lines: list[str] = []
    for page in xml.split("<page ")[1:]:
        rows: dict[float, list[tuple[float, str]]] = {}
        for left, top, word in _WORD.findall(page):
            rows.setdefault(round(float(top)), []).append((float(left), _unescaped(word)))
        lines.extend(" ".join(word for _, word in sorted(rows[top])) for top in sorted(rows))
    return lines


def _unescaped(word: str) -> str:
    return word.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


def wrapped_situation() -> str:
    """Two typed paragraphs for the printed situation: the first line of one ends in "עולם," before more Hebrew, of
    the other in "בית" before "12" (then "כהן och gick.")."""
    run = text_runs("x", "body", styles())[0]
    width = CONTENT_WIDTH - run.indent
    comma = filled(" שלום עולם,", "בית", run.font, run.size, width) + " כהן och gick."
    number = filled(" בית", "12", run.font, run.size, width) + " כהן och gick."
    return f"{comma}\n{number}"


def assert_wrapped_situation_in_reading_order(lines: list[str]) -> None:
    """``wrapped_situation`` as drawn: each line's Hebrew turned with the whole paragraph's levels. On main (each
    line alone): "… ja םלוע םולש," and "12 ןהכ och gick."."""
    comma = next(index for index, line in enumerate(lines) if "םלוע" in line)
    assert lines[comma].endswith(" ja ,םלוע םולש"), lines[comma]
    assert lines[comma + 1] == "ןהכ תיב och gick.", lines[comma - 1:comma + 5]
    number = next(index for index, line in enumerate(lines) if line.endswith(" ja תיב"))
    assert lines[number + 1] == "ןהכ 12 och gick."


def filled(tail: str, after: str, font: str, size: float, width: float) -> str:
    """A line of Swedish ("Hon sa ja ja …") ending in ``tail`` that fills ``width`` points so that the next word,
    ``after``, goes to the next line, followed by ``after``: greedy breaking puts the break between the two."""
    for count in range(300):
        head = "Hon sa" + " ja" * count
        if stringWidth(head + tail, font, size) <= width < stringWidth(f"{head}{tail} {after}", font, size):
            return f"{head}{tail} {after}"
    raise AssertionError("no filler ends the line there")
