"""The case list at 16 pt on a 1366×768 screen shows each case number whole (session 27): shared by weight, the
column elided them to "DEMO-2…", and Tolvan's two cases (one person, same personnummer) read alike but for a cut
status. The case number now has the width of a usual one while the other columns keep their least width."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from uihelpers import unlock

from storage.kdf import KdfParameters
from ui.cases.list_rows import COLUMNS
from ui.common.text_size import apply_text_size


def test_every_case_number_in_the_case_list_is_whole_at_16_points(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir
) -> None:
    from ui.main_window import MainWindow, StartOptions

    apply_text_size(qapp, 16)  # as Inställningar leaves it; the conftest puts the tests' size back after
    window = MainWindow(settings, StartOptions(profile_dir=demo_profile_dir, kdf=KdfParameters()))
    qtbot.addWidget(window, before_close_func=lambda w: w.end_session())
    window.resize(1366, 768)
    window.show()
    unlock(qtbot, window)
    table = window.case_list.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    column = COLUMNS.index("case_number")
    metrics = table.fontMetrics()
    numbers = [table.model().index(row, column).data(Qt.ItemDataRole.DisplayRole) for row in range(3)]
    assert sorted(numbers) == ["DEMO-2025-0117", "DEMO-2026-0001", "DEMO-2026-0002"]
    needed = max(metrics.horizontalAdvance(number) for number in numbers) + metrics.averageCharWidth()  # margins
    assert table.columnWidth(column) >= needed, (table.columnWidth(column), needed)
    assert table.horizontalScrollBar().maximum() == 0  # and the list does not scroll sideways for it
    window.session.lock()
