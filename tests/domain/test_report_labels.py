"""A report's labels are messages (issue 12, point 9): in English they read English, numbers with a decimal point;
in Swedish they are exactly the text the CSV, the PDF and the server carry. The caseload is test_reports.py's."""

from __future__ import annotations

from test_reports import caseload

from ibic.messages import Message
from ibic.reference import ReferenceData
from ibic.reports import Caseload, ReportTable, caseload_report
from ibic.reports.table import Cell


def _en(cell: Cell) -> str:
    return cell.en if isinstance(cell, Message) else cell


def _english(table: ReportTable) -> list[list[str]]:
    return [[h.en for h in table.headers], *([_en(c) for c in row] for row in table.cells)]


def _swedish_rendering(table: ReportTable) -> list[list[str]]:
    return [[h.sv for h in table.headers], *([c.sv if isinstance(c, Message) else c for c in row]
                                             for row in table.cells)]


def test_every_table_reads_english_in_english_with_decimal_points(ref: ReferenceData) -> None:
    report = caseload_report(caseload(), ref, seed=7)
    for table in report.tables():
        texts = [table.heading.en, table.remark.en if table.remark else "", *(t for r in _english(table) for t in r)]
        # "Hembesök" is the step's name in the English interface too (a kept term, as the workspace's step).
        assert [t for t in texts if set(t.replace("Hembesök", "")) & set("åäöÅÄÖ")] == [], table.heading.key
    assert _english(report.continuity) == [
        ["Group", "Persons measured", "Mean number of staff", "Median", "Share with a named care contact"],
        ["All", "5", "14.4", "14.0", "60.0 %"],  # a follow-up with nothing recorded is not made (s31-report)
        ["Women", "5", "14.4", "14.0", "60.0 %"],
        ["Men", "..", "..", "..", ".."],
    ]
    assert _english(report.goals_by_sex)[1] == ["Achieved", "5", "100.0 %", "..", ".."]
    assert _english(report.internal_control)[1][1] == "105.0"
    assert report.internal_control.heading.en == "Internal control: granted time of at least 100 hours a month"
    assert _english(report.process_times)[-1] == ["Median", "", "", "", "20.0", "2.0", "16.0"]
    steps = [row[1] for row in _english(report.checklist)[1:9]]
    assert steps == ["Actualisation", "Application", "Hembesök", "Life areas mapped", "Proposed decision",
                     "Kommunicering", "Decision", "Beslutsmeddelande sent"]


def test_the_swedish_rendering_is_what_the_documents_carry(ref: ReferenceData) -> None:
    report = caseload_report(caseload(), ref, seed=7)
    for table in report.tables():
        assert _swedish_rendering(table) == [list(table.columns), *(list(row) for row in table.rows)]
        assert table.title == table.heading.sv
    assert report.continuity.note == "Senaste uppföljningen i perioden per person. Färre än 5 redovisas inte (..)."
    assert report.insatser_by_sex.columns == ("Insats", "Kvinnor", "Män", "Totalt")


def test_an_insats_not_in_the_catalogue_keeps_its_text_in_both_languages(ref: ReferenceData) -> None:
    load = caseload()
    free = load.cases[0].decisions[0].model_copy(update={"insats_id": None, "insats_text": "Snöskottning"})
    case = load.cases[0].model_copy(update={"decisions": [free]})
    changed = Caseload((case, *load.cases[1:]), load.persons, load.period_start, load.period_end, load.today)
    table = caseload_report(changed, ref, small_number_limit=1).insatser_by_sex
    assert ["Snöskottning", "1", "..", ".."] in _english(table)[1:]  # no man: 0 is under the limit of 1
    assert ("Snöskottning", "1", "..", "..") in table.rows
