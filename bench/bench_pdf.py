"""PDF benchmark: the utredning of a fully filled case and of very large cases, against reportlab's floor.

Figures (medians over a few runs, in the same process and run): outline build time, PDF time and pages for
``ibic.demo.fully_filled_case``, for a ~10-page and a 50+-page case; and reportlab's floor, a plain platypus
document of the same page count with header, footer, a table and the same embedded font (Helvetica shown too).
Targets (../shared/design/quality.md): PDF ≤ 1.3× the floor for the same page count; 50 pages ≤ 5.5× 10 pages.
Run: python3 -m bench.run pdf   (or python3 -m bench.bench_pdf)
"""

from __future__ import annotations

import gc
import io
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402

from ibic.cases import Case  # noqa: E402
from ibic.demo import CASEWORKER, UNIT, fully_filled_case  # noqa: E402
from ibic.documents.utredning import build_utredning  # noqa: E402
from ibic.people import Person  # noqa: E402
from ibic.reference import load_reference_data  # noqa: E402
from ui.printing.pdf_styles import REGULAR, register_fonts  # noqa: E402
from ui.printing.pdf_writer import render_pdf  # noqa: E402

REPEATS = 9
TODAY = date(2026, 11, 23)
FLOOR_TEXT = "Personen beskriver sin vardag utförligt, med exempel från den senaste veckan. " * 6


def timed(step: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    """Median CPU seconds over ``repeats`` runs (garbage collected before each), and the last result.

    CPU time of this process, not wall time: on a machine shared with other work, waiting for a core is noise
    that would fall unevenly on the figures being compared. The work is single-threaded, so the two agree when idle.
    """
    durations: list[float] = []
    result: Any = None
    for _ in range(repeats):
        gc.collect()
        started = time.process_time()
        result = step()
        durations.append(time.process_time() - started)
    return statistics.median(durations), result


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def large_case(factor: int) -> tuple[Person, Case]:
    """The fully filled case with every free text repeated ``factor`` times: a long-running, much-documented case."""
    person, case = fully_filled_case(TODAY)
    for assessment in case.investigation.assessments:
        for name in ("own_description", "assessment", "need", "resources", "goal"):
            setattr(assessment, name, (getattr(assessment, name) + "\n") * factor)
    for proposal in case.proposals:
        for name in ("motivation", "need_exists", "met_otherwise", "needed_for_reasonable_living", "fitting_insats"):
            setattr(proposal, name, (getattr(proposal, name) + "\n") * factor)
    case.investigation.situation = ("Situationen beskrivs i detalj. " * 20 + "\n") * factor
    return person, case


def floor_pdf(paragraphs: int, font: str) -> bytes:
    """reportlab's floor: header, footer with a page number, a table and body paragraphs, nothing else."""
    style = ParagraphStyle("floor", fontName=font, fontSize=10, leading=14)
    buffer = io.BytesIO()

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(22 * mm, A4[1] - 14 * mm, "Sekretess enligt 26 kap. 1 § offentlighets- och sekretesslagen")
        canvas.drawString(22 * mm, 12 * mm, f"Ärende BENCH-000001 · Sida {doc.page}")
        canvas.restoreState()

    table = Table([[Paragraph(f"Rubrik {i}", style), Paragraph(f"Värde {i}", style)] for i in range(10)])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#999999"), ("FONT", (0, 0), (-1, -1), font, 9)]))
    story = [table, *(Paragraph(FLOOR_TEXT, style) for _ in range(paragraphs))]
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=24 * mm)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def floor_count(pages: int, font: str) -> int:
    """How many floor paragraphs make a document of ``pages`` pages (calibrated, not timed)."""
    sample = 60
    per_page = sample / pages_of(floor_pdf(sample, font))
    count = max(1, round(per_page * (pages - 0.5)))
    got = pages_of(floor_pdf(count, font))
    step = max(1, round(per_page / 3))
    for _ in range(20):  # nudge until the page count matches
        if got == pages:
            break
        count = max(1, count + (step if got < pages else -step))
        got = pages_of(floor_pdf(count, font))
    return count


def measure(label: str, person: Person, case: Case) -> tuple[float, int]:
    """Outline + PDF time against the floors, interleaved run by run so that machine drift hits all alike."""
    ref = load_reference_data()

    def outline() -> Any:
        return build_utredning(case, person, ref, today=TODAY, caseworker=CASEWORKER, unit=UNIT, version=1)

    pages = pages_of(render_pdf(outline()))
    counts = {font: floor_count(pages, font) for font in (REGULAR, "Helvetica")}
    floor_pages = pages_of(floor_pdf(counts[REGULAR], REGULAR))
    steps: dict[str, Callable[[], Any]] = {
        "ours": lambda: render_pdf(outline()),
        "floor": lambda: floor_pdf(counts[REGULAR], REGULAR),
        "helvetica": lambda: floor_pdf(counts["Helvetica"], "Helvetica"),
    }
    runs: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(REPEATS):
        for name, step in steps.items():
            runs[name].append(timed(step, repeats=1)[0])
    ours, floor, helvetica = (statistics.median(runs[name]) for name in ("ours", "floor", "helvetica"))
    outline_seconds, _ = timed(outline)
    print(
        f"{label:<24} {pages:>3} pages  pdf {ours * 1000:7.1f} ms ({ours * 1000 / pages:4.1f} ms/page; "
        f"outline alone {outline_seconds * 1000:.2f} ms)"
    )
    print(
        f"{'':<24} floor {floor_pages} pages DejaVu {floor * 1000:7.1f} ms: ratio {ours / floor:4.2f}×  "
        f"| Helvetica {helvetica * 1000:7.1f} ms: ratio {ours / helvetica:4.2f}×"
    )
    return ours, pages


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}, median of {REPEATS} runs")
    started = time.perf_counter()
    register_fonts()
    print(f"font registration (once per process): {(time.perf_counter() - started) * 1000:.0f} ms")
    person, case = fully_filled_case(TODAY)
    first, _ = timed(
        lambda: render_pdf(
            build_utredning(
                case, person, load_reference_data(), today=TODAY, caseworker=CASEWORKER, unit=UNIT, version=1
            )
        ),
        repeats=1,
    )
    print(f"first PDF in the process (warm-up): {first * 1000:.0f} ms")
    measure("fully filled case", person, case)
    ten, ten_pages = measure("large case, ~10 pages", *large_case(2))
    fifty, fifty_pages = measure("large case, 50+ pages", *large_case(15))
    per_page_ratio = (fifty / fifty_pages) / (ten / ten_pages)
    print(
        f"scaling: {fifty_pages} pages / {ten_pages} pages = {fifty / ten:.2f}× the time "
        f"(target ≤ 5.5× for 50 vs 10 pages; per page {per_page_ratio:.2f}×)"
    )


if __name__ == "__main__":
    main()
