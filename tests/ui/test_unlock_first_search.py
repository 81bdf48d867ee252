"""Issue 14 (after the KDF: unlock → 10,000 cases listed and searchable): what the unlock does not wait for (sync, the
day's upkeep worker, the case list's other sort orders) waits for the first turns after the list's first paint too,
so a search pasted as the list appears is answered first; all of it still happens a moment later."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from uihelpers import unlock, window_over_new_profile

from ibic.demo import bulk_cases

BULK = 300


@pytest.fixture
def window(qtbot, settings, profile_dir: Path) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    main = window_over_new_profile(qtbot, settings, profile_dir, [bulk_cases(BULK, date.today())])
    yield main
    if main.session is not None:
        main.session.lock()


class _FirstPaint(QObject):
    def __init__(self, then: Any) -> None:
        super().__init__()
        self.then = then
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self.then)  # as a person's first key, right after the list is on screen
        return False


def test_a_search_pasted_at_the_first_paint_goes_before_sync_upkeep_and_sort_orders(  # type: ignore[no-untyped-def]
    qtbot, window
) -> None:
    seen: dict[str, Any] = {}

    def search() -> None:
        page = window.case_list
        seen["upkeep_started"] = window._upkeep_job is not None
        seen["orders_ready"] = page.model.orders_ready()
        page.search.setText("00042")
        seen["found"] = page.shown.rowCount()

    painted = _FirstPaint(search)

    def listed() -> None:
        window.case_list.table.viewport().installEventFilter(painted)
        window.case_list.table.viewport().update()

    window.unlocked.connect(listed)
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: "found" in seen, timeout=10_000)
    assert seen["upkeep_started"] is False
    assert seen["orders_ready"] is False
    assert 0 < seen["found"] < BULK
    # A moment later all of it has happened: sync watches, the upkeep ran, every column's order is ready.
    qtbot.waitUntil(lambda: window._upkeep_job is not None and QThreadPool.globalInstance().activeThreadCount() == 0
                    and window.case_list.model.orders_ready(), timeout=20_000)
    assert window.case_list.shown.rowCount() == seen["found"]
