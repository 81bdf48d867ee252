"""Issue 12 finding 6: the case list shows the ärendenummer, what is applied for and which deadline is next."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from uihelpers import type_text, unlock

from ui.cases.list_rows import COLUMNS


def _cells(case_list, column: str) -> list[str]:  # type: ignore[no-untyped-def]
    proxy, index = case_list.shown, COLUMNS.index(column)
    return [proxy.data(proxy.index(row, index)) for row in range(proxy.rowCount())]


def _row_of(case_list, case_number: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    row = _cells(case_list, "case_number").index(case_number)
    return {column: _cells(case_list, column)[row] for column in COLUMNS}


def _click_header(qtbot, header, section: int) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    where = QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_the_list_shows_case_number_what_is_applied_for_and_the_kind_of_deadline(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    headers = [case_list.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))]
    assert "Ärendenummer" in headers and "Vad som söks" in headers and "Nästa tidsgräns" in headers
    assert set(_cells(case_list, "case_number")) == {"DEMO-2026-0001", "DEMO-2026-0002", "DEMO-2025-0117"}
    greta = _row_of(case_list, "DEMO-2026-0002")
    assert greta["applied_for"] == "Korttidsvistelse"
    # Two discharge clocks run out together; the list names the one it shows, with its date.
    assert re.fullmatch(r"Snart: (kallelse till SIP|betalning för vårddygn) \d{4}-\d\d-\d\d", greta["deadline"])
    large = _row_of(case_list, "DEMO-2025-0117")
    assert re.fullmatch(r"Försenad: uppföljning av stort beslut \d{4}-\d\d-\d\d", large["deadline"])
    first = _row_of(case_list, "DEMO-2026-0001")
    assert first["applied_for"].startswith("Hemtjänst") and "Trygghetslarm" in first["applied_for"]


def test_searching_what_is_applied_for_and_sorting_by_case_number_by_the_header(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    type_text(case_list.search, "korttid")
    assert _cells(case_list, "case_number") == ["DEMO-2026-0002"]
    qtbot.keyClick(case_list.search, Qt.Key.Key_Return)
    assert demo_window.workspace is not None and demo_window.workspace.opened.case.case_number == "DEMO-2026-0002"
    demo_window.action_list.trigger()
    case_list.search.clear()
    header = case_list.table.horizontalHeader()
    section = COLUMNS.index("case_number")
    _click_header(qtbot, header, section)
    numbers = _cells(case_list, "case_number")
    assert numbers in (sorted(numbers), sorted(numbers, reverse=True)) and len(numbers) == 3
    _click_header(qtbot, header, section)
    assert _cells(case_list, "case_number") == list(reversed(numbers))
